package org.opforge.training;

/** A training run stopped: the loss became NaN or infinite, or the time budget ran out. */
public final class TrainingFailedException extends RuntimeException {
    public TrainingFailedException(String message) {
        super(message);
    }
}
