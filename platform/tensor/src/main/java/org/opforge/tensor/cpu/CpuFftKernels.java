package org.opforge.tensor.cpu;

import java.util.function.IntConsumer;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.FftKernels;

/**
 * CPU FFT kernels: the lane-vectorized mixed-radix / Bluestein transforms of {@link FloatFft} and
 * {@link DoubleFft}, with the lanes (all rows or columns of the transformed axis) split into chunks
 * that run in parallel on the engine's pool ({@link CpuThreads}: every core, the caller included).
 *
 * <p>Why our own FFT and not JTransforms: a layer of a neural operator transforms thousands of short
 * rows or columns at once. Transforming {@code V} of them together, with the butterflies looping over
 * the V lanes, vectorizes every stage and needs no transpose for strided axes; per-row library calls
 * cannot. The benchmark program {@code FftBench} compares both.
 *
 * <p>Two exceptions: pruned transforms of contiguous rows (the last axis of a spectral layer, few
 * bins kept) run as one GEMM against a cached DFT matrix ({@link DftGemm}), and the float32 channel
 * contraction runs through the SIMD {@link ChannelMix} kernel.
 */
public final class CpuFftKernels implements FftKernels {
    /** Below this many scalar butterfly inputs (lanes x length) a call runs on the calling thread only. */
    private static final long PARALLEL_THRESHOLD = 1 << 15;

    /**
     * Lanes transformed together along an axis of length n: 16 for short lengths, fewer for long ones so
     * the scratch stays in cache. When the axis is not the last one (inner >= 16) the lanes of a chunk
     * are neighbouring columns of one outer index, so gathers and scatters run along memory; the chunk
     * width is then the multiple of 16 (up to 64) that pads inner the least.
     */
    static int lanesFor(int n, int lanes, int inner) {
        int v = 16;
        while (v > 1 && (long) v * n > 16384) v >>= 1;
        if (v == 16 && inner >= 16) {
            int best = 16, padded = Integer.MAX_VALUE;
            for (int c = 16; c <= 64 && (long) c * n <= 16384; c += 16) {
                int p = (inner + c - 1) / c * c;
                if (p <= padded) {
                    padded = p;
                    best = c;
                }
            }
            return best;
        }
        while (v > 1 && v / 2 >= lanes) v >>= 1;
        return v;
    }

    /** Chunks of V lanes: per outer index ceil(inner / V) blocks of columns when {@link #blocked}, else runs of consecutive lanes. */
    static boolean blocked(int v, int inner) {
        return v >= 16 && inner >= 16;
    }

    /** Number of chunks for outer x inner lanes in chunks of v. */
    static int chunkCount(int v, int outer, int inner) {
        if (blocked(v, inner)) return outer * ((inner + v - 1) / v);
        long lanes = (long) outer * inner;
        return (int) ((lanes + v - 1) / v);
    }

    /** First lane of chunk c, and (in end[0]) the end of the lanes it may cover. */
    static int chunkFirst(int c, int v, int outer, int inner, int[] end) {
        if (blocked(v, inner)) {
            int blocks = (inner + v - 1) / v, o = c / blocks;
            end[0] = o * inner + inner;
            return o * inner + (c - o * blocks) * v;
        }
        end[0] = outer * inner;
        return c * v;
    }

    private static CpuBuffer buf(Buffer b, String what, boolean complex) {
        CpuBuffer c = CpuBackend.cb(b);
        if (c.dtype.isComplex() != complex) {
            throw new IllegalArgumentException("fft kernel: " + what + " must be " + (complex ? "complex" : "real") + ", found " + c.dtype);
        }
        return c;
    }

    private static void checkPrecision(CpuBuffer a, CpuBuffer b) {
        if (a.dtype.isDouble() != b.dtype.isDouble()) {
            throw new IllegalArgumentException("fft kernel: input " + a.dtype + " and output " + b.dtype + " differ in precision");
        }
    }

    private static void checkSize(CpuBuffer b, long expected, String what) {
        if (b.numel != expected) {
            throw new IllegalArgumentException("fft kernel: " + what + " holds " + b.numel + " elements, expected " + expected);
        }
    }

    @Override
    public void c2c(Buffer in, Buffer out, int outer, int n, int inner, int lo, int hi, boolean pad, boolean inverse, double scale) {
        CpuBuffer x = buf(in, "c2c input", true), y = buf(out, "c2c output", true);
        checkPrecision(x, y);
        int kept = FftKernels.keptFrequencies(n, lo, hi);
        checkSize(x, (long) outer * (pad ? kept : n) * inner, "c2c input");
        checkSize(y, (long) outer * (pad ? n : kept) * inner, "c2c output");
        if (DftGemm.worthIt(n, inner, pad ? kept : n, pad ? n : kept)) {
            DftGemm.c2c(x, y, outer, n, lo, hi, pad, inverse, scale);
            return;
        }
        FftPlan p = FftPlan.of(n);
        int lanes = outer * inner;
        int v = lanesFor(n, lanes, inner);
        int chunks = chunkCount(v, outer, inner);
        boolean dbl = x.dtype.isDouble();
        forChunks(chunks, (long) lanes * n, c -> {
            int[] end = new int[1];
            int first = chunkFirst(c, v, outer, inner, end);
            if (dbl) {
                DoubleFft.Work w = DoubleFft.work();
                DoubleFft.prepare(w, p, v);
                DoubleFft.c2c(p, w, v, first, end[0], x.d, y.d, inner, lo, hi, pad, inverse, scale);
            } else {
                FloatFft.Work w = FloatFft.work();
                FloatFft.prepare(w, p, v);
                FloatFft.c2c(p, w, v, first, end[0], x.f, y.f, inner, lo, hi, pad, inverse, (float) scale);
            }
        });
    }

    @Override
    public void r2c(Buffer in, Buffer out, int outer, int n, int inner, int bins, boolean hermitianWeights, double scale) {
        CpuBuffer x = buf(in, "r2c input", false), y = buf(out, "r2c output", true);
        checkPrecision(x, y);
        checkBins("r2c", n, bins);
        checkSize(x, (long) outer * n * inner, "r2c input");
        checkSize(y, (long) outer * bins * inner, "r2c output");
        if (DftGemm.worthIt(n, inner, n, bins)) {
            DftGemm.r2c(x, y, outer, n, bins, hermitianWeights, scale);
            return;
        }
        FftPlan p = FftPlan.of(n);
        int lanes = outer * inner;
        int v = lanesFor(n, lanes, inner);
        int chunks = chunkCount(v, outer, inner);
        boolean dbl = x.dtype.isDouble();
        forChunks(chunks, (long) lanes * n, c -> {
            int[] end = new int[1];
            int first = chunkFirst(c, v, outer, inner, end);
            if (dbl) {
                DoubleFft.Work w = DoubleFft.work();
                DoubleFft.prepare(w, p, v);
                DoubleFft.r2c(p, w, v, first, end[0], x.d, y.d, inner, bins, hermitianWeights, scale);
            } else {
                FloatFft.Work w = FloatFft.work();
                FloatFft.prepare(w, p, v);
                FloatFft.r2c(p, w, v, first, end[0], x.f, y.f, inner, bins, hermitianWeights, (float) scale);
            }
        });
    }

    @Override
    public void c2r(Buffer in, Buffer out, int outer, int n, int inner, int bins, boolean hermitianWeights, double scale) {
        CpuBuffer x = buf(in, "c2r input", true), y = buf(out, "c2r output", false);
        checkPrecision(x, y);
        checkBins("c2r", n, bins);
        checkSize(x, (long) outer * bins * inner, "c2r input");
        checkSize(y, (long) outer * n * inner, "c2r output");
        if (DftGemm.worthIt(n, inner, bins, n)) {
            DftGemm.c2r(x, y, outer, n, bins, hermitianWeights, scale);
            return;
        }
        FftPlan p = FftPlan.of(n);
        int lanes = outer * inner;
        int v = lanesFor(n, lanes, inner);
        int chunks = chunkCount(v, outer, inner);
        boolean dbl = x.dtype.isDouble();
        forChunks(chunks, (long) lanes * n, c -> {
            int[] end = new int[1];
            int first = chunkFirst(c, v, outer, inner, end);
            if (dbl) {
                DoubleFft.Work w = DoubleFft.work();
                DoubleFft.prepare(w, p, v);
                DoubleFft.c2r(p, w, v, first, end[0], x.d, y.d, inner, bins, hermitianWeights, scale);
            } else {
                FloatFft.Work w = FloatFft.work();
                FloatFft.prepare(w, p, v);
                FloatFft.c2r(p, w, v, first, end[0], x.f, y.f, inner, bins, hermitianWeights, (float) scale);
            }
        });
    }

    private static void checkBins(String op, int n, int bins) {
        if (n < 1 || bins < 1 || bins > n / 2 + 1) {
            throw new IllegalArgumentException(op + ": bins must be in [1, n/2+1] = [1, " + (n / 2 + 1) + "] for n = " + n + ", found " + bins);
        }
    }

    /** Modes per task of the channel contraction: accumulators and operand rows stay in L1. */
    private static final int MODE_BLOCK = 64;

    @Override
    public void channelMix(Buffer a, boolean transA, boolean conjA, Buffer b, boolean transB, boolean conjB, Buffer out,
                           int nb, int ni, int no, int modes) {
        CpuBuffer x = buf(a, "channelMix A", true), w = buf(b, "channelMix B", true), y = buf(out, "channelMix output", true);
        checkPrecision(x, w);
        checkPrecision(x, y);
        checkSize(x, (long) nb * ni * modes, "channelMix A");
        checkSize(w, (long) ni * no * modes, "channelMix B");
        checkSize(y, (long) nb * no * modes, "channelMix output");
        int blocks = (modes + MODE_BLOCK - 1) / MODE_BLOCK;
        long work = (long) nb * ni * no * modes;
        if (x.dtype.isDouble()) {
            double[] aR = new double[nb * ni * modes], aI = new double[aR.length];
            double[] bR = new double[ni * no * modes], bI = new double[bR.length];
            DoubleFft.planar(x.d, transA, conjA, nb, ni, modes, aR, aI);
            DoubleFft.planar(w.d, transB, conjB, ni, no, modes, bR, bI);
            forChunks(nb * blocks, work, t -> {
                int bb = t / blocks, m0 = (t % blocks) * MODE_BLOCK, m1 = Math.min(modes, m0 + MODE_BLOCK);
                DoubleFft.mixBlock(aR, aI, bR, bI, y.d, bb, ni, no, modes, m0, m1, new double[MODE_BLOCK], new double[MODE_BLOCK]);
            });
        } else {
            ChannelMix.mix(ChannelMix.KERNEL, x.f, transA, conjA, w.f, transB, conjB, y.f, nb, ni, no, modes);
        }
    }

    /**
     * Runs body(0..count-1), in parallel on the engine's pool ({@link CpuThreads}) when the total work is
     * worth it. Chunks are handed out one at a time from a shared counter, so a thread slowed by other
     * load just takes fewer of them.
     */
    static void forChunks(int count, long work, IntConsumer body) {
        if (count <= 1 || CpuThreads.threadsHere() <= 1 || work < PARALLEL_THRESHOLD) {
            for (int i = 0; i < count; i++) body.accept(i);
            return;
        }
        CpuThreads.parallelTasks(count, body);
    }
}
