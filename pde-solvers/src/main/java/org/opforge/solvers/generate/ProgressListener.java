package org.opforge.solvers.generate;

/** Told after every finished sample; called from worker threads, one call at a time. */
@FunctionalInterface
public interface ProgressListener {
    void progress(int done, int total);

    ProgressListener NONE = (d, t) -> { };
}
