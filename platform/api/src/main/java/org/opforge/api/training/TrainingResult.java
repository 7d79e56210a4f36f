package org.opforge.api.training;

import java.util.List;
import java.util.Objects;

/**
 * What a training run produced: the per-epoch history (at least one epoch) and the epoch whose
 * weights the model holds afterwards: the last, or with best-epoch selection the one with the lowest
 * validation loss.
 */
public record TrainingResult(List<EpochReport> history, int selectedEpoch) {
    public TrainingResult {
        history = List.copyOf(Objects.requireNonNull(history, "history"));
        if (history.isEmpty()) throw new IllegalArgumentException("a training result needs at least one epoch");
        int first = history.get(0).epoch(), last = history.get(history.size() - 1).epoch();
        if (selectedEpoch < first || selectedEpoch > last) {
            throw new IllegalArgumentException("selected epoch " + selectedEpoch + " outside the history's epochs " + first + ".." + last);
        }
    }

    /** A run whose model holds the weights of its last epoch. */
    public TrainingResult(List<EpochReport> history) {
        this(history, history == null || history.isEmpty() ? 0 : history.get(history.size() - 1).epoch());
    }

    public EpochReport last() { return history.get(history.size() - 1); }

    /** The report of {@link #selectedEpoch()}. */
    public EpochReport selected() {
        for (EpochReport r : history) if (r.epoch() == selectedEpoch) return r;
        throw new IllegalStateException("no report of epoch " + selectedEpoch);
    }

    public double finalTrainLoss() { return last().trainLoss(); }

    public double finalValidationLoss() { return last().validationLoss(); }

    /** Sum of the epochs' wall times. */
    public double seconds() {
        double s = 0;
        for (EpochReport r : history) s += r.seconds();
        return s;
    }
}
