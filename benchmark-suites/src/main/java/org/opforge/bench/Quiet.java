package org.opforge.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The noise handling of the PyTorch peers (../shared/peers/_common.py), so that an engine figure and
 * the peer's figure printed beside it were taken under the same rules: before each attempt wait (up
 * to a limit) until other processes use under 5% of the machine, time the repetitions while
 * measuring {@code foreign_cpu} (CPU used by other processes during the timed calls, as a fraction of
 * wall x cores, from /proc/stat), and keep the least disturbed of up to four attempts.
 *
 * <p>One rule of the JVM's own: timing starts in the steady state ({@link #settle}), once the JIT has
 * stopped compiling and the process has stopped faulting in fresh heap pages. On 2 cores a C2
 * compilation in the background takes one core from a two-thread kernel: a 256 x 256 product, the
 * first case after start, ran its halves one after the other for seconds (230-340 us against 190).
 * G1 grows the heap in steps after start, and every call that allocates in a region never used before
 * pays the kernel's first touch of its pages: that product's 256 KiB output took 125 us to allocate
 * instead of 12 (64 page faults). PyTorch has no JIT, and its allocator hands the same memory back
 * after its first calls, so the peers' warm-up covers both.
 */
final class Quiet {
    private Quiet() {}

    static final double THRESHOLD = 0.05;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Timings of the kept attempt in milliseconds (sorted) and its foreign CPU fraction. */
    record Timing(double[] ms, double foreign, double faultsPerCall) {
        double min() { return ms[0]; }

        double median() { return ms[ms.length / 2]; }

        double max() { return ms[ms.length - 1]; }
    }

    /** {@code warmup} untimed calls, then up to four attempts of {@code reps} timed calls as described above. */
    static Timing time(Runnable f, int reps, int warmup, double maxWaitSeconds) {
        for (int i = 0; i < warmup; i++) f.run();
        settle(f, SETTLE_SECONDS);
        double[] best = null;
        double bestForeign = Double.POSITIVE_INFINITY, bestFaults = Double.NaN;
        for (int attempt = 0; attempt < 4; attempt++) {
            waitQuiet(maxWaitSeconds);
            double[] t = new double[reps];
            long[] c0 = cpu();
            long f0 = minorFaults();
            long w0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                f.run();
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
            double foreign = foreign(c0, cpu(), (System.nanoTime() - w0) / 1e9);
            if (best == null || foreign < bestForeign) {
                bestForeign = foreign;
                bestFaults = f0 < 0 ? Double.NaN : (minorFaults() - f0) / (double) reps;
                best = t;
            }
            if (!(foreign > THRESHOLD)) break;
        }
        Arrays.sort(best);
        return new Timing(best, bestForeign, bestFaults);
    }

    /** Longest a benchmark waits for the steady state before it times anyway. */
    static final double SETTLE_SECONDS = 60;

    /** Consecutive quiet windows that make the steady state (two seconds). */
    static final int QUIET_WINDOWS = 8;

    /**
     * Calls {@code f} in windows of at least a quarter of a second until {@link #QUIET_WINDOWS} windows in a row
     * see the JIT compile for under 1 % of them and take fewer minor page faults than they made calls (the heap
     * has stopped growing into untouched memory), or {@code maxSeconds} have passed; returns the number of
     * calls. One quiet window was not enough: a training step's code keeps being recompiled in bursts for 10 to
     * 20 seconds after start (deoptimized callers of the vector kernels run them unintrinsified meanwhile, a
     * DeepONet step at 7-9 ms instead of 4.7). A reading that is not available (no /proc/self/stat, no
     * compilation bean) does not hold it back.
     */
    static int settle(Runnable f, double maxSeconds) {
        long end = System.nanoTime() + (long) (maxSeconds * 1e9);
        int calls = 0, quiet = 0;
        while (true) {
            long f0 = minorFaults(), j0 = compileMillis();
            long w0 = System.nanoTime();
            int window = 0;
            do {
                f.run();
                window++;
            } while (System.nanoTime() - w0 < 250_000_000L);
            calls += window;
            double windowMillis = (System.nanoTime() - w0) / 1e6;
            boolean faultsSettled = f0 < 0 || minorFaults() - f0 < window;
            boolean jitSettled = j0 < 0 || compileMillis() - j0 < 0.01 * windowMillis;
            quiet = faultsSettled && jitSettled ? quiet + 1 : 0;
            if (quiet >= QUIET_WINDOWS || System.nanoTime() > end) return calls;
        }
    }

    /** Milliseconds the JIT has spent compiling so far (all compiler threads), or -1 where not reported. */
    static long compileMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Minor page faults of this process so far (field 10 of /proc/self/stat), or -1 where it cannot be read. */
    static long minorFaults() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {busy clock ticks of the machine (/proc/stat, user..steal without idle and iowait), own CPU nanoseconds}. */
    static long[] cpu() {
        long busy = 0;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i <= 8 && i < f.length; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
        } catch (java.io.IOException | RuntimeException e) {
            busy = -1;
        }
        long own = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return new long[] {busy, own};
    }

    /** CPU used by other processes between two {@link #cpu()} readings, as a fraction of wall x cores (ticks of 10 ms). */
    static double foreign(long[] a, long[] b, double wallSeconds) {
        if (a[0] < 0 || b[0] < 0) return Double.NaN;
        double busy = (b[0] - a[0]) / 100.0, own = (b[1] - a[1]) / 1e9;
        return Math.max(0, busy - own) / (wallSeconds * CORES);
    }

    /** Sleeps in 1 s windows until a window sees less than 5% foreign CPU, or {@code maxSeconds} have passed. */
    static void waitQuiet(double maxSeconds) {
        long end = System.nanoTime() + (long) (maxSeconds * 1e9);
        while (true) {
            long[] c0 = cpu();
            long w0 = System.nanoTime();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            double f = foreign(c0, cpu(), (System.nanoTime() - w0) / 1e9);
            if (!(f >= THRESHOLD) || System.nanoTime() > end) return;
        }
    }
}
