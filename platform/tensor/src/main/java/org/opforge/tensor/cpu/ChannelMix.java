package org.opforge.tensor.cpu;

/**
 * The float32 channel contraction of {@link CpuFftKernels#channelMix}: operands are converted once
 * to planar parts (transposed and conjugated as asked) into per-thread scratch, then batch rows and
 * blocks of modes run in parallel through the {@link ChannelMixKernel}: the SIMD one (modes in the
 * vector lanes, a 2 x 2 block of (b, o) accumulators in registers, so each loaded operand vector
 * feeds four complex multiply-adds) when jdk.incubator.vector is available, else the plain loop.
 */
final class ChannelMix {
    private ChannelMix() {}

    static final ChannelMixKernel KERNEL = pick();

    private static ChannelMixKernel pick() {
        ChannelMixKernel simd = SimdKernels.load(ChannelMixKernel.class, "VectorChannelMixKernel");
        return simd != null ? simd : new Plain();
    }

    /** Modes per task: the B block of one task, ni x no x MODE_BLOCK x 2 floats, stays in L2. */
    static final int MODE_BLOCK = 64;

    private static final class Scratch {
        float[] aR = new float[0], aI = new float[0], bR = new float[0], bI = new float[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static void mix(ChannelMixKernel k, float[] a, boolean transA, boolean conjA, float[] b, boolean transB, boolean conjB,
                    float[] out, int nb, int ni, int no, int modes) {
        Scratch s = SCRATCH.get();
        int na = nb * ni * modes, nw = ni * no * modes;
        if (s.aR.length < na) { s.aR = new float[na]; s.aI = new float[na]; }
        if (s.bR.length < nw) { s.bR = new float[nw]; s.bI = new float[nw]; }
        float[] aR = s.aR, aI = s.aI, bR = s.bR, bI = s.bI;
        CpuThreads.parallelFor(nb, (long) ni * modes, (r0, r1) -> planar(a, transA, conjA, nb, ni, modes, aR, aI, r0, r1));
        CpuThreads.parallelFor(ni, (long) no * modes, (r0, r1) -> planar(b, transB, conjB, ni, no, modes, bR, bI, r0, r1));
        int pairs = (nb + 1) / 2, blocks = (modes + MODE_BLOCK - 1) / MODE_BLOCK;
        // consecutive tasks share a block of modes, so a thread's B block stays in cache across batch pairs
        CpuThreads.parallelFor(pairs * blocks, 8L * ni * no * Math.min(modes, MODE_BLOCK), (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int blk = t / pairs, p = t % pairs;
                int m0 = blk * MODE_BLOCK, m1 = Math.min(modes, m0 + MODE_BLOCK);
                k.block(aR, aI, bR, bI, out, ni, no, modes, 2 * p, Math.min(nb, 2 * p + 2), m0, m1);
            }
        });
    }

    /**
     * Rows [r0, r1) of the planar copy of {@code src} read as a (rows, cols, modes) complex tensor, or
     * with {@code trans} as stored (cols, rows, modes), conjugated when asked.
     */
    static void planar(float[] src, boolean trans, boolean conj, int rows, int cols, int modes, float[] re, float[] im,
                       int r0, int r1) {
        float sg = conj ? -1 : 1;
        for (int r = r0; r < r1; r++) {
            for (int c = 0; c < cols; c++) {
                int s = 2 * (trans ? c * rows + r : r * cols + c) * modes;
                int d = (r * cols + c) * modes;
                for (int m = 0; m < modes; m++) {
                    re[d + m] = src[s + 2 * m];
                    im[d + m] = sg * src[s + 2 * m + 1];
                }
            }
        }
    }

    /** Plain loops; also the mode tail of the SIMD kernel. */
    static final class Plain implements ChannelMixKernel {
        @Override public void block(float[] aR, float[] aI, float[] bR, float[] bI, float[] out, int ni, int no, int modes,
                                    int b0, int b1, int m0, int m1) {
            int len = m1 - m0;
            float[] accR = new float[len], accI = new float[len];
            for (int b = b0; b < b1; b++) {
                for (int o = 0; o < no; o++) {
                    java.util.Arrays.fill(accR, 0);
                    java.util.Arrays.fill(accI, 0);
                    for (int i = 0; i < ni; i++) {
                        int pa = (b * ni + i) * modes + m0, pb = (i * no + o) * modes + m0;
                        for (int m = 0; m < len; m++) {
                            float xr = aR[pa + m], xi = aI[pa + m], yr = bR[pb + m], yi = bI[pb + m];
                            accR[m] += xr * yr - xi * yi;
                            accI[m] += xr * yi + xi * yr;
                        }
                    }
                    int d = 2 * ((b * no + o) * modes + m0);
                    for (int m = 0; m < len; m++) {
                        out[d + 2 * m] = accR[m];
                        out[d + 2 * m + 1] = accI[m];
                    }
                }
            }
        }

        @Override public String name() { return "java"; }
    }
}
