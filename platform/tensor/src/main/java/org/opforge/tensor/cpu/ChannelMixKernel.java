package org.opforge.tensor.cpu;

/**
 * float32 complex channel contraction of spectral layers on planar operands:
 * {@code out[b, o, m] = sum_i A[b, i, m] B[i, o, m]} with A {@code (nb, ni, modes)} as
 * {@code aR + i aI} and B {@code (ni, no, modes)} as {@code bR + i bI}; {@code out} is interleaved
 * complex {@code (nb, no, modes)}. One call fills the batch rows [b0, b1) for the modes [m0, m1) and
 * every o. {@link ChannelMix} picks the SIMD implementation when jdk.incubator.vector is present.
 */
interface ChannelMixKernel {
    void block(float[] aR, float[] aI, float[] bR, float[] bI, float[] out, int ni, int no, int modes,
               int b0, int b1, int m0, int m1);

    /** Short name for reports ("java", "vector-256"). */
    String name();
}
