package org.opforge.tensor.cpu;

import static org.opforge.tensor.cpu.Activations.C0;
import static org.opforge.tensor.cpu.Activations.C1;
import static org.opforge.tensor.cpu.Activations.C2;
import static org.opforge.tensor.cpu.Activations.C3;
import static org.opforge.tensor.cpu.Activations.C4;
import static org.opforge.tensor.cpu.Activations.C5;
import static org.opforge.tensor.cpu.Activations.C6;
import static org.opforge.tensor.cpu.Activations.C7;
import static org.opforge.tensor.cpu.Activations.C8;
import static org.opforge.tensor.cpu.Activations.C9;
import static org.opforge.tensor.cpu.Activations.INV_SQRT2;
import static org.opforge.tensor.cpu.Activations.INV_SQRT_2PI;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD Gaussian activations (jdk.incubator.vector; loaded only when the module is present): the
 * formulas of {@link Activations} on whole vectors. Without it each element pays a scalar Math.exp
 * and a division; this is about an order of magnitude faster on AVX2.
 *
 * <p>exp is our own ({@link #exp}) rather than the vector EXP operator: that operator runs HotSpot's
 * SVML stubs once compiled but a lane-wise Math.exp before, so the same input gave different bits
 * early and late in a run, and two runs of one seeded training differed. Additions, products, FMA and
 * conversions are exactly rounded in every mode, so this kernel gives the same bits every time.
 */
final class VectorActivationKernel implements ActivationKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final Activations.Plain TAIL = new Activations.Plain();

    @Override public String name() { return "vector-" + S.vectorBitSize(); }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;

    /*
     * The two loops below hold all the vector arithmetic, with no helper method taking or returning a
     * vector: once such a helper is compiled on its own (it is hot), C2 on JDK 17 no longer inlines it
     * into the loop (its code passes InlineSmallCode), and every vector crossing the call is boxed, which
     * made GELU about four times slower. e^x appears in both loops (Cephes expf, relative error about 1e-7):
     * x = n ln2 + r with |r| <= ln2/2, e^r by a degree-6 polynomial, 2^n built in the exponent bits; inputs
     * clamped to [-87.3, 88.37] (below, the result underflows to about 1e-38, as the callers need). The
     * rounding constant leaves round(x log2 e) in t's low mantissa bits, read back without a float-to-int
     * conversion, which JDK 17 does not compile to vector instructions.
     */

    /**
     * r = Phi(x) ({@code timesX} false) or x Phi(x) (true) on [lo, lo + whole vectors), Phi(x) = 1 - erfc(x / sqrt 2) / 2
     * for x >= 0 and erfc(|x| / sqrt 2) / 2 below, erfc by the rational approximation of {@link Activations}; returns
     * where the vectors ended.
     */
    private static int cdf(float[] s, float[] r, int lo, int hi, boolean timesX) {
        int i = lo, end = lo + S.loopBound(hi - lo);
        for (; i < end; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, s, i);
            FloatVector z = x.abs().mul(INV_SQRT2);
            FloatVector t = FloatVector.broadcast(S, 1f).div(z.fma(0.5f, 1f));
            FloatVector p = t.fma(C9, C8);
            p = p.fma(t, FloatVector.broadcast(S, C7));
            p = p.fma(t, FloatVector.broadcast(S, C6));
            p = p.fma(t, FloatVector.broadcast(S, C5));
            p = p.fma(t, FloatVector.broadcast(S, C4));
            p = p.fma(t, FloatVector.broadcast(S, C3));
            p = p.fma(t, FloatVector.broadcast(S, C2));
            p = p.fma(t, FloatVector.broadcast(S, C1));
            p = p.fma(t, FloatVector.broadcast(S, C0));
            // e = exp(-z^2 + p)
            FloatVector a = z.neg().fma(z, p).max(-87.3f).min(88.37f);
            FloatVector k = a.fma(LOG2E, ROUND);
            FloatVector n = k.sub(ROUND);
            FloatVector q = n.fma(FloatVector.broadcast(S, -LN2_HI), a);
            q = n.fma(FloatVector.broadcast(S, -LN2_LO), q);
            FloatVector e = q.fma(1.9875691500e-4f, 1.3981999507e-3f);
            e = e.fma(q, FloatVector.broadcast(S, 8.3334519073e-3f));
            e = e.fma(q, FloatVector.broadcast(S, 4.1665795894e-2f));
            e = e.fma(q, FloatVector.broadcast(S, 1.6666665459e-1f));
            e = e.fma(q, FloatVector.broadcast(S, 5.0000001201e-1f));
            e = e.mul(q.mul(q)).add(q).add(1f);
            IntVector bits = ((IntVector) k.reinterpretAsInts()).sub(Float.floatToRawIntBits(ROUND) - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector half = t.mul(e.mul(bits.reinterpretAsFloats())).mul(0.5f);
            // Phi = x < 0 ? half : 1 - half, selected by bits (the sign of x spread over the lane): a masked
            // blend is not intrinsified on JDK 17 and ran lane by lane
            IntVector negative = ((IntVector) x.reinterpretAsInts()).lanewise(VectorOperators.ASHR, 31);
            IntVector upper = (IntVector) half.neg().add(1f).reinterpretAsInts();
            IntVector lower = (IntVector) half.reinterpretAsInts();
            FloatVector phi = upper.lanewise(VectorOperators.XOR, upper.lanewise(VectorOperators.XOR, lower).lanewise(VectorOperators.AND, negative))
                    .reinterpretAsFloats();
            if (timesX) x.mul(phi).intoArray(r, i);
            else phi.intoArray(r, i);
        }
        return i;
    }

    /**
     * r = phi(x) ({@code plusXTimes} false) or r + x phi(x) (true) on [lo, lo + whole vectors), phi the standard
     * normal density; returns where the vectors ended.
     */
    private static int pdf(float[] s, float[] r, int lo, int hi, boolean plusXTimes) {
        int i = lo, end = lo + S.loopBound(hi - lo);
        for (; i < end; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, s, i);
            // e = exp(-x^2 / 2)
            FloatVector a = x.mul(x).mul(-0.5f).max(-87.3f).min(88.37f);
            FloatVector k = a.fma(LOG2E, ROUND);
            FloatVector n = k.sub(ROUND);
            FloatVector q = n.fma(FloatVector.broadcast(S, -LN2_HI), a);
            q = n.fma(FloatVector.broadcast(S, -LN2_LO), q);
            FloatVector e = q.fma(1.9875691500e-4f, 1.3981999507e-3f);
            e = e.fma(q, FloatVector.broadcast(S, 8.3334519073e-3f));
            e = e.fma(q, FloatVector.broadcast(S, 4.1665795894e-2f));
            e = e.fma(q, FloatVector.broadcast(S, 1.6666665459e-1f));
            e = e.fma(q, FloatVector.broadcast(S, 5.0000001201e-1f));
            e = e.mul(q.mul(q)).add(q).add(1f);
            IntVector bits = ((IntVector) k.reinterpretAsInts()).sub(Float.floatToRawIntBits(ROUND) - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector phi = e.mul(bits.reinterpretAsFloats()).mul(INV_SQRT_2PI);
            if (plusXTimes) x.fma(phi, FloatVector.fromArray(S, r, i)).intoArray(r, i);
            else phi.intoArray(r, i);
        }
        return i;
    }

    @Override public void normalCdf(float[] s, float[] r, int lo, int hi) {
        TAIL.normalCdf(s, r, cdf(s, r, lo, hi, false), hi);
    }

    @Override public void normalPdf(float[] s, float[] r, int lo, int hi) {
        TAIL.normalPdf(s, r, pdf(s, r, lo, hi, false), hi);
    }

    @Override public void gelu(float[] s, float[] r, int lo, int hi) {
        TAIL.gelu(s, r, cdf(s, r, lo, hi, true), hi);
    }

    @Override public void geluGrad(float[] s, float[] r, int lo, int hi) {
        // Phi(x) + x phi(x): the two passes stay over one cache-sized range at a time; in place the second
        // pass would read Phi for x, so that (unused) case takes the scalar loop
        if (s == r) {
            TAIL.geluGrad(s, r, lo, hi);
            return;
        }
        for (int c = lo; c < hi; c += CHUNK) {
            int e = Math.min(hi, c + CHUNK);
            cdf(s, r, c, e, false);
            int i = pdf(s, r, c, e, true);
            TAIL.geluGrad(s, r, i, e);
        }
    }

    /** Elements per two-pass range of {@link #geluGrad} (16 KiB of input, a multiple of every vector length). */
    private static final int CHUNK = 4096;
}
