package org.opforge.tensor.cpu;

/**
 * float32 kernels of the Gaussian activations, {@code r[i] = f(s[i])} for i in [lo, hi), with
 * Phi the standard normal cdf and phi its pdf:
 * <ul>
 *   <li>{@link #normalCdf}: Phi(x);</li>
 *   <li>{@link #normalPdf}: phi(x) = exp(-x^2/2) / sqrt(2 pi);</li>
 *   <li>{@link #gelu}: x Phi(x) (the exact, erf form of GELU);</li>
 *   <li>{@link #geluGrad}: d/dx x Phi(x) = Phi(x) + x phi(x).</li>
 * </ul>
 * Phi comes from {@code Phi(x) = erfc(-x / sqrt 2) / 2} with the Chebyshev-fitted erfc of Numerical
 * Recipes ({@code erfc(z) = t exp(-z^2 + P(t))}, {@code t = 1 / (1 + z/2)}, P of degree 9), whose
 * fractional error is below 1.2e-7 for every z >= 0: a float32 result to about one ulp, with the
 * tail {@code Phi(x), x -> -inf} accurate relative to itself, not only to 1. {@link Activations}
 * picks the SIMD implementation when jdk.incubator.vector is present, the plain one otherwise.
 */
interface ActivationKernel {
    void normalCdf(float[] s, float[] r, int lo, int hi);

    void normalPdf(float[] s, float[] r, int lo, int hi);

    void gelu(float[] s, float[] r, int lo, int hi);

    void geluGrad(float[] s, float[] r, int lo, int hi);

    /** Short name for reports ("java", "vector-256"). */
    String name();
}
