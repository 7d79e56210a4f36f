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
import jdk.incubator.vector.VectorMask;
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

    /** erfc(|x| / sqrt 2) / 2 lane-wise. */
    private static FloatVector halfErfc(FloatVector x) {
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
        FloatVector e = exp(z.neg().fma(z, p));
        return t.mul(e).mul(0.5f);
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;

    /**
     * e^x lane-wise (Cephes expf, relative error about 1e-7): x = n ln2 + r with |r| <= ln2/2, e^r by a
     * degree-6 polynomial, 2^n built in the exponent bits. Inputs are clamped to [-87.3, 88.37] (the
     * float range; below, the result underflows to about 1e-38, as the callers need).
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.37f);
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        // t = 1.5 * 2^23 + n holds n in its low mantissa bits: 2^n without a float-to-int lane conversion,
        // which has no intrinsic for 512-bit vectors on JDK 17 and then runs element by element
        IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats());
    }

    private static FloatVector cdf(FloatVector x) {
        FloatVector e = halfErfc(x);
        VectorMask<Float> neg = x.compare(VectorOperators.LT, 0f);
        return e.neg().add(1f).blend(e, neg);
    }

    private static FloatVector pdf(FloatVector x) {
        return exp(x.mul(x).mul(-0.5f)).mul(INV_SQRT_2PI);
    }

    @Override public void normalCdf(float[] s, float[] r, int lo, int hi) {
        int i = lo, end = lo + S.loopBound(hi - lo);
        for (; i < end; i += S.length()) cdf(FloatVector.fromArray(S, s, i)).intoArray(r, i);
        TAIL.normalCdf(s, r, i, hi);
    }

    @Override public void normalPdf(float[] s, float[] r, int lo, int hi) {
        int i = lo, end = lo + S.loopBound(hi - lo);
        for (; i < end; i += S.length()) pdf(FloatVector.fromArray(S, s, i)).intoArray(r, i);
        TAIL.normalPdf(s, r, i, hi);
    }

    @Override public void gelu(float[] s, float[] r, int lo, int hi) {
        int i = lo, end = lo + S.loopBound(hi - lo);
        for (; i < end; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, s, i);
            x.mul(cdf(x)).intoArray(r, i);
        }
        TAIL.gelu(s, r, i, hi);
    }

    @Override public void geluGrad(float[] s, float[] r, int lo, int hi) {
        int i = lo, end = lo + S.loopBound(hi - lo);
        for (; i < end; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, s, i);
            x.fma(pdf(x), cdf(x)).intoArray(r, i);
        }
        TAIL.geluGrad(s, r, i, hi);
    }
}
