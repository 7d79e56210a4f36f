package org.opforge.operators.dgno.layers;

/**
 * float32 loops of {@link DgnoActivation}'s periodic activations, written so that HotSpot's
 * superword pass vectorizes each of them: only adds, multiplies and divides on arrays, one simple
 * expression per loop (a loop computing sin, cos and tanh at once is not vectorized and runs ~13x
 * slower). With {@code r = x + 1} and k its nearest integer (the 1.5 * 2^23 rounding trick),
 * {@code sin(pi r) = (-1)^k sin(pi (r - k))}, the latter and the cosine by their Taylor polynomials
 * of degree 13 and 12 on [-pi/2, pi/2] (error below 1e-9), and {@code tanh(s)} for |s| <= 1 by its
 * [7/6] Pade approximant (error 1.6e-12); everything is at float rounding level.
 */
final class FloatKernels {
    private FloatKernels() {}

    private static final float PI = (float) Math.PI, PI2 = (float) (Math.PI * Math.PI), PI3 = (float) (Math.PI * Math.PI * Math.PI);
    private static final float ROUND = 12582912f;
    private static final float S1 = (float) (-1.0 / 6), S2 = (float) (1.0 / 120), S3 = (float) (-1.0 / 5040), S4 = (float) (1.0 / 362880),
            S5 = (float) (-1.0 / 39916800), S6 = (float) (1.0 / 6227020800.0);
    private static final float C1 = -0.5f, C2 = (float) (1.0 / 24), C3 = (float) (-1.0 / 720), C4 = (float) (1.0 / 40320),
            C5 = (float) (-1.0 / 3628800), C6 = (float) (1.0 / 479001600);

    /** s = sin(pi (x + 1)), c = cos(pi (x + 1)) on [lo, hi); y is scratch. */
    static void sinCos(float[] x, float[] y, float[] sg, float[] s, float[] c, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            float r = x[i] + 1f, k = (r + ROUND) - ROUND;
            y[i] = PI * (r - k);
            float h = k * 0.5f, parity = k - 2f * ((h + ROUND) - ROUND);    // 0 for even k, +-1 for odd
            sg[i] = 1f - 2f * Math.abs(parity);
        }
        for (int i = lo; i < hi; i++) {
            float v = y[i], v2 = v * v;
            s[i] = sg[i] * v * ((((((S6 * v2 + S5) * v2 + S4) * v2 + S3) * v2 + S2) * v2 + S1) * v2 + 1f);
        }
        for (int i = lo; i < hi; i++) {
            float v = y[i], v2 = v * v;
            c[i] = sg[i] * ((((((C6 * v2 + C5) * v2 + C4) * v2 + C3) * v2 + C2) * v2 + C1) * v2 + 1f);
        }
    }

    /** t = tanh(u) for |u| <= 1, in place allowed. */
    static void tanh(float[] u, float[] t, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            float v = u[i], v2 = v * v;
            t[i] = v * (135135f + v2 * (17325f + v2 * (378f + v2))) / (135135f + v2 * (62370f + v2 * (3150f + 28f * v2)));
        }
    }

    /** tanh_sin: order k into a (and the slope into b when k = 0 and b != null). */
    static void tanhSin(float[] x, int k, float[] a, float[] b, int lo, int hi, float[] y, float[] sg, float[] s, float[] c) {
        sinCos(x, y, sg, s, c, lo, hi);
        float[] t = y;
        tanh(s, t, lo, hi);
        switch (k) {
            case 0 -> {
                for (int i = lo; i < hi; i++) a[i] = t[i] + x[i];
                if (b != null) for (int i = lo; i < hi; i++) b[i] = (1f - t[i] * t[i]) * PI * c[i] + 1f;
            }
            case 1 -> {
                for (int i = lo; i < hi; i++) a[i] = (1f - t[i] * t[i]) * PI * c[i] + 1f;
            }
            case 2 -> {
                for (int i = lo; i < hi; i++) a[i] = -PI2 * (1f - t[i] * t[i]) * (2f * t[i] * c[i] * c[i] + s[i]);
            }
            default -> {
                for (int i = lo; i < hi; i++) {
                    float tt = t[i], cc = c[i], sech2 = 1f - tt * tt;
                    a[i] = -PI3 * sech2 * cc * (1f + 2f * sech2 * cc * cc - 4f * tt * tt * cc * cc - 6f * tt * s[i]);
                }
            }
        }
    }

    /** silu_sin: order k into a (and the slope into b when k = 0 and b != null); sigmoid(s) = (1 + tanh(s/2)) / 2. */
    static void siluSin(float[] x, int k, float[] a, float[] b, int lo, int hi, float[] y, float[] sg, float[] s, float[] c) {
        sinCos(x, y, sg, s, c, lo, hi);
        float[] q = y;
        for (int i = lo; i < hi; i++) q[i] = 0.5f * s[i];
        tanh(q, q, lo, hi);
        for (int i = lo; i < hi; i++) q[i] = 0.5f + 0.5f * q[i];               // sigmoid(s)
        switch (k) {
            case 0 -> {
                for (int i = lo; i < hi; i++) a[i] = s[i] * q[i] + x[i];
                if (b != null) for (int i = lo; i < hi; i++) b[i] = q[i] * (1f + s[i] * (1f - q[i])) * PI * c[i] + 1f;
            }
            case 1 -> {
                for (int i = lo; i < hi; i++) a[i] = q[i] * (1f + s[i] * (1f - q[i])) * PI * c[i] + 1f;
            }
            case 2 -> {
                for (int i = lo; i < hi; i++) {
                    float sv = s[i], g = q[i], d = g * (1f - g), r = 1f - 2f * g;
                    a[i] = PI2 * (c[i] * c[i] * d * (2f + sv * r) - sv * g * (1f + sv * (1f - g)));
                }
            }
            default -> {
                for (int i = lo; i < hi; i++) {
                    float sv = s[i], cv = c[i], g = q[i], d = g * (1f - g), r = 1f - 2f * g;
                    float s1 = g * (1f + sv * (1f - g)), s2 = d * (2f + sv * r), s3 = d * r * (2f + sv * r) + d * (r - 2f * sv * d);
                    a[i] = PI3 * (cv * cv * cv * s3 - 3f * sv * cv * s2 - cv * s1);
                }
            }
        }
    }
}
