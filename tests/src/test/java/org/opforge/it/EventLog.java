package org.opforge.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Collects lines (lifecycle events, process output) and waits for expected ones. */
public final class EventLog {
    private final List<String> lines = new ArrayList<>();

    public synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    public synchronized List<String> lines() { return List.copyOf(lines); }

    /**
     * Waits until a line at index {@code from} or later satisfies {@code wanted}.
     *
     * @return the index of that line
     * @throws AssertionError naming what was awaited and every line seen, when it does not come within {@code timeout}
     */
    public synchronized int await(int from, String description, Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = from; i < lines.size(); i++) if (wanted.test(lines.get(i))) return i;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no line '" + description + "' within " + timeout.toMillis() + " ms; lines since #"
                        + from + ": " + lines.subList(Math.min(from, lines.size()), lines.size()));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits for a line starting with {@code prefix} and returns it. */
    public synchronized String awaitPrefix(int from, String prefix, Duration timeout) throws InterruptedException {
        return lines.get(await(from, prefix + "...", l -> l.startsWith(prefix), timeout));
    }

    /** Waits for a line equal to {@code line}. */
    public int awaitLine(int from, String line, Duration timeout) throws InterruptedException {
        return await(from, line, line::equals, timeout);
    }
}
