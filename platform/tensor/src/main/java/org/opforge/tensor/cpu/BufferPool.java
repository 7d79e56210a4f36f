package org.opforge.tensor.cpu;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Released CPU storage (float[] or double[]) waiting to be reused by an allocation of the same type
 * and length. Arrays are held softly, so the pool never causes an {@link OutOfMemoryError}: under
 * memory pressure the collector takes them back. Arrays shorter than {@link #MIN_SLOTS} are not kept
 * (the allocator serves those from the thread's allocation buffer at no cost). When an array would take
 * the pool past its capacity, the arrays of the sizes used least recently go first: a pool that simply
 * stopped keeping once full clogged with sizes nobody asked for again (an earlier workload's), and every
 * release of the sizes in use was dropped.
 */
final class BufferPool {
    /** 64 KiB of floats. */
    static final int MIN_SLOTS = 1 << 14;

    private final long capacityBytes;
    /** Keyed by {@link #key}: the length, and whether the arrays are double[]. */
    private final Map<Long, ArrayDeque<SoftReference<Object>>> arrays = new LinkedHashMap<>(16, 0.75f, true);
    private long heldBytes;

    BufferPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    private static long key(boolean doubles, int slots) {
        return 2L * slots + (doubles ? 1 : 0);
    }

    private static long bytes(boolean doubles, int slots) {
        return (doubles ? 8L : 4L) * slots;
    }

    /** Keeps {@code array} (a float[] or double[]) for reuse if it is long enough, making room for it as needed. */
    synchronized void put(Object array) {
        boolean doubles = array instanceof double[];
        int slots = doubles ? ((double[]) array).length : ((float[]) array).length;
        long bytes = bytes(doubles, slots);
        if (slots < MIN_SLOTS || bytes > capacityBytes) return;
        evictFor(bytes);
        arrays.computeIfAbsent(key(doubles, slots), k -> new ArrayDeque<>()).push(new SoftReference<>(array));
        heldBytes += bytes;
    }

    /** Drops the oldest arrays of the least recently used sizes until {@code bytes} more fit. */
    private void evictFor(long bytes) {
        Iterator<Map.Entry<Long, ArrayDeque<SoftReference<Object>>>> sizes = arrays.entrySet().iterator();
        while (heldBytes + bytes > capacityBytes && sizes.hasNext()) {
            Map.Entry<Long, ArrayDeque<SoftReference<Object>>> e = sizes.next();
            long key = e.getKey();
            long each = bytes((key & 1) == 1, (int) (key >>> 1));
            ArrayDeque<SoftReference<Object>> q = e.getValue();
            while (heldBytes + bytes > capacityBytes && !q.isEmpty()) {
                q.pollLast();
                heldBytes -= each;
            }
            if (q.isEmpty()) sizes.remove();
        }
    }

    /** A kept double[] ({@code doubles}) or float[] of exactly {@code slots} values (contents arbitrary), or null. */
    synchronized Object take(boolean doubles, int slots) {
        ArrayDeque<SoftReference<Object>> q = arrays.get(key(doubles, slots));
        while (q != null && !q.isEmpty()) {
            Object a = q.pop().get();
            heldBytes -= bytes(doubles, slots);
            if (a != null) return a;
        }
        return null;
    }

    /** Bytes of the arrays kept (those the collector took back included until they are looked up). */
    synchronized long heldBytes() { return heldBytes; }

    synchronized void clear() {
        arrays.clear();
        heldBytes = 0;
    }
}
