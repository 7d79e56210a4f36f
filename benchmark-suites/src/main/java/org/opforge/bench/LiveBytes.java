package org.opforge.bench;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.opforge.tensor.cpu.CpuBackend;
import org.opforge.tensor.cpu.CpuBuffer;

/**
 * The peak bytes of CPU tensor storage live during a piece of work, counting only storage allocated
 * while it runs: at every allocation of at least 64 KiB the heap is collected and the storage still
 * reachable (and not released to the pool) is summed. This is what PyTorch's profiler counts for its
 * own tensors ({@code scripts/fno2d_memory_torch.py --live}): allocations minus frees since the start,
 * with no garbage in it. Slow (a full collection per large allocation): for measurement only.
 */
final class LiveBytes implements Consumer<CpuBuffer> {
    private static final long SAMPLE_BYTES = 64 << 10;
    private final List<WeakReference<CpuBuffer>> tracked = new ArrayList<>();
    private long peak;

    /** Peak live bytes allocated by {@code work} above what was live when it started. */
    static long peakOf(Runnable work) {
        LiveBytes probe = new LiveBytes();
        System.gc();
        CpuBackend.observeAllocations(probe);
        try {
            work.run();
        } finally {
            CpuBackend.observeAllocations(null);
        }
        return probe.peak;
    }

    @Override
    public synchronized void accept(CpuBuffer b) {
        tracked.add(new WeakReference<>(b));
        if (b.bytes() < SAMPLE_BYTES) return;
        System.gc();
        long live = 0;
        for (WeakReference<CpuBuffer> r : tracked) {
            CpuBuffer t = r.get();
            if (t != null) live += t.bytes();
        }
        tracked.removeIf(r -> r.get() == null);
        peak = Math.max(peak, live);
    }
}
