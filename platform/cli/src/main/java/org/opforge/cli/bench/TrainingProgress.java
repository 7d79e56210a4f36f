package org.opforge.cli.bench;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;

/**
 * Shows training progress and keeps what a run record needs even when the run fails: a progress
 * bar with the latest losses on a terminal, one plain line per epoch otherwise (CI logs); the
 * epoch history; the heap high-water mark. It also ends a run early by throwing {@link RunStopped}
 * from {@link #onStep} when the stop flag is raised or the time budget is spent.
 */
public final class TrainingProgress implements ProgressListener, AutoCloseable {
    private final String label;
    private final PrintWriter out;
    private final boolean bar;
    private final BooleanSupplier stop;
    private final double budgetSeconds;
    private final MemoryWatch memory;
    private final List<EpochReport> history = new ArrayList<>();
    private final long start = System.nanoTime();
    private ProgressBar progressBar;
    private long lastLine = System.nanoTime();

    /**
     * @param out           where plain lines go
     * @param bar           draw a progress bar (on stderr) instead of plain lines
     * @param stop          polled at every step; true ends the run as interrupted
     * @param budgetSeconds wall-clock budget of the training, or infinity
     */
    public TrainingProgress(String label, PrintWriter out, boolean bar, BooleanSupplier stop, double budgetSeconds, MemoryWatch memory) {
        this.label = label;
        this.out = out;
        this.bar = bar;
        this.stop = stop;
        this.budgetSeconds = budgetSeconds;
        this.memory = memory;
    }

    /**
     * Whether stderr is an interactive terminal: there is a console and, on JDKs that tell
     * ({@code Console.isTerminal()}, 22+), it is a terminal.
     */
    public static boolean interactive() {
        Console c = System.console();
        if (c == null) return false;
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public void onStep(long done, long total) {
        memory.sample();
        if (bar) {
            if (progressBar == null) {
                progressBar = new ProgressBarBuilder().setTaskName(label).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).build();
            }
            progressBar.maxHint(total);
            progressBar.stepTo(done);
        }
        if (stop.getAsBoolean()) throw new RunStopped(RunStopped.Why.INTERRUPTED, "stopped by the user");
        double elapsed = elapsedSeconds();
        if (elapsed > budgetSeconds) {
            throw new RunStopped(RunStopped.Why.TIME_BUDGET, String.format(Locale.ROOT,
                    "time budget of %.0f s exceeded after %.1f s (%d epochs finished)", budgetSeconds, elapsed, history.size()));
        }
    }

    @Override
    public void onEpoch(EpochReport r) {
        history.add(r);
        memory.sample();
        StringBuilder losses = new StringBuilder(String.format(Locale.ROOT, "train %.4e%s", r.trainLoss(),
                Double.isNaN(r.validationLoss()) ? "" : String.format(Locale.ROOT, "  val %.4e", r.validationLoss())));
        r.metrics().forEach((k, v) -> losses.append(String.format(Locale.ROOT, "  %s %.4e", k, v)));
        if (progressBar != null) {
            progressBar.setExtraMessage(" epoch " + r.epoch() + "/" + r.epochs() + "  " + losses);
        } else if (!bar && printable(r)) {
            lastLine = System.nanoTime();
            out.printf(Locale.ROOT, "[%s] epoch %d/%d  %s  %.2f s%n", label, r.epoch(), r.epochs(), losses, r.seconds());
            out.flush();
        }
    }

    /**
     * Plain lines for at most about 50 epochs of a run (the first, the last and evenly spaced ones,
     * so logs of runs with thousands of one-step epochs stay short), for any epoch that ends
     * 10 s or more after the previous line, and for every epoch with further validation measures
     * (a model's error curve, evaluated every {@code eval_every} epochs).
     */
    private boolean printable(EpochReport r) {
        int every = Math.max(1, (r.epochs() + 49) / 50);
        return r.epoch() == 1 || r.epoch() == r.epochs() || r.epoch() % every == 0 || !r.metrics().isEmpty()
                || System.nanoTime() - lastLine > 10_000_000_000L;
    }

    /** The epochs finished so far. */
    public List<EpochReport> history() {
        return List.copyOf(history);
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        if (progressBar != null) {
            progressBar.close();
            progressBar = null;
        }
    }
}
