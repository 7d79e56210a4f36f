package org.opforge.tensor.cpu;

import org.opforge.tensor.backend.UnaryOp;

/**
 * The float32 Gaussian activations (Phi, phi, GELU and its derivative) of the unary kernel: the
 * SIMD {@link ActivationKernel} when jdk.incubator.vector is available (and the system property
 * {@code opforge.cpu.nosimd} is not set), else the plain one below. float64 stays with the
 * double-precision definitions of {@link ScalarMath}.
 */
final class Activations {
    private Activations() {}

    static final ActivationKernel KERNEL = pick();

    private static ActivationKernel pick() {
        ActivationKernel simd = SimdKernels.load(ActivationKernel.class, "VectorActivationKernel");
        return simd != null ? simd : new Plain();
    }

    /** True when {@code op} has a float32 kernel here. */
    static boolean handles(UnaryOp op) {
        return op == UnaryOp.NORMAL_CDF || op == UnaryOp.NORMAL_PDF || op == UnaryOp.GELU || op == UnaryOp.GELU_GRAD;
    }

    static void range(ActivationKernel k, UnaryOp op, float[] s, float[] r, int lo, int hi) {
        switch (op) {
            case NORMAL_CDF -> k.normalCdf(s, r, lo, hi);
            case NORMAL_PDF -> k.normalPdf(s, r, lo, hi);
            case GELU -> k.gelu(s, r, lo, hi);
            case GELU_GRAD -> k.geluGrad(s, r, lo, hi);
            default -> throw new IllegalArgumentException("activation kernel: no float32 kernel for " + op);
        }
    }

    static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
    static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));

    /** Numerical Recipes' erfc fit, coefficients of P(t) from t^0 to t^9. */
    static final float C0 = -1.26551223f, C1 = 1.00002368f, C2 = 0.37409196f, C3 = 0.09678418f, C4 = -0.18628806f,
            C5 = 0.27886807f, C6 = -1.13520398f, C7 = 1.48851587f, C8 = -0.82215223f, C9 = 0.17087277f;

    /** {@code erfc(|x| / sqrt 2) / 2}, the smaller of Phi(x) and 1 - Phi(x). */
    static float halfErfc(float x) {
        float z = Math.abs(x) * INV_SQRT2;
        float t = 1f / (1f + 0.5f * z);
        float p = C9;
        p = p * t + C8;
        p = p * t + C7;
        p = p * t + C6;
        p = p * t + C5;
        p = p * t + C4;
        p = p * t + C3;
        p = p * t + C2;
        p = p * t + C1;
        p = p * t + C0;
        return 0.5f * t * (float) Math.exp(p - z * z);
    }

    static float cdf(float x) {
        float e = halfErfc(x);
        return x < 0 ? e : 1f - e;
    }

    static float pdf(float x) {
        return (float) Math.exp(-0.5f * x * x) * INV_SQRT_2PI;
    }

    /** Scalar implementation (also the tail of the SIMD loops). */
    static final class Plain implements ActivationKernel {
        @Override public void normalCdf(float[] s, float[] r, int lo, int hi) {
            for (int i = lo; i < hi; i++) r[i] = cdf(s[i]);
        }

        @Override public void normalPdf(float[] s, float[] r, int lo, int hi) {
            for (int i = lo; i < hi; i++) r[i] = pdf(s[i]);
        }

        @Override public void gelu(float[] s, float[] r, int lo, int hi) {
            for (int i = lo; i < hi; i++) {
                float x = s[i];
                r[i] = x * cdf(x);
            }
        }

        @Override public void geluGrad(float[] s, float[] r, int lo, int hi) {
            for (int i = lo; i < hi; i++) {
                float x = s[i];
                r[i] = cdf(x) + x * pdf(x);
            }
        }

        @Override public String name() { return "java"; }
    }
}
