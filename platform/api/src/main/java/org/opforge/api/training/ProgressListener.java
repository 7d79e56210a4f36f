package org.opforge.api.training;

/**
 * Receives progress from long-running work (training, data generation). Called on the worker's
 * thread: implementations must return quickly. Both methods default to doing nothing.
 */
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {};

    /** {@code done} of {@code total} steps of the current phase are finished (batches of an epoch, samples). */
    default void onStep(long done, long total) {}

    /** An epoch finished. */
    default void onEpoch(EpochReport report) {}
}
