package org.opforge.tensor.cpu;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Released CPU storage waiting to be reused by an allocation of the same length. Arrays are held
 * softly, so the pool never causes an {@link OutOfMemoryError}: under memory pressure the collector
 * takes them back. Arrays shorter than {@link #MIN_SLOTS} are not kept (the allocator serves those
 * from the thread's allocation buffer at no cost), nor any beyond the capacity.
 */
final class BufferPool {
    /** 64 KiB of floats. */
    static final int MIN_SLOTS = 1 << 14;

    private final long capacityBytes;
    private final Map<Integer, ArrayDeque<SoftReference<float[]>>> floats = new HashMap<>();
    private final Map<Integer, ArrayDeque<SoftReference<double[]>>> doubles = new HashMap<>();
    private long heldBytes;

    BufferPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Keeps {@code array} (a float[] or double[]) for reuse if it is long enough and there is room. */
    synchronized void put(Object array) {
        if (array instanceof float[] f && f.length >= MIN_SLOTS && heldBytes + 4L * f.length <= capacityBytes) {
            floats.computeIfAbsent(f.length, k -> new ArrayDeque<>()).push(new SoftReference<>(f));
            heldBytes += 4L * f.length;
        } else if (array instanceof double[] d && d.length >= MIN_SLOTS && heldBytes + 8L * d.length <= capacityBytes) {
            doubles.computeIfAbsent(d.length, k -> new ArrayDeque<>()).push(new SoftReference<>(d));
            heldBytes += 8L * d.length;
        }
    }

    /** A kept float[] of exactly {@code slots} values (contents arbitrary), or null. */
    synchronized float[] takeFloats(int slots) {
        ArrayDeque<SoftReference<float[]>> q = floats.get(slots);
        while (q != null && !q.isEmpty()) {
            float[] f = q.pop().get();
            heldBytes -= 4L * slots;
            if (f != null) return f;
        }
        return null;
    }

    /** A kept double[] of exactly {@code slots} values (contents arbitrary), or null. */
    synchronized double[] takeDoubles(int slots) {
        ArrayDeque<SoftReference<double[]>> q = doubles.get(slots);
        while (q != null && !q.isEmpty()) {
            double[] d = q.pop().get();
            heldBytes -= 8L * slots;
            if (d != null) return d;
        }
        return null;
    }

    /** Bytes of the arrays kept (those the collector took back included until they are looked up). */
    synchronized long heldBytes() { return heldBytes; }

    synchronized void clear() {
        floats.clear();
        doubles.clear();
        heldBytes = 0;
    }
}
