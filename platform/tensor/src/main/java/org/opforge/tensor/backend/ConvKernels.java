package org.opforge.tensor.backend;

/**
 * Convolution, pooling and resampling kernels of a device. The differentiable ops in
 * {@code org.opforge.tensor.Conv} call only these and {@link Backend#gemm}: a convolution is
 * {@link #im2col} followed by a GEMM with the weight, its adjoint a GEMM followed by {@link #col2im}.
 *
 * <p>Layouts are row-major. A "plane" is one (sample, channel) pair: {@code inVolume} contiguous
 * input values of the spatial shape {@link ConvGeometry#inShape()}. Kernels that end in an adjoint
 * accumulate ({@code +=}) into their output, so the caller passes a zeroed or partially filled buffer;
 * all others overwrite. Real dtypes only; every buffer of one call has the same dtype.
 */
public interface ConvKernels {

    /** Body of {@link #forSamples}: the samples {@code [from, to)}. */
    @FunctionalInterface
    interface SampleRange {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over the samples {@code [0, n)} split into contiguous ranges, in parallel where the
     * device runs host threads; kernels called from inside a range run on that range's thread. A
     * convolution then unfolds and multiplies one sample at a time on one thread, so its column matrix
     * stays in that core's cache between the unfolding and the product, and the summation order of every
     * output is the same at any thread count. The default runs one range on the calling thread.
     */
    default void forSamples(int n, long workPerSample, SampleRange body) {
        body.run(0, n);
    }

    /*
     * Direct kernels for the samples [from, to) of a batch, without an unfolded column matrix: sample q of x
     * (channels, in...) starts at xOffset + q*channels*inVolume, of gy and out (cOut, out...) at
     * offset + q*cOut*outVolume, of gx (channels, in...) at gxOffset + q*channels*inVolume; one group. Each
     * returns false, writing nothing, where the device has no such kernel for this geometry and dtype, and the
     * caller then unfolds and multiplies; a range lets the device prepare the weights once for its samples.
     */

    /** out = (or with {@code accumulate}, out +=) the convolution of x with w (cOut, channels, kernel...). */
    default boolean convolveSamples(Buffer x, long xOffset, int from, int to, int channels, ConvGeometry g, Buffer w, int cOut,
                                    Buffer out, long outOffset, boolean accumulate) {
        return false;
    }

    /** gx = A_w^T gy: the input gradient, and the transposed convolution. */
    default boolean inputAdjointSamples(Buffer gy, long gyOffset, int from, int to, int cOut, ConvGeometry g, Buffer w, int channels,
                                        Buffer gx, long gxOffset) {
        return false;
    }

    /**
     * gw (cOut, channels, kernel...) at {@code gwOffset} = {@code sum over the samples, in order, and over o of
     * gy[q, co, o] x[q, c, i(o, j)]}.
     */
    default boolean weightGradientSamples(Buffer x, long xOffset, int from, int to, int channels, ConvGeometry g, Buffer gy,
                                          long gyOffset, int cOut, Buffer gw, long gwOffset) {
        return false;
    }

    /**
     * Unfolds sliding windows into a column matrix. For sample {@code q < batch}, channel {@code c} and
     * kernel offset {@code j} (row-major over the kernel shape, {@code K} offsets), row {@code r = c*K + j}
     * and output position {@code l} (row-major over the output shape) it writes
     * <pre>cols[colsOffset + q*colsBatchStride + r*ldCols + l] = x[xOffset + (q*channels + c)*inVolume + i(l, j)]</pre>
     * where {@code i(l, j)} is the input position the window reads (zero outside the input, wrapped when
     * the geometry is circular; see {@link ConvGeometry}).
     */
    void im2col(Buffer x, long xOffset, int batch, int channels, ConvGeometry g,
                Buffer cols, long colsOffset, long colsBatchStride, long ldCols);

    /**
     * Adjoint of {@link #im2col}: {@code x[xOffset + (q*channels + c)*inVolume + i(l, j)] += cols[...]}
     * with the same indexing; positions that fall in the zero padding are dropped.
     */
    void col2im(Buffer cols, long colsOffset, long colsBatchStride, long ldCols, int batch, int channels,
                ConvGeometry g, Buffer x, long xOffset);

    /**
     * Max-pool selection: for each of {@code planes} planes and output position {@code l},
     * {@code out[p, l] = values[p, m]} where {@code m} is the window position of largest {@code key}
     * (the first one on ties, a NaN wins; padding never wins). With {@code values == key} this is max
     * pooling; the split lets the gradient of the selection be taken with the key held fixed.
     */
    void maxPool(Buffer key, Buffer values, int planes, ConvGeometry g, Buffer out);

    /** Adjoint of {@link #maxPool} in {@code values}: {@code out[p, m(l)] += grad[p, l]}. */
    void maxPoolAdjoint(Buffer key, Buffer grad, int planes, ConvGeometry g, Buffer out);

    /**
     * Average pooling: {@code out[p, l]} = sum of the window's input values divided by the kernel volume
     * ({@code countIncludePad}) or by the number of window positions inside the input.
     */
    void avgPool(Buffer x, int planes, ConvGeometry g, boolean countIncludePad, Buffer out);

    /** Adjoint of {@link #avgPool}: each {@code grad[p, l]} divided by its divisor is added to every window position. */
    void avgPoolAdjoint(Buffer grad, int planes, ConvGeometry g, boolean countIncludePad, Buffer out);

    /**
     * Linear interpolation along the middle axis of {@code x} viewed as (outer, inSize, inner), giving
     * (outer, outSize, inner): {@code out[o, t, i] = (1 - w) x[o, i0, i] + w x[o, i1, i]} with
     * {@code i0 = floor(s)}, {@code i1 = min(i0 + 1, inSize - 1)}, {@code w = s - i0} and the source coordinate
     * {@code s = }{@link #sourceCoordinate}. Separable application over axes is bi-/trilinear interpolation.
     */
    void linearResample(Buffer x, int outer, int inSize, int inner, int outSize, boolean alignCorners, Buffer out);

    /**
     * Adjoint of {@link #linearResample}: {@code grad} is (outer, outSize, inner) and
     * {@code out} (outer, inSize, inner) receives {@code out[o, i0, i] += (1 - w) grad[o, t, i]},
     * {@code out[o, i1, i] += w grad[o, t, i]}.
     */
    void linearResampleAdjoint(Buffer grad, int outer, int outSize, int inner, int inSize, boolean alignCorners, Buffer out);

    /**
     * PyTorch's source coordinate of output index {@code t} for an explicit output size:
     * {@code t (in-1)/(out-1)} (0 when out = 1) with {@code alignCorners}, else
     * {@code max(0, (t + 0.5) in/out - 0.5)}. Shared so every device resamples identically.
     */
    static double sourceCoordinate(int t, int inSize, int outSize, boolean alignCorners) {
        if (alignCorners) return outSize > 1 ? t * (double) (inSize - 1) / (outSize - 1) : 0.0;
        return Math.max(0.0, (t + 0.5) * inSize / outSize - 0.5);
    }
}
