package org.opforge.cli;

import java.util.Locale;

/**
 * The messages of sizes against the JVM heap: a size parameter that needs more than the heap has
 * left (found before anything is allocated, e.g. by the data generation's checks) and an
 * {@link OutOfMemoryError} anywhere, each one line. Both say how to raise the heap: {@code OPFORGE_JAVA_OPTS=-Xmx...}, which bin/opforge passes to the JVM.
 */
public final class HeapLimits {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private HeapLimits() {}

    /**
     * "--res 100000: preparing antiderivative needs about 298.0 GiB (320000000000 bytes); the heap has
     * 3.9 GiB available (maximum 4.0 GiB): raise it with OPFORGE_JAVA_OPTS=-Xmx373g, or choose a smaller --res".
     *
     * @param parameter the option and its value as the user gave them ("--res 100000")
     */
    public static String tooLarge(String parameter, long bytes, long available, String what) {
        return tooLarge(parameter, bytes, available, what, parameter.split(" ")[0]);
    }

    /** As above, naming {@code option} as the one to lower. */
    public static String tooLarge(String parameter, long bytes, long available, String what, String option) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long suggest = (long) Math.ceil((bytes + used) * 1.25 / GIB);
        return String.format(Locale.ROOT, "%s: %s needs about %s (%d bytes); the heap has %s available (maximum %s): "
                + "raise it with OPFORGE_JAVA_OPTS=-Xmx%dg, or choose a smaller %s", parameter, what, gib(bytes), bytes, gib(available),
                gib(rt.maxMemory()), Math.max(1, suggest), option);
    }

    /** The one line an {@link OutOfMemoryError} becomes. */
    public static String outOfMemory() {
        long max = Runtime.getRuntime().maxMemory();
        return String.format(Locale.ROOT, "out of memory: the work needs more than the heap's maximum of %s; raise it with "
                + "OPFORGE_JAVA_OPTS=-Xmx%dg, or give smaller sizes (--res, --n, --batch, --train-samples, --samples)", gib(max),
                Math.max(2, (long) Math.ceil(2 * max / GIB)));
    }

    private static String gib(long bytes) {
        return bytes < GIB ? String.format(Locale.ROOT, "%d MiB", bytes >> 20) : String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
    }
}
