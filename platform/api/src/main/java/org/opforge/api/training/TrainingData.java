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
 *
 * <p>An optional {@code mask}, shaped like {@code targets}, holds 1 where a target value counts and 0
 * where it does not (the nodes outside the domain of a masked grid, {@code data.mask}): a loss and a
 * metric over masked data see only the values where the mask is 1, so the (finite) targets elsewhere do not
 * count. Only operators that {@link org.opforge.api.TrainableOperator#supportsMasks() support masks}
 * train on masked data.
 */
public record TrainingData(Tensor inputs, Tensor targets, Optional<Tensor> points, Optional<TrainingData> validation, Optional<Tensor> mask) {
    public TrainingData {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(mask, "mask");
        if (mask.isPresent() && !Arrays.equals(mask.get().shape(), targets.shape())) {
            throw new IllegalArgumentException("the mask (data.mask) must have the targets' shape " + Arrays.toString(targets.shape())
                    + "; found " + Arrays.toString(mask.get().shape()));
        }
        if (inputs.dim() == 0 || targets.dim() == 0) {
            throw new IllegalArgumentException("inputs and targets need a sample axis; found shapes "
                    + Arrays.toString(inputs.shape()) + " and " + Arrays.toString(targets.shape()));
        }
        if (inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("inputs and targets must hold the same number of samples (axis 0); found "
                    + Arrays.toString(inputs.shape()) + " and " + Arrays.toString(targets.shape()));
        }
    }

    /** Without a mask. */
    public TrainingData(Tensor inputs, Tensor targets, Optional<Tensor> points, Optional<TrainingData> validation) {
        this(inputs, targets, points, validation, Optional.empty());
    }

    /** Grid data without points or validation set. */
    public static TrainingData of(Tensor inputs, Tensor targets) {
        return new TrainingData(inputs, targets, Optional.empty(), Optional.empty());
    }

    public TrainingData withPoints(Tensor queryPoints) {
        return new TrainingData(inputs, targets, Optional.of(queryPoints), validation, mask);
    }

    public TrainingData withValidation(TrainingData validationSet) {
        return new TrainingData(inputs, targets, points, Optional.of(validationSet), mask);
    }

    /** These samples with {@code m} (1: the target value counts, 0: it does not; shaped like the targets) as their mask. */
    public TrainingData withMask(Tensor m) {
        return new TrainingData(inputs, targets, points, validation, Optional.of(m));
    }

    /** Number of samples N. */
    public int samples() { return inputs.size(0); }

    /**
     * Refuses masked data for an operator that trains on every target value (its own training loop,
     * not the shared one): the error names the operator and the option.
     */
    public void refuseMask(String operator) {
        if (mask.isPresent()) {
            throw new IllegalArgumentException(operator + " does not support masked training (data.mask): its loss counts every target"
                    + " value; train it on data without a mask");
        }
    }
}
