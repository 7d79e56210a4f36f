package org.opforge.api.training;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.opforge.tensor.Tensor;

/**
 * Paired samples, sample axis first. For grid operators {@code inputs} is {@code [N, ...]} and
 * {@code targets} {@code [N, ...]} on the same or another grid. For point-query operators
 * (DeepONet) {@code points} holds the query coordinates, {@code [P, d]} shared by all samples or
 * {@code [N, P, d]} per sample, and {@code targets} is {@code [N, P]} (or {@code [N, P, c]}).
 * An optional validation set of the same layout is evaluated after each epoch.
 */
public record TrainingData(Tensor inputs, Tensor targets, Optional<Tensor> points, Optional<TrainingData> validation) {
    public TrainingData {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(validation, "validation");
        if (inputs.dim() == 0 || targets.dim() == 0) {
            throw new IllegalArgumentException("inputs and targets need a sample axis; found shapes "
                    + Arrays.toString(inputs.shape()) + " and " + Arrays.toString(targets.shape()));
        }
        if (inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("inputs and targets must hold the same number of samples (axis 0); found "
                    + Arrays.toString(inputs.shape()) + " and " + Arrays.toString(targets.shape()));
        }
    }

    /** Grid data without points or validation set. */
    public static TrainingData of(Tensor inputs, Tensor targets) {
        return new TrainingData(inputs, targets, Optional.empty(), Optional.empty());
    }

    public TrainingData withPoints(Tensor queryPoints) {
        return new TrainingData(inputs, targets, Optional.of(queryPoints), validation);
    }

    public TrainingData withValidation(TrainingData validationSet) {
        return new TrainingData(inputs, targets, points, Optional.of(validationSet));
    }

    /** Number of samples N. */
    public int samples() { return inputs.size(0); }
}
