package org.opforge.api.training;

import org.opforge.tensor.Tensor;

/**
 * Training targets that change from epoch to epoch: online Monte Carlo labels (WoS-NO redraws
 * Walk-on-Spheres estimates every epoch and trains on their running mean), curricula, resampled
 * noise. The shared training loop ({@code org.opforge.training.SupervisedTrainer}) asks for the targets once at the start of each epoch, in order,
 * before it starts the epoch's clock, so the time spent making labels stays out of the epoch times;
 * a source reports it itself.
 */
public interface LabelSource {
    /**
     * The targets of every training sample for {@code epoch} (1-based), with the shape of the
     * training data's targets.
     */
    Tensor targets(int epoch);

    /** Wall-clock seconds spent making targets so far. */
    double seconds();
}
