package org.opforge.api;

import org.opforge.api.training.LabelSource;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;

/** An operator that can train on targets redrawn every epoch (see {@link LabelSource}). */
public interface TrainableWithLabels extends TrainableOperator {
    /**
     * As {@link #train(TrainingData, TrainingConfig, ProgressListener)}, with the targets of epoch
     * {@code e} taken from {@code labels.targets(e)} instead of {@code data.targets()} (which still
     * fixes their shape and serves the validation set's layout).
     */
    TrainingResult train(TrainingData data, LabelSource labels, TrainingConfig config, ProgressListener listener);
}
