package org.opforge.tensor.cpu;

import org.opforge.tensor.backend.ConvGeometry;

/**
 * Float32 2-D convolution of one sample without an unfolded column matrix. Output (oh, ow) of kernel
 * offset (jh, jw) reads input row {@code oh*sH - pH + jh*dH}; writing {@code jh*dH - pH = sH*q + a}
 * with {@code 0 <= a < sH} makes it row {@code oh + q} of the phase plane {@code a} (the input rows
 * {@code sH*i + a}), and likewise along W. The sample is copied once into its {@code sH*sW} phase
 * planes per channel, padded (zeros, or wrapped when circular) to cover every offset, after which each
 * kernel offset of each channel is one fixed shift {@code bOff[p]} into those planes and the outputs of a
 * row are consecutive: the product with the weights runs on {@link DirectConvKernel} tiles that load
 * every B row in place. Stride 1 has one plane per channel, the input with a halo.
 */
final class DirectConv {
    /** The SIMD tile, or null where jdk.incubator.vector is unavailable (the unfold-and-GEMM path is used then). */
    static final DirectConvKernel KERNEL = SimdKernels.load(DirectConvKernel.class, "VectorDirectConvKernel");
    /**
     * Longest reduction (channels x kernel volume) taken here: beyond it the unfolding is a small share of
     * a long GEMM, and the tile's packed weights would leave L1.
     */
    static final int MAX_K = 1152;
    private static final int MR = 12;

    private final int c, cOut, k, kH, kW, sH, sW, oH, oW, nH, nW, qH, qW, pH, pW, plane;
    private final boolean circular;
    private final int[] bOff;

    private DirectConv(int c, int cOut, ConvGeometry g) {
        this.c = c;
        this.cOut = cOut;
        nH = g.in(0);
        nW = g.in(1);
        oH = g.out(0);
        oW = g.out(1);
        kH = g.kernel(0);
        kW = g.kernel(1);
        sH = g.stride(0);
        sW = g.stride(1);
        k = c * kH * kW;
        circular = g.circular();
        int dH = g.dilation(0), dW = g.dilation(1), padH = g.padding(0), padW = g.padding(1);
        qH = Math.floorDiv(-padH, sH);
        qW = Math.floorDiv(-padW, sW);
        pH = oH + Math.floorDiv((kH - 1) * dH - padH, sH) - qH;
        pW = oW + Math.floorDiv((kW - 1) * dW - padW, sW) - qW;
        plane = pH * pW;
        bOff = new int[k];
        for (int ci = 0, p = 0; ci < c; ci++) {
            for (int jh = 0; jh < kH; jh++) {
                int offH = jh * dH - padH, aH = Math.floorMod(offH, sH), rH = Math.floorDiv(offH, sH) - qH;
                for (int jw = 0; jw < kW; jw++, p++) {
                    int offW = jw * dW - padW, aW = Math.floorMod(offW, sW), rW = Math.floorDiv(offW, sW) - qW;
                    bOff[p] = ((ci * sH + aH) * sW + aW) * plane + rH * pW + rW;
                }
            }
        }
    }

    /** The plan for a float32 convolution of {@code c} channels into {@code cOut}, or null where this path does not apply. */
    static DirectConv plan(int c, int cOut, ConvGeometry g) {
        if (KERNEL == null || g.rank() != 2 || g.isPointwise()) return null;
        long k = (long) c * g.kernelVolume();
        // whole vectors per output row only: masked loads (the tails) leave C2's intrinsics on JDK 17 and run
        // many times slower than the unfolding they would replace
        if (k > MAX_K || g.out(1) % KERNEL.lanes() != 0) return null;
        return new DirectConv(c, cOut, g);
    }

    /** Floats of phase planes one sample needs (the caller's scratch). */
    int planesSize() { return c * sH * sW * plane; }

    /** Floats of packed weights (the caller's scratch). */
    int packedSize() { return (cOut + MR - 1) / MR * MR * k; }

    /** Packs w (cOut, c, kH, kW) at {@code wo} into 12-row slivers, zero rows past cOut. */
    void packWeights(float[] w, int wo, float[] pa) {
        for (int t = 0; t * MR < cOut; t++) {
            int base = t * MR * k;
            for (int r = 0; r < MR; r++) {
                int co = t * MR + r;
                if (co < cOut) for (int p = 0; p < k; p++) pa[base + p * MR + r] = w[wo + co * k + p];
                else for (int p = 0; p < k; p++) pa[base + p * MR + r] = 0f;
            }
        }
    }

    /** out (cOut, oH, oW) at {@code oo} (+)= conv(x (c, nH, nW) at {@code xo}); {@code xp} holds at least {@link #planesSize()}. */
    void run(float[] x, int xo, float[] pa, float[] xp, float[] out, int oo, boolean accumulate) {
        fillPlanes(x, xo, xp);
        int lanes = KERNEL.lanes(), l = oH * oW;
        for (int t = 0; t * MR < cOut; t++) {
            int rows = Math.min(MR, cOut - t * MR), ao = t * MR * k, co = oo + t * MR * l;
            for (int oh = 0; oh < oH; oh++) {
                for (int ow = 0; ow < oW; ow += lanes) {
                    KERNEL.tile(k, pa, ao, xp, oh * pW + ow, bOff, out, co + oh * oW + ow, l, rows, accumulate);
                }
            }
        }
    }

    /**
     * gw (cOut, c, kH, kW) at {@code gwo} (+)= the weight gradient of this convolution for one sample:
     * {@code sum over outputs of gy[co, o] * x at the input position that offset p reads for o}, with x
     * (c, nH, nW) at {@code xo} and gy (cOut, oH, oW) at {@code go}.
     */
    void weightGradient(float[] x, int xo, float[] gy, int go, float[] xp, float[] gw, int gwo, boolean accumulate) {
        fillPlanes(x, xo, xp);
        int l = oH * oW;
        for (int co = 0; co < cOut; co += 4) {
            int rows = Math.min(4, cOut - co);
            for (int p = 0; p < k; p += 3) {
                KERNEL.gradTile(gy, go + co * l, l, rows, xp, bOff, p, Math.min(3, k - p), oH, oW, pW, gw, gwo + co * k, k, accumulate);
            }
        }
    }

    /** Phase plane (ci, a, b), entry (i, j): input (sH*(i + qH) + a, sW*(j + qW) + b), zero outside (wrapped when circular). */
    private void fillPlanes(float[] x, int xo, float[] xp) {
        for (int ci = 0; ci < c; ci++) {
            int src = xo + ci * nH * nW;
            for (int a = 0; a < sH; a++) {
                for (int b = 0; b < sW; b++) {
                    int dst = ((ci * sH + a) * sW + b) * plane;
                    for (int i = 0; i < pH; i++, dst += pW) {
                        int row = sH * (i + qH) + a;
                        if (circular) row = Math.floorMod(row, nH);
                        else if (row < 0 || row >= nH) {
                            java.util.Arrays.fill(xp, dst, dst + pW, 0f);
                            continue;
                        }
                        int rs = src + row * nW;
                        if (!circular && sW == 1) {
                            // columns j + qW + b: a copy of the valid range, zeros around it
                            int j0 = Math.max(0, -(qW + b)), j1 = Math.min(pW, nW - (qW + b));
                            if (j1 <= j0) {
                                java.util.Arrays.fill(xp, dst, dst + pW, 0f);
                                continue;
                            }
                            java.util.Arrays.fill(xp, dst, dst + j0, 0f);
                            System.arraycopy(x, rs + j0 + qW + b, xp, dst + j0, j1 - j0);
                            java.util.Arrays.fill(xp, dst + j1, dst + pW, 0f);
                            continue;
                        }
                        for (int j = 0; j < pW; j++) {
                            int col = sW * (j + qW) + b;
                            if (circular) xp[dst + j] = x[rs + Math.floorMod(col, nW)];
                            else xp[dst + j] = col >= 0 && col < nW ? x[rs + col] : 0f;
                        }
                    }
                }
            }
        }
    }
}
