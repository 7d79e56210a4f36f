package org.opforge.api.training;

import java.util.List;
import java.util.Objects;

/** What a training run produced: the per-epoch history (at least one epoch). */
public record TrainingResult(List<EpochReport> history) {
    public TrainingResult {
        history = List.copyOf(Objects.requireNonNull(history, "history"));
        if (history.isEmpty()) throw new IllegalArgumentException("a training result needs at least one epoch");
    }

    public EpochReport last() { return history.get(history.size() - 1); }

    public double finalTrainLoss() { return last().trainLoss(); }

    public double finalValidationLoss() { return last().validationLoss(); }

    /** Sum of the epochs' wall times. */
    public double seconds() {
        double s = 0;
        for (EpochReport r : history) s += r.seconds();
        return s;
    }
}
