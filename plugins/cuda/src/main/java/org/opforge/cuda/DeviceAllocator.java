package org.opforge.cuda;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A caching device allocator. Requests are rounded up to a size class (powers of two from 256 bytes
 * up to 4 MiB, then multiples of 2 MiB); a freed block goes to its class's free list and is handed out
 * again without a driver call, since {@code cuMemAlloc}/{@code cuMemFree} synchronize the device.
 * Reuse is safe without events because every kernel runs on the backend's single stream: work queued
 * after the reuse runs after the work that used the block before.
 *
 * <p>Tensors own {@link CudaBuffer}s with no explicit close, so a buffer's block returns to its free
 * list when the garbage collector finds the buffer unreachable (a phantom reference, drained on every
 * allocation). When the device runs out, the allocator frees the cached blocks, asks for a
 * collection, drains, and retries before giving up with the numbers.
 *
 * <p>Not thread-safe: the backend calls it under its lock.
 */
final class DeviceAllocator {
    static final long MIN_CLASS = 256, POW2_LIMIT = 4L << 20, LARGE_STEP = 2L << 20;

    /** A device block: address and class size. Holds no reference to its buffer. */
    static final class Block {
        final long address, size;

        Block(long address, long size) {
            this.address = address;
            this.size = size;
        }
    }

    private static final class Tracked extends PhantomReference<CudaBuffer> {
        final Block block;

        Tracked(CudaBuffer owner, Block block, ReferenceQueue<CudaBuffer> q) {
            super(owner, q);
            this.block = block;
        }
    }

    private final Driver driver;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private final ReferenceQueue<CudaBuffer> queue = new ReferenceQueue<>();
    private final Set<Tracked> tracked = new HashSet<>();
    private long inUse, cached, peakInUse, peakReserved, driverAllocations;

    DeviceAllocator(Driver driver) {
        this.driver = driver;
    }

    /** The class size of a request of {@code bytes}. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_CLASS) return MIN_CLASS;
        if (bytes <= POW2_LIMIT) return Long.highestOneBit(bytes - 1) << 1;
        return (bytes + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
    }

    /** A block of at least {@code bytes}, from the cache when one of its class is free. */
    Block acquire(long bytes) {
        drain();
        long size = sizeClass(bytes);
        ArrayDeque<Long> list = free.get(size);
        long address;
        if (list != null && !list.isEmpty()) {
            address = list.pop();
            cached -= size;
        } else {
            address = mallocWithRetry(size, bytes);
            driverAllocations++;
        }
        inUse += size;
        peakInUse = Math.max(peakInUse, inUse);
        peakReserved = Math.max(peakReserved, inUse + cached);
        return new Block(address, size);
    }

    private long mallocWithRetry(long size, long requested) {
        for (int attempt = 0; ; attempt++) {
            try {
                return driver.malloc(size);
            } catch (Driver.OutOfMemory e) {
                if (attempt == 3) {
                    throw new IllegalStateException(String.format(
                            "CUDA device out of memory: requested %d bytes (class %d); %d bytes in use by live tensors, %d cached; "
                                    + "device total %d bytes", requested, size, inUse, cached, driver.totalMemory()), e);
                }
                // unreachable tensors may still hold blocks: release the cache, collect, and take theirs back
                releaseCached();
                System.gc();
                try {
                    Thread.sleep(10L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                drain();
                releaseCached();
            }
        }
    }

    /** Ties {@code block} to {@code owner}: the block is recycled once the owner is unreachable. */
    void track(CudaBuffer owner, Block block) {
        tracked.add(new Tracked(owner, block, queue));
    }

    /** Returns a block (scratch memory) to its free list now. */
    void release(Block block) {
        free.computeIfAbsent(block.size, k -> new ArrayDeque<>()).push(block.address);
        inUse -= block.size;
        cached += block.size;
    }

    /** Recycles the blocks of buffers the collector found unreachable. */
    void drain() {
        for (Reference<? extends CudaBuffer> r; (r = queue.poll()) != null; ) {
            Tracked t = (Tracked) r;
            if (tracked.remove(t)) release(t.block);
        }
    }

    /** Frees every cached block to the driver. */
    void releaseCached() {
        for (ArrayDeque<Long> list : free.values()) {
            for (long a : list) driver.free(a);
        }
        free.clear();
        cached = 0;
    }

    long inUseBytes() { return inUse; }

    long cachedBytes() { return cached; }

    long peakInUseBytes() { return peakInUse; }

    long peakReservedBytes() { return peakReserved; }

    long driverAllocations() { return driverAllocations; }

    void resetPeaks() {
        drain();
        peakInUse = inUse;
        peakReserved = inUse + cached;
    }
}
