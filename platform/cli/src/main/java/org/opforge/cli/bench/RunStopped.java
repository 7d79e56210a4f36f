package org.opforge.cli.bench;

/**
 * Thrown from the progress listener inside training to end a run early: the user stopped the
 * process, or the run exceeded its time budget. The operator's training loop lets it through.
 */
public final class RunStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the run stopped. */
    public enum Why { INTERRUPTED, TIME_BUDGET }

    private final Why why;

    public RunStopped(Why why, String message) {
        super(message);
        this.why = why;
    }

    public Why why() { return why; }
}
