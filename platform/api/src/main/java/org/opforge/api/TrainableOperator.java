package org.opforge.api;

import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;

/** An operator whose weights can be fitted to data. */
public interface TrainableOperator extends NeuralOperator {

    /**
     * Fits the weights to {@code data}, in place; the operator then evaluates with the trained weights.
     *
     * @param listener told after each batch and epoch; {@link ProgressListener#NONE} to ignore
     * @throws IllegalArgumentException when the data's shapes do not fit the architecture (naming both)
     *                                  or {@code config.options()} holds a key this family does not know,
     *                                  or the data has a mask and {@link #supportsMasks()} is false
     */
    TrainingResult train(TrainingData data, TrainingConfig config, ProgressListener listener);

    /**
     * Whether {@link #train} takes data with a {@link TrainingData#mask() mask} (a masked grid: the
     * loss over the nodes where the mask is 1 only); false by default, and an operator that does not
     * support masks refuses masked data naming {@code data.mask}.
     */
    default boolean supportsMasks() { return false; }
}
