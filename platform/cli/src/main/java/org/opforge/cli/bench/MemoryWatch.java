package org.opforge.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap use during a run, two ways: the high-water mark of the heap in use, sampled by
 * {@link #sample()} (called after every training step), and the sum of the heap pools' own peak
 * usage since {@link #start()} as the JVM tracks it (an upper bound: the pools need not peak at
 * the same moment). Neither counts native memory (CUDA buffers).
 */
public final class MemoryWatch {
    private long sampledPeak;

    /** Resets the pools' peaks and the sampled peak. */
    public void start() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid()) p.resetPeakUsage();
        }
        sampledPeak = 0;
        sample();
    }

    /** Records the heap in use now. Cheap enough to call per training step. */
    public void sample() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        if (used > sampledPeak) sampledPeak = used;
    }

    /** Highest sampled heap in use, bytes. */
    public long sampledPeakBytes() {
        return sampledPeak;
    }

    /** Sum of the heap pools' peak usage since {@link #start()}, bytes. */
    public long poolPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid()) sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }
}
