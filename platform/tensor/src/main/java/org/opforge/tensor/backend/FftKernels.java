package org.opforge.tensor.backend;

/**
 * FFT and spectral kernels of a device: batched transforms of any length along one axis of a
 * contiguous tensor, and the complex channel contraction of spectral layers. The differentiable
 * transforms in {@code org.opforge.tensor.Spectral} call only these.
 *
 * <p>Layout: the transformed axis of length {@code len} sits between {@code outer} leading and
 * {@code inner} trailing elements, so element {@code (o, t, c)} of a buffer is at
 * {@code (o * len + t) * inner + c}; complex buffers are interleaved. Input and output are distinct
 * buffers of the same precision (float32/complex64 or float64/complex128).
 *
 * <p>Every transform is a linear map with an explicit {@code scale}; each map's adjoint (for real
 * inner products {@code Re <a, b>}) is another map of this interface with the same scale, which is
 * how the gradient rules stay transforms:
 * <ul>
 *   <li>{@link #c2c} pruned (analysis) with sign s is the adjoint of {@link #c2c} padded (synthesis)
 *       with sign -s and the same kept frequencies;</li>
 *   <li>{@link #r2c} with weights w is the adjoint of {@link #c2r} with the same weights w.</li>
 * </ul>
 */
public interface FftKernels {

    /**
     * Complex DFT along the axis, restricted to the frequencies {@code K = {0..lo-1} ∪ {n-hi..n-1}}
     * ({@code lo + hi <= n}; {@code lo = n, hi = 0} is the full transform), with
     * {@code sign = inverse ? +1 : -1}:
     * <ul>
     *   <li>{@code pad = false} (analysis): input length n, output length {@code |K|},
     *       {@code out[j] = scale * sum_t in[t] exp(sign 2 pi i k_j t / n)} for the j-th kept
     *       frequency {@code k_j} in increasing order;</li>
     *   <li>{@code pad = true} (synthesis): input length {@code |K|} holding the kept bins (the other
     *       bins are zero), output length n, {@code out[t] = scale * sum_j in[j] exp(sign 2 pi i k_j t / n)}.</li>
     * </ul>
     */
    void c2c(Buffer in, Buffer out, int outer, int n, int inner, int lo, int hi, boolean pad, boolean inverse,
             double scale);

    /**
     * Real-to-complex forward DFT of real length {@code n}, keeping bins {@code 0..bins-1}
     * ({@code 1 <= bins <= n/2+1}): {@code out[k] = scale * w_k * sum_t in[t] exp(-2 pi i k t / n)},
     * where {@code w_k = 1} for every k unless {@code hermitianWeights}, in which case w_k = 2 for the
     * bins that stand for a conjugate pair (0 < k < n/2) and 1 for bin 0 and (even n) bin n/2. The
     * imaginary parts of bin 0 and (even n) bin n/2 are exactly zero.
     */
    void r2c(Buffer in, Buffer out, int outer, int n, int inner, int bins, boolean hermitianWeights, double scale);

    /**
     * Complex-to-real synthesis of real length {@code n} from bins {@code 0..bins-1} (missing bins are
     * zero): {@code out[t] = scale * Re sum_{k<bins} w_k in[k] exp(+2 pi i k t / n)} with the weights
     * of {@link #r2c}. With {@code hermitianWeights} and {@code scale = 1/n} this is numpy's / PyTorch's
     * irfft: the imaginary parts of bin 0 and (even n) bin n/2 do not contribute.
     */
    void c2r(Buffer in, Buffer out, int outer, int n, int inner, int bins, boolean hermitianWeights, double scale);

    /**
     * Complex channel contraction, per spectral mode: {@code out[b, o, m] = sum_i A[b, i, m] B[i, o, m]}
     * for {@code b < nb, o < no, i < ni, m < modes}, where A is read from {@code a} stored as
     * {@code (nb, ni, modes)}, or as {@code (ni, nb, modes)} when {@code transA} (then
     * {@code A[b,i,m] = a[i,b,m]}), and conjugated when {@code conjA}; likewise B from {@code b} stored
     * as {@code (ni, no, modes)} or, with {@code transB}, {@code (no, ni, modes)}. All three buffers are
     * complex of one precision; {@code out} is {@code (nb, no, modes)}.
     */
    void channelMix(Buffer a, boolean transA, boolean conjA, Buffer b, boolean transB, boolean conjB, Buffer out,
                    int nb, int ni, int no, int modes);

    /**
     * The number of frequencies {@code lo + hi} a pruned or padded {@link #c2c} keeps, after checking
     * {@code 0 < lo + hi <= n}; every implementation validates its arguments through this.
     */
    static int keptFrequencies(int n, int lo, int hi) {
        if (lo < 0 || hi < 0 || lo + hi > n || lo + hi == 0) {
            throw new IllegalArgumentException("c2c: kept frequencies lo=" + lo + ", hi=" + hi + " must satisfy 0 < lo + hi <= n = " + n);
        }
        return lo + hi;
    }
}
