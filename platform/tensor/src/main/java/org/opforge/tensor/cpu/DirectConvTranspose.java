package org.opforge.tensor.cpu;

import java.util.Arrays;
import org.opforge.tensor.backend.ConvGeometry;

/**
 * The adjoint of a strided float32 2-D convolution (its input gradient, and the transposed convolution)
 * for one sample, without folding columns back. Input position {@code ih = sH*i + a} receives
 * {@code w[co, ci, jh, jw] gy[co, oh, ow]} exactly when the offset {@code jh*dH - pH = sH*q + a} and
 * {@code oh = i - q}: for each phase (a, b) the phase's outputs are a stride-1 correlation of the
 * zero-bordered gy with the taps of that phase, computed on {@link DirectConvKernel} tiles (rows the
 * input channels, the reduction over output channels and taps), then interleaved into gx. Zero padding,
 * one group.
 */
final class DirectConvTranspose {
    private static final int MR = 12;

    private final int c, cOut, kH, kW, sH, sW, oH, oW, nH, nW, rowsI, colsJ, topH, topW, pH, pW, plane;
    /** Per phase (a*sW + b): its reduction length, shifts into the bordered gy planes, and packed weights. */
    private final int[] kPhase;
    /** Phase of each kernel offset (jh*kW + jw). */
    private final int[] tapPhase;
    private final int[][] bOff;
    private final float[][] packed;

    private DirectConvTranspose(int c, int cOut, ConvGeometry g, float[] w) {
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
        rowsI = nH / sH;
        colsJ = nW / sW;
        int[] qH = shifts(kH, g.dilation(0), g.padding(0), sH), qW = shifts(kW, g.dilation(1), g.padding(1), sW);
        topH = Math.max(0, Arrays.stream(qH).max().getAsInt());
        topW = Math.max(0, Arrays.stream(qW).max().getAsInt());
        pH = rowsI + topH - Math.min(0, Arrays.stream(qH).min().getAsInt());
        pW = colsJ + topW - Math.min(0, Arrays.stream(qW).min().getAsInt());
        plane = pH * pW;
        int phases = sH * sW;
        kPhase = new int[phases];
        bOff = new int[phases][];
        packed = new float[phases][];
        tapPhase = new int[kH * kW];
        for (int jh = 0; jh < kH; jh++) {
            for (int jw = 0; jw < kW; jw++) {
                tapPhase[jh * kW + jw] = phase(jh, g.dilation(0), g.padding(0), sH) * sW + phase(jw, g.dilation(1), g.padding(1), sW);
            }
        }
        for (int ph = 0; ph < phases; ph++) {
            int taps = 0;
            for (int t : tapPhase) if (t == ph) taps++;
            kPhase[ph] = cOut * taps;
            bOff[ph] = new int[kPhase[ph]];
            int p = 0;
            for (int co = 0; co < cOut; co++) {
                for (int jh = 0; jh < kH; jh++) {
                    for (int jw = 0; jw < kW; jw++) {
                        if (tapPhase[jh * kW + jw] == ph) bOff[ph][p++] = co * plane + (topH - qH[jh]) * pW + (topW - qW[jw]);
                    }
                }
            }
        }
        packWeights(w);
    }

    private static int phase(int j, int d, int pad, int s) { return Math.floorMod(j * d - pad, s); }

    private static int[] shifts(int k, int d, int pad, int s) {
        int[] q = new int[k];
        for (int j = 0; j < k; j++) q[j] = Math.floorDiv(j * d - pad, s);
        return q;
    }

    /**
     * The plan for the adjoint of a float32 convolution of {@code c} channels into {@code cOut} with weights
     * {@code w} (cOut, c, kH, kW), packed here; null where this path does not apply.
     */
    static DirectConvTranspose plan(int c, int cOut, ConvGeometry g, float[] w) {
        if (DirectConv.KERNEL == null || g.rank() != 2 || g.circular() || g.isPointwise()) return null;
        if ((long) cOut * g.kernelVolume() > DirectConv.MAX_K) return null;
        int lanes = DirectConv.KERNEL.lanes();
        if (g.in(0) % g.stride(0) != 0 || g.in(1) % g.stride(1) != 0 || (g.in(1) / g.stride(1)) % lanes != 0) return null;
        return new DirectConvTranspose(c, cOut, g, w);
    }

    /** Floats of scratch one sample needs: the bordered gy planes, then one phase's outputs. */
    int scratchSize() { return cOut * plane + c * rowsI * colsJ; }

    /** Packs w (cOut, c, kH, kW) per phase into 12-row slivers over the input channels, zero rows past c. */
    private void packWeights(float[] w) {
        int tiles = (c + MR - 1) / MR;
        for (int ph = 0; ph < kPhase.length; ph++) {
            int k = kPhase[ph];
            float[] pa = new float[tiles * MR * k];
            int p = 0;
            for (int co = 0; co < cOut; co++) {
                for (int jh = 0; jh < kH; jh++) {
                    for (int jw = 0; jw < kW; jw++) {
                        if (tapPhase[jh * kW + jw] != ph) continue;
                        for (int ci = 0; ci < c; ci++) pa[(ci / MR) * MR * k + p * MR + ci % MR] = w[((co * c + ci) * kH + jh) * kW + jw];
                        p++;
                    }
                }
            }
            packed[ph] = pa;
        }
    }

    /** gx (c, nH, nW) at {@code xo} = A_w^T gy for gy (cOut, oH, oW) at {@code go}; {@code scratch} holds {@link #scratchSize()}. */
    void run(float[] gy, int go, float[] gx, int xo, float[] scratch) {
        border(gy, go, scratch);
        int lanes = DirectConv.KERNEL.lanes(), tmp = cOut * plane, area = rowsI * colsJ;
        for (int ph = 0; ph < kPhase.length; ph++) {
            int a = ph / sW, b = ph % sW, k = kPhase[ph];
            if (k == 0) {
                Arrays.fill(scratch, tmp, tmp + c * area, 0f);
            } else {
                for (int t = 0; t * MR < c; t++) {
                    int rows = Math.min(MR, c - t * MR);
                    for (int i = 0; i < rowsI; i++) {
                        for (int j = 0; j < colsJ; j += lanes) {
                            DirectConv.KERNEL.tile(k, packed[ph], t * MR * k, scratch, i * pW + j, bOff[ph], scratch,
                                    tmp + t * MR * area + i * colsJ + j, area, rows, false);
                        }
                    }
                }
            }
            for (int ci = 0; ci < c; ci++) {
                int src = tmp + ci * area;
                for (int i = 0; i < rowsI; i++) {
                    int dst = xo + (ci * nH + i * sH + a) * nW + b;
                    for (int j = 0; j < colsJ; j++) gx[dst + j * sW] = scratch[src + i * colsJ + j];
                }
            }
        }
    }

    /** gy's planes with a zero border: entry (r, s) is gy[co, r - topH, s - topW], zero outside. */
    private void border(float[] gy, int go, float[] out) {
        Arrays.fill(out, 0, cOut * plane, 0f);
        for (int co = 0; co < cOut; co++) {
            for (int oh = 0; oh < oH; oh++) {
                int r = oh + topH;
                if (r >= pH) break;
                int n = Math.min(oW, pW - topW);
                System.arraycopy(gy, go + (co * oH + oh) * oW, out, co * plane + r * pW + topW, n);
            }
        }
    }
}
