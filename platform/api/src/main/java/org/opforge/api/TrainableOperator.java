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
     *                                  or {@code config.options()} holds a key this family does not know
     */
    TrainingResult train(TrainingData data, TrainingConfig config, ProgressListener listener);
}
