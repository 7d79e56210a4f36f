package org.opforge.cli;

import java.util.Locale;

/**
 * Sizes against the JVM heap: a size parameter that needs more than the heap has left is refused
 * before anything is allocated, and an {@link OutOfMemoryError} anywhere ends as one line. Both
 * say how to raise the heap: {@code OPFORGE_JAVA_OPTS=-Xmx...}, which bin/opforge passes to the JVM.
 */
public final class HeapLimits {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private HeapLimits() {}

    /** The heap the JVM can still allocate: its maximum less what is in use. */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * "--res 100000: preparing antiderivative needs about 298.0 GiB (320000000000 bytes); the heap has
     * 3.9 GiB available (maximum 4.0 GiB): raise it with OPFORGE_JAVA_OPTS=-Xmx373g, or choose a smaller --res".
     *
     * @param parameter the option and its value as the user gave them ("--res 100000")
     */
    public static String tooLarge(String parameter, long bytes, long available, String what) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long suggest = (long) Math.ceil((bytes + used) * 1.25 / GIB);
        String option = parameter.split(" ")[0];
        return String.format(Locale.ROOT, "%s: %s needs about %s (%d bytes); the heap has %s available (maximum %s): "
                + "raise it with OPFORGE_JAVA_OPTS=-Xmx%dg, or choose a smaller %s", parameter, what, gib(bytes), bytes, gib(available),
                gib(rt.maxMemory()), Math.max(1, suggest), option);
    }

    /** @throws IllegalArgumentException with {@link #tooLarge} when {@code bytes} exceed the heap left */
    public static void require(String parameter, long bytes, String what) {
        long available = available();
        if (bytes > available) throw new IllegalArgumentException(tooLarge(parameter, bytes, available, what));
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
