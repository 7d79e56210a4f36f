package org.opforge.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD channel contraction (jdk.incubator.vector; loaded only when the module is present): modes in
 * the lanes; two batch rows times two output channels of complex accumulators (8 vectors) stay in
 * registers over the whole i loop, so per i four operand vectors of A and four of B feed sixteen
 * FMAs. Modes that do not fill a vector, and odd b or o, go through the plain loops.
 */
final class VectorChannelMixKernel implements ChannelMixKernel {
    /*
     * The preferred species, as in every other kernel: on JDK 17 a process that runs float vectors of two
     * shapes (this kernel was 256 bits among 512-bit kernels) leaves C2 without the constant vector class
     * in some of the shared templates, and this kernel compiled in an FNO run then took 8-10 ms per call
     * instead of 1.4-2 ms (an ad-hoc probe timed the same call after 20 FNO inferences and before any).
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ChannelMix.Plain TAIL = new ChannelMix.Plain();

    @Override public String name() { return "vector-" + S.vectorBitSize(); }

    @Override public void block(float[] aR, float[] aI, float[] bR, float[] bI, float[] out, int ni, int no, int modes,
                                int b0, int b1, int m0, int m1) {
        int mv = m0 + (m1 - m0) / L * L;
        if (mv < m1) TAIL.block(aR, aI, bR, bI, out, ni, no, modes, b0, b1, mv, m1);
        if (mv == m0) return;
        float[] tr = new float[L], ti = new float[L];
        int b = b0;
        for (; b + 1 < b1; b += 2) {
            int o = 0;
            for (; o + 1 < no; o += 2) {
                for (int m = m0; m < mv; m += L) quad(aR, aI, bR, bI, out, ni, no, modes, b, o, m, tr, ti);
            }
            if (o < no) {
                single(aR, aI, bR, bI, out, ni, no, modes, b, o, m0, mv, tr, ti);
                single(aR, aI, bR, bI, out, ni, no, modes, b + 1, o, m0, mv, tr, ti);
            }
        }
        if (b < b1) for (int o = 0; o < no; o++) single(aR, aI, bR, bI, out, ni, no, modes, b, o, m0, mv, tr, ti);
    }

    /** out[b..b+1, o..o+1, m..m+L). */
    private static void quad(float[] aR, float[] aI, float[] bR, float[] bI, float[] out, int ni, int no, int modes,
                             int b, int o, int m, float[] tr, float[] ti) {
        FloatVector r00 = FloatVector.zero(S), i00 = FloatVector.zero(S), r01 = FloatVector.zero(S), i01 = FloatVector.zero(S);
        FloatVector r10 = FloatVector.zero(S), i10 = FloatVector.zero(S), r11 = FloatVector.zero(S), i11 = FloatVector.zero(S);
        int pa0 = b * ni * modes + m, pa1 = pa0 + ni * modes;
        int pb = o * modes + m, bStep = no * modes;
        for (int i = 0; i < ni; i++) {
            FloatVector xr0 = FloatVector.fromArray(S, aR, pa0), xi0 = FloatVector.fromArray(S, aI, pa0);
            FloatVector xr1 = FloatVector.fromArray(S, aR, pa1), xi1 = FloatVector.fromArray(S, aI, pa1);
            FloatVector yr0 = FloatVector.fromArray(S, bR, pb), yi0 = FloatVector.fromArray(S, bI, pb);
            FloatVector yr1 = FloatVector.fromArray(S, bR, pb + modes), yi1 = FloatVector.fromArray(S, bI, pb + modes);
            FloatVector nx0 = xi0.neg(), nx1 = xi1.neg();
            r00 = nx0.fma(yi0, xr0.fma(yr0, r00));
            i00 = xi0.fma(yr0, xr0.fma(yi0, i00));
            r01 = nx0.fma(yi1, xr0.fma(yr1, r01));
            i01 = xi0.fma(yr1, xr0.fma(yi1, i01));
            r10 = nx1.fma(yi0, xr1.fma(yr0, r10));
            i10 = xi1.fma(yr0, xr1.fma(yi0, i10));
            r11 = nx1.fma(yi1, xr1.fma(yr1, r11));
            i11 = xi1.fma(yr1, xr1.fma(yi1, i11));
            pa0 += modes;
            pa1 += modes;
            pb += bStep;
        }
        r00.intoArray(tr, 0);
        i00.intoArray(ti, 0);
        interleave(out, 2 * ((b * no + o) * modes + m), tr, ti);
        r01.intoArray(tr, 0);
        i01.intoArray(ti, 0);
        interleave(out, 2 * ((b * no + o + 1) * modes + m), tr, ti);
        r10.intoArray(tr, 0);
        i10.intoArray(ti, 0);
        interleave(out, 2 * (((b + 1) * no + o) * modes + m), tr, ti);
        r11.intoArray(tr, 0);
        i11.intoArray(ti, 0);
        interleave(out, 2 * (((b + 1) * no + o + 1) * modes + m), tr, ti);
    }

    /** out[b, o, m0..mv) one vector at a time. */
    private static void single(float[] aR, float[] aI, float[] bR, float[] bI, float[] out, int ni, int no, int modes,
                               int b, int o, int m0, int mv, float[] tr, float[] ti) {
        for (int m = m0; m < mv; m += L) {
            FloatVector r = FloatVector.zero(S), im = FloatVector.zero(S);
            int pa = b * ni * modes + m, pb = o * modes + m;
            for (int i = 0; i < ni; i++) {
                FloatVector xr = FloatVector.fromArray(S, aR, pa), xi = FloatVector.fromArray(S, aI, pa);
                FloatVector yr = FloatVector.fromArray(S, bR, pb), yi = FloatVector.fromArray(S, bI, pb);
                r = xi.neg().fma(yi, xr.fma(yr, r));
                im = xi.fma(yr, xr.fma(yi, im));
                pa += modes;
                pb += no * modes;
            }
            r.intoArray(tr, 0);
            im.intoArray(ti, 0);
            interleave(out, 2 * ((b * no + o) * modes + m), tr, ti);
        }
    }

    /**
     * Interleaves L complex results, their parts in tr and ti, into out[at..at+2L). The vectors are stored
     * by the callers: a helper taking vectors is compiled on its own once hot, and C2 on JDK 17 then boxes
     * the vectors at every call instead of inlining it.
     */
    private static void interleave(float[] out, int at, float[] tr, float[] ti) {
        for (int l = 0; l < L; l++) {
            out[at + 2 * l] = tr[l];
            out[at + 2 * l + 1] = ti[l];
        }
    }
}
