package org.opforge.tensor.backend;

import org.opforge.tensor.DType;
import org.opforge.tensor.Device;

/**
 * The kernel SPI a compute device implements. Kernels work on whole contiguous {@link Buffer}s with
 * explicit shapes and element strides; they know nothing of autodiff. Every differentiable op in
 * {@code org.opforge.tensor} is written once on top of these, so a new backend (CUDA) only
 * implements this interface and the kernel groups it returns.
 *
 * <p>Conventions: shapes are row-major (C order); a stride of 0 repeats an element (broadcast);
 * offsets and strides count elements, not bytes or real slots; complex buffers are interleaved.
 */
public interface Backend {

    Device device();

    /** Human-readable description ("cpu: 2 threads, SIMD on", "cuda:0 NVIDIA H100"). */
    String describe();

    // ---- memory -------------------------------------------------------------------------------

    /** A new zero-filled buffer. */
    Buffer allocate(DType dtype, long numel);

    /**
     * A new buffer whose contents are unspecified, for a kernel that writes every element of it (an
     * element-wise op, a GEMM with beta = 0): storage reused from {@link #release} is not zeroed first.
     */
    default Buffer allocateForOverwrite(DType dtype, long numel) { return allocate(dtype, numel); }

    /**
     * A stamp that orders allocations: {@link #allocatedSince} tells a buffer allocated after it. The
     * autograd pass takes one when it starts, so that it only ever releases buffers it made.
     */
    default long allocationStamp() { return Long.MAX_VALUE; }

    /** Whether {@code b} is this backend's and was allocated after {@code stamp} was taken. */
    default boolean allocatedSince(Buffer b, long stamp) { return false; }

    /**
     * Hands back storage that no tensor will read again, for a later {@link #allocate} of the same size
     * to reuse. The caller guarantees that: the autograd pass releases a gradient once every rule that
     * reads it has run and no other gradient shares its storage. A backend may ignore it; the CPU
     * backend makes a later read of a released buffer fail rather than see another tensor's values.
     */
    default void release(Buffer b) {}

    /** Copies host data in. For complex dtypes {@code data} is interleaved and holds 2 numel values. */
    Buffer fromHost(float[] data, DType dtype);

    /** Copies host data in. For complex dtypes {@code data} is interleaved and holds 2 numel values. */
    Buffer fromHost(double[] data, DType dtype);

    /** All values as floats (complex interleaved). */
    float[] toHostFloat(Buffer src);

    /** All values as doubles (complex interleaved). */
    double[] toHostDouble(Buffer src);

    /** A copy of {@code src} (same backend) converted to {@code dtype}; real to complex sets im = 0, complex to real keeps re. */
    Buffer cast(Buffer src, DType dtype);

    /** Sets every element of {@code out} (for complex: re = value, im = 0). */
    void fill(Buffer out, double value);

    // ---- element-wise -------------------------------------------------------------------------

    /** {@code out[i] = op(x[i], p)}; real dtypes only; {@code x} and {@code out} have the same size and may alias. */
    void unary(UnaryOp op, Buffer x, Buffer out, double p);

    /**
     * {@code out[idx] = op(a[idx . aStrides + aOffset], b[idx . bStrides + bOffset])} for every multi-index
     * {@code idx} of {@code shape}; {@code out} is contiguous in {@code shape} and may be {@code a} or {@code b}
     * when that operand is contiguous in {@code shape} too (an in-place update). Complex dtypes support
     * ADD, SUB, MUL, DIV (all three buffers of one complex dtype).
     */
    void binary(BinaryOp op, Buffer a, long aOffset, int[] aStrides, Buffer b, long bOffset, int[] bStrides,
                Buffer out, int[] shape);

    /** Complex helpers: split into parts, combine parts, conjugate. */
    void complexParts(Buffer z, Buffer re, Buffer im);

    void complexCombine(Buffer re, Buffer im, Buffer z);

    void conj(Buffer z, Buffer out);

    // ---- reductions ---------------------------------------------------------------------------

    /**
     * Reduces {@code x} of {@code shape} over the axes flagged in {@code axes}; {@code out} is contiguous
     * with the shape of {@code x} where reduced axes have size 1. Real dtypes only.
     */
    void reduce(ReduceOp op, Buffer x, int[] shape, boolean[] axes, Buffer out);

    // ---- data movement ------------------------------------------------------------------------

    /**
     * {@code dst[dstOffset + idx . dstStrides] = src[srcOffset + idx . srcStrides]} for every multi-index of
     * {@code shape}. Permute, slice, pad, concat, expand and their adjoints are all this one kernel.
     * Both buffers have the same dtype.
     */
    void copyStrided(Buffer src, long srcOffset, int[] srcStrides, Buffer dst, long dstOffset, int[] dstStrides,
                     int[] shape);

    /**
     * Accumulating variant: {@code dst[...] += src[...]}. Destination positions must be distinct within one
     * call (no two indices write the same element).
     */
    void addStrided(Buffer src, long srcOffset, int[] srcStrides, Buffer dst, long dstOffset, int[] dstStrides,
                    int[] shape);

    /**
     * Along one axis: {@code out[o, j, i] = src[o, index[j], i]} with src viewed as (outer, srcAxis, inner).
     * {@code index} is an int32 array on the host.
     */
    void gather(Buffer src, int outer, int srcAxis, int inner, int[] index, Buffer out);

    /** Adjoint of {@link #gather}: {@code dst[o, index[j], i] += src[o, j, i]} (repeated indices accumulate). */
    void scatterAdd(Buffer src, int outer, int dstAxis, int inner, int[] index, Buffer dst);

    // ---- linear algebra -----------------------------------------------------------------------

    /**
     * Batched row-major GEMM: for each batch {@code q < batch},
     * {@code C_q = alpha * op(A_q) op(B_q) + beta * C_q}, where {@code op(A_q)} is m x k, {@code op(B_q)} is
     * k x n, {@code C_q} is m x n contiguous, {@code A_q} starts at {@code aOffset + q*aBatchStride}
     * (stride 0 shares one matrix across the batch), likewise B and C. Real or complex (no conjugation).
     * With {@code beta = 0} the prior contents of C are not read (as in BLAS: NaN there does not propagate).
     */
    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha,
              Buffer a, long aOffset, long aBatchStride, Buffer b, long bOffset, long bBatchStride,
              double beta, Buffer c, long cOffset, long cBatchStride);

    /**
     * A fully connected layer: {@code out = act(x w^T + bias)} with x (m, k), w (n, k), bias (n) or
     * null, out (m, n) contiguous, all of one real dtype; {@code act} an element-wise op with parameter
     * {@code p} applied to the result, or null. Every element of out is written (it may come from
     * {@link #allocateForOverwrite}). The default broadcasts the bias into out, adds the GEMM (beta 1) and
     * applies the activation in place, as three passes; a backend may instead apply the bias and the
     * activation to each block of the product while the block is in cache. The values are those of the
     * three passes either way.
     */
    default void linear(int m, int n, int k, Buffer x, Buffer w, Buffer bias, UnaryOp act, double p, Buffer out) {
        if (bias != null) copyStrided(bias, 0, new int[] {0, 1}, out, 0, new int[] {n, 1}, new int[] {m, n});
        gemm(false, true, 1, m, n, k, 1.0, x, 0, 0, w, 0, 0, bias == null ? 0.0 : 1.0, out, 0, 0);
        if (act != null) unary(act, out, out, p);
    }

    /**
     * Inner products along rows: {@code out[r] = sum_j a[r len + j] b[r len + j]} for contiguous a and b of
     * {@code rows x len} and out of {@code rows}, one real dtype; every element of out is written. The default
     * multiplies into a scratch buffer and sums its rows (two passes); a backend may do it in one.
     */
    default void vecdot(int rows, int len, Buffer a, Buffer b, Buffer out) {
        int[] shape = {rows, len}, strides = {len, 1};
        Buffer products = allocateForOverwrite(a.dtype(), (long) rows * len);
        binary(BinaryOp.MUL, a, 0, strides, b, 0, strides, products, shape);
        reduce(ReduceOp.SUM, products, shape, new boolean[] {false, true}, out);
        release(products);
    }

    // ---- optimizers ---------------------------------------------------------------------------

    /**
     * One Adam / AdamW step (torch.optim.Adam, AdamW) on contiguous real buffers of one length and
     * dtype, element-wise:
     * <pre>
     *   g' = g + weightDecay p                    (L2 penalty; not when decoupled)
     *   m  = beta1 m + (1 - beta1) g'             (in place)
     *   v  = beta2 v + (1 - beta2) g'^2           (in place)
     *   s  = vMax = max(vMax, v) if vMax != null (amsgrad, in place), else s = v
     *   out = p' - (lr / bc1) m / (sqrt(s) / sqrt(bc2) + eps),  p' = decoupled ? p (1 - lr weightDecay) : p
     * </pre>
     * with the bias corrections {@code bc1 = 1 - beta1^t}, {@code bc2 = 1 - beta2^t}. {@code out} may be
     * {@code p}; {@code g} is not written. The default composes the element-wise kernels (about fourteen
     * passes and two scratch buffers); a backend may fuse it into one pass.
     */
    default void adamStep(Buffer p, Buffer g, Buffer m, Buffer v, Buffer vMax, Buffer out, double lr, double beta1,
                          double beta2, double eps, double weightDecay, boolean decoupled, double bc1, double bc2) {
        long n = p.numel();
        int[] unit = {1}, shape = {(int) n};
        Buffer t1 = allocate(p.dtype(), n), t2 = allocate(p.dtype(), n);
        Buffer grad = g;
        if (weightDecay != 0 && !decoupled) {
            unary(UnaryOp.MUL_SCALAR, p, t1, weightDecay);
            binary(BinaryOp.ADD, t1, 0, unit, g, 0, unit, t1, shape);
            grad = t1;
        }
        unary(UnaryOp.MUL_SCALAR, m, m, beta1);
        unary(UnaryOp.MUL_SCALAR, grad, t2, 1 - beta1);
        binary(BinaryOp.ADD, m, 0, unit, t2, 0, unit, m, shape);
        unary(UnaryOp.MUL_SCALAR, v, v, beta2);
        unary(UnaryOp.SQUARE, grad, t2, 0);
        unary(UnaryOp.MUL_SCALAR, t2, t2, 1 - beta2);
        binary(BinaryOp.ADD, v, 0, unit, t2, 0, unit, v, shape);
        Buffer second = v;
        if (vMax != null) {
            binary(BinaryOp.MAX, vMax, 0, unit, v, 0, unit, vMax, shape);
            second = vMax;
        }
        unary(UnaryOp.SQRT, second, t2, 0);
        unary(UnaryOp.MUL_SCALAR, t2, t2, 1 / Math.sqrt(bc2));
        unary(UnaryOp.ADD_SCALAR, t2, t2, eps);
        binary(BinaryOp.DIV, m, 0, unit, t2, 0, unit, t2, shape);
        unary(UnaryOp.MUL_SCALAR, t2, t2, -lr / bc1);
        if (decoupled && weightDecay != 0) {
            unary(UnaryOp.MUL_SCALAR, p, out, 1 - lr * weightDecay);
            binary(BinaryOp.ADD, out, 0, unit, t2, 0, unit, out, shape);
        } else {
            binary(BinaryOp.ADD, p, 0, unit, t2, 0, unit, out, shape);
        }
    }

    // ---- kernel groups --------------------------------------------------------------------------

    /** FFT kernels of this device. */
    FftKernels fft();

    /** Convolution, pooling and resampling kernels of this device. */
    ConvKernels conv();

    /** Random fill kernels of this device (counter-based, so thread-count independent). */
    RandomKernels random();

    /** Releases pooled memory and threads; the backend stays usable. */
    default void trim() {}
}
