package org.opforge.tensor;

import java.util.Arrays;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.ConvGeometry;

/**
 * Convolution, transposed convolution, pooling and linear interpolation over 1 to 3 spatial axes,
 * with PyTorch's layouts and semantics: activations (N, C, spatial...), convolution weight
 * (C_out, C_in/groups, k...), transposed-convolution weight (C_in, C_out/groups, k...).
 *
 * <p>A convolution is the cross-correlation
 * {@code y[n,o,l] = b[o] + sum_{c in group(o), j} w[o,c,j] x[n,c,l*s - p + j*d]} (no kernel flip), with
 * the input zero outside its range ({@code "zeros"}), periodic ({@code "circular"}: nn.Conv's pad
 * circularly, then convolve without padding) or mirrored about its end entries ({@code "reflect"}: pad
 * by reflection with {@link Tensor#pad}, then convolve without padding). Three bilinear primitives, each the adjoint of the others
 * in one argument, carry every derivative: the convolution {@code y = A_w x}, its input adjoint
 * {@code A_w^T g} (the transposed convolution) and the weight gradient {@code W(x, g) = d<g, A_w x>/dw}.
 * Each one's gradient rule is written with the other two, so gradients of any order exist.
 *
 * <p>The heavy part is a GEMM through {@link Backend#gemm}: the window unfolding ({@code im2col}) feeds one
 * batched GEMM per group, and a pointwise (1x1, stride 1, no padding) convolution is a GEMM on the input
 * itself with no unfolding.
 */
public final class Conv {
    /**
     * Elements of the per-part partial sums of a weight gradient (16 MiB of float32): a batch is cut into at
     * most this many elements' worth of parts. Package-private and mutable only so that tests can exercise
     * parts of several samples.
     */
    static volatile long partialLimit = 1L << 22;

    private Conv() {}

    // ============================================================================================
    // convolution
    // ============================================================================================

    /** conv1d with zero padding, dilation 1, one group. x (N, C_in, L), weight (C_out, C_in, k), bias (C_out) or null. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv1d(x, weight, bias, stride, padding, 1, 1, "zeros");
    }

    /** conv1d with a padding mode, "zeros", "circular" or "reflect". */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, String paddingMode) {
        return conv1d(x, weight, bias, stride, padding, 1, 1, paddingMode);
    }

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups,
                                String paddingMode) {
        return conv("conv1d", 1, x, weight, bias, fill(stride, 1), fill(padding, 1), fill(dilation, 1), groups, paddingMode);
    }

    /** conv2d with zero padding, dilation 1, one group. x (N, C_in, H, W), weight (C_out, C_in, kH, kW), bias (C_out) or null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, stride, padding, 1, 1, "zeros");
    }

    /** conv2d with a padding mode, "zeros", "circular" or "reflect". */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, String paddingMode) {
        return conv2d(x, weight, bias, stride, padding, 1, 1, paddingMode);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups,
                                String paddingMode) {
        return conv("conv2d", 2, x, weight, bias, fill(stride, 2), fill(padding, 2), fill(dilation, 2), groups, paddingMode);
    }

    /** conv3d with zero padding, dilation 1, one group. x (N, C_in, D, H, W), weight (C_out, C_in, kD, kH, kW). */
    public static Tensor conv3d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv3d(x, weight, bias, stride, padding, 1, 1, "zeros");
    }

    /** conv3d with a padding mode, "zeros", "circular" or "reflect". */
    public static Tensor conv3d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, String paddingMode) {
        return conv3d(x, weight, bias, stride, padding, 1, 1, paddingMode);
    }

    public static Tensor conv3d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups,
                                String paddingMode) {
        return conv("conv3d", 3, x, weight, bias, fill(stride, 3), fill(padding, 3), fill(dilation, 3), groups, paddingMode);
    }

    /**
     * Convolution over {@code weight.dim() - 2} spatial axes with per-axis stride, padding and dilation.
     *
     * @param paddingMode "zeros", "circular" or "reflect"
     */
    public static Tensor conv(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups,
                              String paddingMode) {
        int r = weight.dim() - 2;
        return conv("conv" + r + "d", r, x, weight, bias, stride, padding, dilation, groups, paddingMode);
    }

    private static Tensor conv(String op, int r, Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation,
                               int groups, String paddingMode) {
        if ("reflect".equals(paddingMode)) {
            // the mirrored entries are a gather of x (with its own gradient rule): pad, then an unpadded convolution
            checkRanks(op, r, x, w, "weight", "(C_out, C_in/groups, k...)");
            checkArgs(op, r, stride, padding, dilation);
            int[] pads = new int[2 * r];
            for (int a = 0; a < r; a++) {
                pads[2 * (r - 1 - a)] = padding[a];
                pads[2 * (r - 1 - a) + 1] = padding[a];
            }
            Tensor padded;
            try {
                padded = x.pad(pads, "reflect");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + ", padding " + Arrays.toString(padding)
                        + ": " + e.getMessage(), e);
            }
            return conv(op, r, padded, w, bias, stride, fill(0, r), dilation, groups, "zeros");
        }
        boolean circular = paddingMode(op, paddingMode);
        checkRanks(op, r, x, w, "weight", "(C_out, C_in/groups, k...)");
        checkArgs(op, r, stride, padding, dilation);
        int c = x.size(1), cOut = w.size(0);
        checkGroups(op, groups, c, cOut, x, w);
        if (w.size(1) * groups != c) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(w.shape()) + " expects " + w.size(1) * groups
                    + " input channels (C_in/groups = " + w.size(1) + ", groups " + groups + ") but x " + Shapes.str(x.shape())
                    + " has " + c);
        }
        checkBias(op, bias, cOut, w, "weight");
        ConvGeometry g;
        try {
            g = new ConvGeometry(spatial(x), spatial(w), stride, padding, dilation, circular);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape()) + ": "
                    + e.getMessage(), e);
        }
        DType dt = commonDtype(op, x, w, bias);
        return convolve(x.to(dt), w.to(dt), bias == null ? null : bias.to(dt), g, groups);
    }

    // ============================================================================================
    // transposed convolution
    // ============================================================================================

    /** conv_transpose1d, dilation 1, one group. x (N, C_in, L), weight (C_in, C_out, k), bias (C_out) or null. */
    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding) {
        return convTranspose1d(x, weight, bias, stride, padding, outputPadding, 1, 1);
    }

    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding,
                                         int dilation, int groups) {
        return convTranspose("conv_transpose1d", 1, x, weight, bias, fill(stride, 1), fill(padding, 1), fill(outputPadding, 1),
                fill(dilation, 1), groups);
    }

    /** conv_transpose2d, dilation 1, one group. x (N, C_in, H, W), weight (C_in, C_out, kH, kW), bias (C_out) or null. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding) {
        return convTranspose2d(x, weight, bias, stride, padding, outputPadding, 1, 1);
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding,
                                         int dilation, int groups) {
        return convTranspose("conv_transpose2d", 2, x, weight, bias, fill(stride, 2), fill(padding, 2), fill(outputPadding, 2),
                fill(dilation, 2), groups);
    }

    /** conv_transpose3d, dilation 1, one group. x (N, C_in, D, H, W), weight (C_in, C_out, kD, kH, kW). */
    public static Tensor convTranspose3d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding) {
        return convTranspose3d(x, weight, bias, stride, padding, outputPadding, 1, 1);
    }

    public static Tensor convTranspose3d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding,
                                         int dilation, int groups) {
        return convTranspose("conv_transpose3d", 3, x, weight, bias, fill(stride, 3), fill(padding, 3), fill(outputPadding, 3),
                fill(dilation, 3), groups);
    }

    /**
     * Transposed convolution over {@code weight.dim() - 2} spatial axes: the adjoint, with respect to its
     * input, of the convolution with the same weight, stride, padding and dilation, whose input has size
     * {@code (n-1)*s - 2p + d*(k-1) + outputPadding + 1} per axis. {@code outputPadding} must be below the
     * stride or the dilation (PyTorch).
     */
    public static Tensor convTranspose(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                       int[] dilation, int groups) {
        int r = weight.dim() - 2;
        return convTranspose("conv_transpose" + r + "d", r, x, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    private static Tensor convTranspose(String op, int r, Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding,
                                        int[] outputPadding, int[] dilation, int groups) {
        checkRanks(op, r, x, w, "weight", "(C_in, C_out/groups, k...)");
        checkArgs(op, r, stride, padding, dilation);
        if (outputPadding.length != r) {
            throw new IllegalArgumentException(op + ": output_padding " + Arrays.toString(outputPadding) + " must have " + r + " entries");
        }
        int cIn = x.size(1);
        if (w.size(0) != cIn) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(w.shape()) + " expects " + w.size(0)
                    + " input channels (axis 0) but x " + Shapes.str(x.shape()) + " has " + cIn);
        }
        int cOut = w.size(1) * groups;
        checkGroups(op, groups, cIn, cOut, x, w);
        checkBias(op, bias, cOut, w, "weight");
        int[] outSize = new int[r];
        for (int a = 0; a < r; a++) {
            int outPad = outputPadding[a];
            if (outPad < 0 || (outPad >= stride[a] && outPad >= dilation[a])) {
                throw new IllegalArgumentException(op + ": output_padding " + Arrays.toString(outputPadding) + " must be >= 0 and "
                        + "smaller than the stride " + Arrays.toString(stride) + " or the dilation " + Arrays.toString(dilation));
            }
            outSize[a] = (x.size(2 + a) - 1) * stride[a] - 2 * padding[a] + dilation[a] * (w.size(2 + a) - 1) + outPad + 1;
            if (outSize[a] < 1) {
                throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape())
                        + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding)
                        + " give a non-positive output size " + outSize[a] + " on spatial axis " + a);
            }
        }
        ConvGeometry g;
        try {
            g = new ConvGeometry(outSize, spatial(w), stride, padding, dilation, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape()) + ": "
                    + e.getMessage(), e);
        }
        // with outputPadding >= stride (allowed when below the dilation) the convolution on the enlarged input has
        // floor(outputPadding/stride) more outputs than x: the transposed convolution is the adjoint of that
        // convolution cropped to x's size, i.e. of x zero-padded at the end
        int[] extra = new int[2 * r];
        for (int a = 0; a < r; a++) {
            int more = g.out(a) - x.size(2 + a);
            if (more < 0) {
                throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + " does not match the output "
                        + Arrays.toString(g.outShape()) + " of the adjoint convolution " + g);
            }
            extra[2 * (r - 1 - a) + 1] = more;
        }
        DType dt = commonDtype(op, x, w, bias);
        Tensor xin = x.to(dt).pad(extra, "zeros");
        Tensor y = inputAdjoint(xin, w.to(dt), g, groups, cOut);
        if (bias == null) return y;
        int[] bShape = new int[r + 2];
        Arrays.fill(bShape, 1);
        bShape[1] = cOut;
        return y.add(bias.to(dt).reshape(bShape));
    }

    // ============================================================================================
    // the three bilinear primitives and their gradient rules
    // ============================================================================================

    /** y = A_w x (+ bias), x (N, C, in...), w (C_out, C/groups, k...). */
    static Tensor convolve(Tensor x, Tensor w, Tensor bias, ConvGeometry g, int groups) {
        Tensor y = convolveKernel(x, w, bias, g, groups);
        int[] nonChannel = nonChannelAxes(y.dim());
        return Autograd.record(y, "conv" + g.rank() + "d", gy -> new Tensor[] {
                x.requiresGrad() ? inputAdjoint(gy, w, g, groups, x.size(1)) : null,
                w.requiresGrad() ? weightGradient(x, gy, g, groups, w.shape()) : null,
                bias != null && bias.requiresGrad() ? gy.sum(nonChannel, false) : null}, x, w, bias);
    }

    /** A_w^T gy: (N, C, in...) from gy (N, C_out, out...); the transposed convolution. */
    static Tensor inputAdjoint(Tensor gy, Tensor w, ConvGeometry g, int groups, int channels) {
        Tensor gx = inputAdjointKernel(gy, w, g, groups, channels);
        return Autograd.record(gx, "conv_transpose" + g.rank() + "d", h -> new Tensor[] {
                gy.requiresGrad() ? convolve(h, w, null, g, groups) : null,
                w.requiresGrad() ? weightGradient(h, gy, g, groups, w.shape()) : null}, gy, w);
    }

    /** d<gy, A_w x>/dw, of the weight's shape. */
    static Tensor weightGradient(Tensor x, Tensor gy, ConvGeometry g, int groups, int[] wShape) {
        Tensor gw = weightGradientKernel(x, gy, g, groups, wShape);
        return Autograd.record(gw, "conv" + g.rank() + "d_weight_grad", v -> new Tensor[] {
                x.requiresGrad() ? inputAdjoint(gy, v, g, groups, x.size(1)) : null,
                gy.requiresGrad() ? convolve(x, v, null, g, groups) : null}, x, gy);
    }

    // ============================================================================================
    // kernels: im2col + GEMM, one sample at a time
    // ============================================================================================

    /**
     * Per-thread scratch for one sample's unfolded columns, reused from call to call: a column matrix is
     * about nine times its activation and lives only inside one kernel call, so allocating (and zeroing,
     * and collecting) it anew for every convolution of a training step costs more than the copy into it.
     * Every user writes all the entries it reads.
     */
    private static final ThreadLocal<Buffer> SCRATCH = new ThreadLocal<>();

    private static Buffer scratch(Backend be, DType dt, long n) {
        Buffer b = SCRATCH.get();
        if (b == null || b.backend() != be || b.dtype() != dt || b.numel() < n) {
            SCRATCH.remove();
            b = be.allocate(dt, n);
            SCRATCH.set(b);
        }
        return b;
    }

    private static Tensor convolveKernel(Tensor x, Tensor w, Tensor bias, ConvGeometry g, int groups) {
        Backend be = x.backend();
        DType dt = x.dtype();
        int n = x.size(0), c = x.size(1), cOut = w.size(0);
        int cg = c / groups, og = cOut / groups, k = g.kernelVolume(), l = g.outVolume(), inVol = g.inVolume();
        int[] outShape = Shapes.concat(new int[] {n, cOut}, g.outShape());
        Buffer out = be.allocate(dt, Shapes.numel(outShape));
        double beta;
        if (bias != null) {
            // the GEMM accumulates onto the bias broadcast over batch and positions
            be.copyStrided(bias.buffer(), 0, new int[] {0, 1, 0}, out, 0, new int[] {cOut * l, l, 1}, new int[] {n, cOut, l});
            beta = 1;
        } else {
            beta = 0;
        }
        if (n == 0 || l == 0) return new Tensor(out, outShape);
        if (g.isPointwise()) {
            for (int q = 0; q < groups; q++) {
                be.gemm(false, false, n, og, l, cg, 1.0, w.buffer(), (long) q * og * cg, 0, x.buffer(), (long) q * cg * l,
                        (long) c * l, beta, out, (long) q * og * l, (long) cOut * l);
            }
            return new Tensor(out, outShape);
        }
        long ckl = (long) c * k * l;
        be.conv().forSamples(n, ckl * og, (s0, s1) -> {
            if (groups == 1 && be.conv().convolveSamples(x.buffer(), 0, s0, s1, c, g, w.buffer(), cOut, out, 0, beta != 0)) return;
            Buffer cols = scratch(be, dt, ckl);
            for (int s = s0; s < s1; s++) {
                long xAt = (long) s * c * inVol, outAt = (long) s * cOut * l;
                be.conv().im2col(x.buffer(), xAt, 1, c, g, cols, 0, ckl, l);
                for (int q = 0; q < groups; q++) {
                    be.gemm(false, false, 1, og, l, cg * k, 1.0, w.buffer(), (long) q * og * cg * k, 0, cols, (long) q * cg * k * l,
                            0, beta, out, outAt + (long) q * og * l, 0);
                }
            }
        });
        return new Tensor(out, outShape);
    }

    private static Tensor inputAdjointKernel(Tensor gy, Tensor w, ConvGeometry g, int groups, int c) {
        ConvGeometry flipped = strideOneAdjoint(g, groups);
        if (flipped != null) return convolveKernel(gy, flippedTranspose(w), null, flipped, 1);
        Backend be = gy.backend();
        DType dt = gy.dtype();
        int n = gy.size(0), cOut = w.size(0);
        int cg = c / groups, og = cOut / groups, k = g.kernelVolume(), l = g.outVolume(), inVol = g.inVolume();
        int[] inShape = Shapes.concat(new int[] {n, c}, g.inShape());
        Buffer gx = be.allocate(dt, Shapes.numel(inShape));
        if (n == 0 || l == 0) return new Tensor(gx, inShape);
        if (g.isPointwise()) {
            for (int q = 0; q < groups; q++) {
                be.gemm(true, false, n, cg, l, og, 1.0, w.buffer(), (long) q * og * cg, 0, gy.buffer(), (long) q * og * l,
                        (long) cOut * l, 0.0, gx, (long) q * cg * l, (long) c * l);
            }
            return new Tensor(gx, inShape);
        }
        long ckl = (long) c * k * l;
        be.conv().forSamples(n, ckl * og, (s0, s1) -> {
            if (groups == 1 && be.conv().inputAdjointSamples(gy.buffer(), 0, s0, s1, cOut, g, w.buffer(), c, gx, 0)) return;
            Buffer cols = scratch(be, dt, ckl);
            for (int s = s0; s < s1; s++) {
                for (int q = 0; q < groups; q++) {
                    be.gemm(true, false, 1, cg * k, l, og, 1.0, w.buffer(), (long) q * og * cg * k, 0, gy.buffer(),
                            ((long) s * cOut + (long) q * og) * l, 0, 0.0, cols, (long) q * cg * k * l, 0);
                }
                be.conv().col2im(cols, 0, ckl, l, 1, c, g, gx, (long) s * c * inVol);
            }
        });
        return new Tensor(gx, inShape);
    }

    /**
     * For stride 1, dilation 1, one group and padding p <= k - 1 per axis, A_w^T is itself a convolution:
     * {@code gx[m] = sum_j w[j] gy[m + p - j]} is the cross-correlation of gy with the kernel flipped and its
     * channel axes swapped, padded by k - 1 - p (periodically when A_w is), which gives back the input size.
     * An unfolding (a copy) then replaces the folding (a scatter-add); the geometry of that convolution, or
     * null where the rule does not apply.
     */
    private static ConvGeometry strideOneAdjoint(ConvGeometry g, int groups) {
        if (groups != 1) return null;
        int r = g.rank();
        int[] pad = new int[r];
        for (int a = 0; a < r; a++) {
            if (g.stride(a) != 1 || g.dilation(a) != 1 || g.padding(a) > g.kernel(a) - 1) return null;
            pad[a] = g.kernel(a) - 1 - g.padding(a);
        }
        if (g.circular()) {
            for (int a = 0; a < r; a++) if (pad[a] != g.padding(a) || pad[a] > g.out(a)) return null;
        }
        ConvGeometry f = new ConvGeometry(g.outShape(), g.kernelShape(), fill(1, r), pad, fill(1, r), g.circular());
        return Arrays.equals(f.outShape(), g.inShape()) ? f : null;
    }

    /** w (C_out, C_in, k...) as (C_in, C_out, k...) with every spatial axis reversed; a kernel-level copy, outside the graph. */
    private static Tensor flippedTranspose(Tensor w) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            int r = w.dim() - 2;
            int[] perm = new int[r + 2];
            perm[0] = 1;
            perm[1] = 0;
            for (int a = 0; a < r; a++) perm[2 + a] = 2 + a;
            Tensor t = w.detach().permute(perm);
            for (int a = 0; a < r; a++) {
                int k = t.size(2 + a);
                if (k == 1) continue;
                int[] rev = new int[k];
                for (int i = 0; i < k; i++) rev[i] = k - 1 - i;
                t = t.indexSelect(2 + a, rev);
            }
            return t;
        }
    }

    /**
     * The weight gradient as the sum over samples of {@code gy_s cols_s^T} (C_out x L times L x C*K per
     * group). The samples are cut into parts that depend on the shapes only (as many as the batch, fewer
     * when the partial sums would pass {@link #partialLimit} elements); each part accumulates its samples
     * in order on one thread, and the parts are added in order, so the result is the same at any thread count.
     */
    private static Tensor weightGradientKernel(Tensor x, Tensor gy, ConvGeometry g, int groups, int[] wShape) {
        Backend be = x.backend();
        DType dt = x.dtype();
        int n = x.size(0), c = x.size(1), cOut = wShape[0];
        int cg = c / groups, og = cOut / groups, k = g.kernelVolume(), l = g.outVolume(), inVol = g.inVolume();
        long wNumel = Shapes.numel(wShape);
        if (n == 0 || l == 0) return new Tensor(be.allocate(dt, wNumel), wShape);
        boolean pointwise = g.isPointwise();
        long ckl = (long) c * k * l;
        int parts = (int) Math.max(1, Math.min(n, partialLimit / wNumel));
        Buffer partial = be.allocate(dt, (long) parts * wNumel);
        be.conv().forSamples(parts, ckl * og * n / parts, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int first = (int) ((long) n * p / parts), last = (int) ((long) n * (p + 1) / parts);
                if (groups == 1 && !pointwise && be.conv().weightGradientSamples(x.buffer(), 0, first, last, c, g, gy.buffer(), 0, cOut,
                        partial, (long) p * wNumel)) continue;
                Buffer cols = pointwise ? x.buffer() : scratch(be, dt, ckl);
                for (int s = first; s < last; s++) {
                    long colsAt = pointwise ? (long) s * c * inVol : 0;
                    if (!pointwise) be.conv().im2col(x.buffer(), (long) s * c * inVol, 1, c, g, cols, 0, ckl, l);
                    for (int q = 0; q < groups; q++) {
                        be.gemm(false, true, 1, og, cg * k, l, 1.0, gy.buffer(), ((long) s * cOut + (long) q * og) * l, 0,
                                cols, colsAt + (long) q * cg * k * l, 0, s == first ? 0.0 : 1.0, partial,
                                (long) p * wNumel + (long) q * og * cg * k, 0);
                    }
                }
            }
        });
        if (parts == 1) return new Tensor(partial, wShape);
        try (GradMode.Scope s = GradMode.noGrad()) {
            return new Tensor(partial, Shapes.concat(new int[] {parts}, wShape)).sum(new int[] {0}, false);
        }
    }

    // ============================================================================================
    // pooling
    // ============================================================================================

    /** Max pooling over 1 spatial axis with stride = kernel, no padding. */
    public static Tensor maxPool1d(Tensor x, int kernel) { return maxPool1d(x, kernel, kernel, 0); }

    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding) {
        return maxPool(x, fill(kernel, 1), fill(stride, 1), fill(padding, 1), fill(1, 1));
    }

    /** Max pooling over 2 spatial axes with stride = kernel, no padding. */
    public static Tensor maxPool2d(Tensor x, int kernel) { return maxPool2d(x, kernel, kernel, 0); }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return maxPool(x, fill(kernel, 2), fill(stride, 2), fill(padding, 2), fill(1, 2));
    }

    /** Max pooling over 3 spatial axes with stride = kernel, no padding. */
    public static Tensor maxPool3d(Tensor x, int kernel) { return maxPool3d(x, kernel, kernel, 0); }

    public static Tensor maxPool3d(Tensor x, int kernel, int stride, int padding) {
        return maxPool(x, fill(kernel, 3), fill(stride, 3), fill(padding, 3), fill(1, 3));
    }

    /**
     * Max pooling over the {@code kernel.length} trailing axes of x (N, C, spatial...): each output is the
     * largest input in its window, padding never selected (implicit -inf, padding at most half the kernel,
     * as PyTorch). The gradient flows to the selected element (the first on ties).
     */
    public static Tensor maxPool(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        String op = "max_pool" + kernel.length + "d";
        ConvGeometry g = poolGeometry(op, x, kernel, stride, padding, dilation);
        return maxSelect(x.detach(), x, g);
    }

    private static Tensor maxSelect(Tensor key, Tensor values, ConvGeometry g) {
        int planes = values.size(0) * values.size(1);
        int[] outShape = Shapes.concat(new int[] {values.size(0), values.size(1)}, g.outShape());
        Buffer out = values.backend().allocate(values.dtype(), Shapes.numel(outShape));
        values.backend().conv().maxPool(key.buffer(), values.buffer(), planes, g, out);
        return Autograd.record(new Tensor(out, outShape), "max_pool" + g.rank() + "d",
                h -> new Tensor[] {maxSelectAdjoint(key, h, g)}, values);
    }

    private static Tensor maxSelectAdjoint(Tensor key, Tensor grad, ConvGeometry g) {
        int planes = grad.size(0) * grad.size(1);
        Buffer out = grad.backend().allocate(grad.dtype(), key.numel());
        grad.backend().conv().maxPoolAdjoint(key.buffer(), grad.buffer(), planes, g, out);
        return Autograd.record(new Tensor(out, key.shape()), "max_pool" + g.rank() + "d_backward",
                h -> new Tensor[] {maxSelect(key, h, g)}, grad);
    }

    /** Average pooling over 1 spatial axis with stride = kernel, no padding. */
    public static Tensor avgPool1d(Tensor x, int kernel) { return avgPool1d(x, kernel, kernel, 0); }

    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding) {
        return avgPool(x, fill(kernel, 1), fill(stride, 1), fill(padding, 1), true);
    }

    /** Average pooling over 2 spatial axes with stride = kernel, no padding. */
    public static Tensor avgPool2d(Tensor x, int kernel) { return avgPool2d(x, kernel, kernel, 0); }

    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return avgPool(x, fill(kernel, 2), fill(stride, 2), fill(padding, 2), true);
    }

    /** Average pooling over 3 spatial axes with stride = kernel, no padding. */
    public static Tensor avgPool3d(Tensor x, int kernel) { return avgPool3d(x, kernel, kernel, 0); }

    public static Tensor avgPool3d(Tensor x, int kernel, int stride, int padding) {
        return avgPool(x, fill(kernel, 3), fill(stride, 3), fill(padding, 3), true);
    }

    /**
     * Average pooling over the {@code kernel.length} trailing axes: the window sum divided by the kernel
     * volume ({@code countIncludePad}, PyTorch's default) or by the number of window positions inside the
     * input. Linear; its gradient is the adjoint spreading, whose own gradient is this pooling.
     */
    public static Tensor avgPool(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        String op = "avg_pool" + kernel.length + "d";
        ConvGeometry g = poolGeometry(op, x, kernel, stride, padding, fill(1, kernel.length));
        return average(x, g, countIncludePad);
    }

    private static Tensor average(Tensor x, ConvGeometry g, boolean countIncludePad) {
        int planes = x.size(0) * x.size(1);
        int[] outShape = Shapes.concat(new int[] {x.size(0), x.size(1)}, g.outShape());
        Buffer out = x.backend().allocate(x.dtype(), Shapes.numel(outShape));
        x.backend().conv().avgPool(x.buffer(), planes, g, countIncludePad, out);
        int[] inShape = x.shape();
        return Autograd.record(new Tensor(out, outShape), "avg_pool" + g.rank() + "d",
                h -> new Tensor[] {averageAdjoint(h, g, countIncludePad, inShape)}, x);
    }

    private static Tensor averageAdjoint(Tensor grad, ConvGeometry g, boolean countIncludePad, int[] inShape) {
        int planes = grad.size(0) * grad.size(1);
        Buffer out = grad.backend().allocate(grad.dtype(), Shapes.numel(inShape));
        grad.backend().conv().avgPoolAdjoint(grad.buffer(), planes, g, countIncludePad, out);
        return Autograd.record(new Tensor(out, inShape), "avg_pool" + g.rank() + "d_backward",
                h -> new Tensor[] {average(h, g, countIncludePad)}, grad);
    }

    private static ConvGeometry poolGeometry(String op, Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        int r = kernel.length;
        if (x.dim() != r + 2) {
            throw new IllegalArgumentException(op + ": x must have shape (N, C, " + r + " spatial axes), found " + Shapes.str(x.shape())
                    + " for kernel " + Arrays.toString(kernel));
        }
        if (x.dtype().isComplex()) throw new IllegalArgumentException(op + ": x has complex dtype " + x.dtype());
        checkArgs(op, r, stride, padding, dilation);
        for (int a = 0; a < r; a++) {
            if (padding[a] * 2 > kernel[a]) {
                throw new IllegalArgumentException(op + ": padding " + Arrays.toString(padding) + " must be at most half the kernel "
                        + Arrays.toString(kernel));
            }
        }
        try {
            return new ConvGeometry(spatial(x), kernel, stride, padding, dilation, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape()) + ", kernel " + Arrays.toString(kernel) + ": "
                    + e.getMessage(), e);
        }
    }

    // ============================================================================================
    // interpolation
    // ============================================================================================

    /** Bilinear resampling of x (N, C, H, W) to (N, C, height, width). */
    public static Tensor bilinear(Tensor x, int height, int width, boolean alignCorners) {
        return interpolate(x, new int[] {height, width}, "bilinear", alignCorners);
    }

    /** Trilinear resampling of x (N, C, D, H, W) to (N, C, depth, height, width). */
    public static Tensor trilinear(Tensor x, int depth, int height, int width, boolean alignCorners) {
        return interpolate(x, new int[] {depth, height, width}, "trilinear", alignCorners);
    }

    /**
     * F.interpolate with an explicit output {@code size} and mode "linear" (x of rank 3), "bilinear" (rank 4)
     * or "trilinear" (rank 5). Per axis the output index t reads the source coordinate
     * {@code s = t (in-1)/(out-1)} with {@code alignCorners}, else {@code max(0, (t+0.5) in/out - 0.5)}, and
     * blends its two neighbours {@code floor(s)} and {@code min(floor(s)+1, in-1)}. The multilinear map is
     * applied one axis at a time (it is separable); each step's gradient is its adjoint, whose gradient is
     * the step again.
     */
    public static Tensor interpolate(Tensor x, int[] size, String mode, boolean alignCorners) {
        int want = switch (mode) {
            case "linear" -> 1;
            case "bilinear" -> 2;
            case "trilinear" -> 3;
            default -> throw new IllegalArgumentException("interpolate: mode must be 'linear', 'bilinear' or 'trilinear', found '"
                    + mode + "'");
        };
        if (size.length != want || x.dim() != want + 2) {
            throw new IllegalArgumentException("interpolate: mode '" + mode + "' needs x of rank " + (want + 2) + " and " + want
                    + " output sizes, found x " + Shapes.str(x.shape()) + " and size " + Arrays.toString(size));
        }
        if (x.dtype().isComplex()) throw new IllegalArgumentException("interpolate: x has complex dtype " + x.dtype());
        for (int s : size) {
            if (s < 1) throw new IllegalArgumentException("interpolate: output size " + Arrays.toString(size) + " must be positive");
        }
        Tensor y = x;
        // shrinking axes first keeps the intermediate tensors small
        for (int pass = 0; pass < 2; pass++) {
            for (int a = 0; a < want; a++) {
                int axis = a + 2, in = x.size(axis);
                boolean shrink = size[a] < in;
                if (size[a] != in && shrink == (pass == 0)) y = resample(y, axis, size[a], alignCorners);
            }
        }
        return y;
    }

    private static Tensor resample(Tensor x, int axis, int outSize, boolean alignCorners) {
        int[] s = x.shape();
        int in = s[axis];
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= s[i];
        for (int i = axis + 1; i < s.length; i++) inner *= s[i];
        int[] outShape = s.clone();
        outShape[axis] = outSize;
        Buffer out = x.backend().allocate(x.dtype(), Shapes.numel(outShape));
        x.backend().conv().linearResample(x.buffer(), outer, in, inner, outSize, alignCorners, out);
        return Autograd.record(new Tensor(out, outShape), "interpolate_linear",
                h -> new Tensor[] {resampleAdjoint(h, axis, in, alignCorners)}, x);
    }

    private static Tensor resampleAdjoint(Tensor grad, int axis, int inSize, boolean alignCorners) {
        int[] s = grad.shape();
        int outSize = s[axis];
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= s[i];
        for (int i = axis + 1; i < s.length; i++) inner *= s[i];
        int[] inShape = s.clone();
        inShape[axis] = inSize;
        Buffer out = grad.backend().allocate(grad.dtype(), Shapes.numel(inShape));
        grad.backend().conv().linearResampleAdjoint(grad.buffer(), outer, outSize, inner, inSize, alignCorners, out);
        return Autograd.record(new Tensor(out, inShape), "interpolate_linear_backward",
                h -> new Tensor[] {resample(h, axis, outSize, alignCorners)}, grad);
    }

    // ============================================================================================
    // argument checks
    // ============================================================================================

    static int[] fill(int v, int r) {
        int[] a = new int[r];
        Arrays.fill(a, v);
        return a;
    }

    private static int[] spatial(Tensor t) {
        int[] s = t.shape();
        return Arrays.copyOfRange(s, 2, s.length);
    }

    private static int[] nonChannelAxes(int rank) {
        int[] a = new int[rank - 1];
        a[0] = 0;
        for (int i = 2; i < rank; i++) a[i - 1] = i;
        return a;
    }

    private static boolean paddingMode(String op, String mode) {
        if ("zeros".equals(mode)) return false;
        if ("circular".equals(mode)) return true;
        throw new IllegalArgumentException(op + ": padding_mode must be 'zeros', 'circular' or 'reflect', found '" + mode + "'");
    }

    private static void checkRanks(String op, int r, Tensor x, Tensor w, String wName, String wLayout) {
        if (r < 1 || r > 3) {
            throw new IllegalArgumentException(op + ": " + wName + " " + Shapes.str(w.shape()) + " must have rank 3 to 5 " + wLayout);
        }
        if (w.dim() != r + 2) {
            throw new IllegalArgumentException(op + ": " + wName + " must have rank " + (r + 2) + " " + wLayout + ", found "
                    + Shapes.str(w.shape()) + " (x " + Shapes.str(x.shape()) + ")");
        }
        if (x.dim() != r + 2) {
            throw new IllegalArgumentException(op + ": x must have rank " + (r + 2) + " (N, C, " + r + " spatial axes), found "
                    + Shapes.str(x.shape()) + " (" + wName + " " + Shapes.str(w.shape()) + ")");
        }
        if (!x.device().equals(w.device())) {
            throw new IllegalArgumentException(op + ": x is on " + x.device() + " but " + wName + " is on " + w.device());
        }
    }

    private static void checkArgs(String op, int r, int[] stride, int[] padding, int[] dilation) {
        if (stride.length != r || padding.length != r || dilation.length != r) {
            throw new IllegalArgumentException(op + ": stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding)
                    + " and dilation " + Arrays.toString(dilation) + " must have " + r + " entries");
        }
        for (int a = 0; a < r; a++) {
            if (stride[a] < 1 || dilation[a] < 1 || padding[a] < 0) {
                throw new IllegalArgumentException(op + ": stride " + Arrays.toString(stride) + " and dilation "
                        + Arrays.toString(dilation) + " must be >= 1 and padding " + Arrays.toString(padding) + " >= 0");
            }
        }
    }

    private static void checkGroups(String op, int groups, int cIn, int cOut, Tensor x, Tensor w) {
        if (groups < 1 || cIn % groups != 0 || cOut % groups != 0) {
            throw new IllegalArgumentException(op + ": groups " + groups + " must be >= 1 and divide both the input channels " + cIn
                    + " and the output channels " + cOut + " (x " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape()) + ")");
        }
    }

    private static void checkBias(String op, Tensor bias, int cOut, Tensor w, String wName) {
        if (bias != null && (bias.dim() != 1 || bias.size(0) != cOut)) {
            throw new IllegalArgumentException(op + ": bias must have shape [" + cOut + "] for " + wName + " "
                    + Shapes.str(w.shape()) + ", found " + Shapes.str(bias.shape()));
        }
    }

    private static DType commonDtype(String op, Tensor x, Tensor w, Tensor bias) {
        DType dt = x.dtype().promote(w.dtype());
        if (bias != null) {
            dt = dt.promote(bias.dtype());
            if (!bias.device().equals(x.device())) {
                throw new IllegalArgumentException(op + ": x is on " + x.device() + " but bias is on " + bias.device());
            }
        }
        if (dt.isComplex()) throw new IllegalArgumentException(op + ": complex dtype " + dt + " is not supported");
        return dt;
    }
}
