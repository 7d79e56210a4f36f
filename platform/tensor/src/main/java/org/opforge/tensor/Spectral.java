package org.opforge.tensor;

import java.util.Arrays;
import java.util.function.Supplier;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;

/**
 * Differentiable Fourier transforms and the spectral layers built on them.
 *
 * <p>Everything rests on four linear primitives, each a device kernel of
 * {@link org.opforge.tensor.backend.FftKernels}:
 * <ul>
 *   <li>{@link #c2c}: complex DFT along one axis, optionally restricted to the kept frequencies
 *       {@code {0..lo-1} ∪ {n-hi..n-1}} (analysis: only those outputs; synthesis: only those inputs);</li>
 *   <li>{@link #r2c}: one-sided real-to-complex DFT keeping bins {@code 0..bins-1};</li>
 *   <li>{@link #c2r}: its counterpart, complex-to-real synthesis from bins {@code 0..bins-1};</li>
 *   <li>{@link #complexMulChannels}: per-mode complex channel contraction.</li>
 * </ul>
 * Gradients follow PyTorch's convention for complex tensors, {@code dL/dRe z + i dL/dIm z}, which
 * makes the gradient of a linear map its adjoint: the adjoint of an analysis c2c with sign s is the
 * synthesis c2c with sign -s (same kept set, same scale), and the adjoint of r2c with weights w is c2r
 * with weights w (w_k = 1, or 2 for the bins standing for a conjugate pair). irfft is c2r with those
 * Hermitian weights and scale 1/n, so its gradient is {@code (w_k / n) rfft(g)_k}; the imaginary parts of
 * bin 0 and (even n) bin n/2 do not reach the output and get exactly zero gradient. Each rule is
 * written with these same differentiable ops, so gradients can be differentiated again.
 *
 * <p>Spectral convolutions ({@link #spectralConv1d}, {@link #spectralConv2d}, {@link #spectralConv3d})
 * compute only what the layer keeps: the one-sided transform along the last axis keeps the first
 * {@code m} bins, the complex transforms along the other axes then run only over those columns and
 * output only the {@code 2m} low-frequency rows, the contraction runs on the kept block, and the
 * inverse goes back the same way from the kept block. This is the same function as the reference
 * code's rfftn / corner assignment / irfftn, at a fraction of the cost.
 */
public final class Spectral {
    private Spectral() {}

    // =============================================================================================
    // primitives
    // =============================================================================================

    private static int outer(int[] shape, int axis) {
        int o = 1;
        for (int i = 0; i < axis; i++) o *= shape[i];
        return o;
    }

    private static int inner(int[] shape, int axis) {
        int o = 1;
        for (int i = axis + 1; i < shape.length; i++) o *= shape[i];
        return o;
    }

    private static int[] withSize(int[] shape, int axis, int size) {
        int[] s = shape.clone();
        s[axis] = size;
        return s;
    }

    /**
     * Complex DFT along {@code axis} of length {@code n} restricted to the kept frequencies
     * {@code K = {0..lo-1} ∪ {n-hi..n-1}} in that order, with {@code sign = inverse ? +1 : -1}. Analysis
     * ({@code pad = false}): input length n, output {@code y[j] = scale sum_t x[t] exp(sign 2 pi i k_j t / n)}
     * of length lo+hi. Synthesis ({@code pad = true}): input length lo+hi holding the kept bins,
     * output {@code y[t] = scale sum_j x[j] exp(sign 2 pi i k_j t / n)} of length n. Full transforms
     * are {@code lo = n, hi = 0}. The gradient is the synthesis / analysis with the opposite sign.
     */
    public static Tensor c2c(Tensor x, int axis, int n, int lo, int hi, boolean pad, boolean inverse, double scale) {
        int a = Shapes.axis("c2c", axis, x.dim());
        requireComplex("c2c", x);
        int kept = lo + hi;
        if (n < 1 || lo < 0 || hi < 0 || kept == 0 || kept > n) {
            throw new IllegalArgumentException("c2c: kept frequencies lo=" + lo + ", hi=" + hi + " must satisfy 0 < lo+hi <= n = " + n);
        }
        int[] shape = x.shape();
        int inLen = pad ? kept : n, outLen = pad ? n : kept;
        if (shape[a] != inLen) {
            throw new IllegalArgumentException("c2c: axis " + axis + " of shape " + Shapes.str(shape) + " has size " + shape[a]
                    + ", expected " + inLen + (pad ? " kept bins" : " points"));
        }
        int[] outShape = withSize(shape, a, outLen);
        Backend be = x.backend();
        Buffer out = be.allocate(x.dtype(), Shapes.numel(outShape));
        be.fft().c2c(x.buffer(), out, outer(shape, a), n, inner(shape, a), lo, hi, pad, inverse, scale);
        return Autograd.record(new Tensor(out, outShape), pad ? "c2c_synthesis" : "c2c_analysis",
                g -> new Tensor[] {c2c(g, a, n, lo, hi, !pad, !inverse, scale)}, x);
    }

    /**
     * One-sided DFT of the real {@code x} along {@code axis} (length n) keeping bins {@code 0..bins-1}
     * ({@code bins <= n/2+1}): {@code y[k] = scale w_k sum_t x[t] exp(-2 pi i k t / n)} with
     * {@code w_k = 1}, or with {@code hermitianWeights} 2 for {@code 0 < k < n/2} and 1 for bin 0 and
     * (even n) bin n/2. The gradient is {@link #c2r} with the same weights and scale.
     */
    public static Tensor r2c(Tensor x, int axis, int bins, boolean hermitianWeights, double scale) {
        int a = Shapes.axis("r2c", axis, x.dim());
        if (x.dtype().isComplex()) throw new IllegalArgumentException("r2c: input must be real, found " + x.dtype());
        int[] shape = x.shape();
        int n = shape[a];
        if (n < 1 || bins < 1 || bins > n / 2 + 1) {
            throw new IllegalArgumentException("r2c: bins must be in [1, " + (n / 2 + 1) + "] for axis " + axis + " of size " + n
                    + " (shape " + Shapes.str(shape) + "), found " + bins);
        }
        int[] outShape = withSize(shape, a, bins);
        Backend be = x.backend();
        Buffer out = be.allocate(x.dtype().toComplex(), Shapes.numel(outShape));
        be.fft().r2c(x.buffer(), out, outer(shape, a), n, inner(shape, a), bins, hermitianWeights, scale);
        return Autograd.record(new Tensor(out, outShape), "r2c",
                g -> new Tensor[] {c2r(g, a, n, hermitianWeights, scale)}, x);
    }

    /**
     * Real synthesis of length {@code n} along {@code axis} from the bins {@code 0..bins-1} held by
     * {@code x} ({@code bins <= n/2+1}; missing bins are zero):
     * {@code y[t] = scale Re sum_k w_k x[k] exp(+2 pi i k t / n)}, weights as in {@link #r2c}. With
     * Hermitian weights and scale 1/n this is irfft. The gradient is {@link #r2c} with the same weights
     * and scale.
     */
    public static Tensor c2r(Tensor x, int axis, int n, boolean hermitianWeights, double scale) {
        int a = Shapes.axis("c2r", axis, x.dim());
        requireComplex("c2r", x);
        int[] shape = x.shape();
        int bins = shape[a];
        if (n < 1 || bins < 1 || bins > n / 2 + 1) {
            throw new IllegalArgumentException("c2r: axis " + axis + " of shape " + Shapes.str(shape) + " holds " + bins
                    + " bins, output length " + n + " takes 1 to " + (n / 2 + 1));
        }
        int[] outShape = withSize(shape, a, n);
        Backend be = x.backend();
        Buffer out = be.allocate(x.dtype().toReal(), Shapes.numel(outShape));
        be.fft().c2r(x.buffer(), out, outer(shape, a), n, inner(shape, a), bins, hermitianWeights, scale);
        return Autograd.record(new Tensor(out, outShape), "c2r",
                g -> new Tensor[] {r2c(g, a, bins, hermitianWeights, scale)}, x);
    }

    private static void requireComplex(String op, Tensor x) {
        if (!x.dtype().isComplex()) throw new IllegalArgumentException(op + ": input must be complex, found " + x.dtype());
    }

    private static Tensor complexOf(Tensor x) {
        return x.dtype().isComplex() ? x : x.to(x.dtype().toComplex());
    }

    // =============================================================================================
    // numpy-style transforms
    // =============================================================================================

    /** Complex DFT along an axis (a real input is promoted); norm scales the forward transform. */
    public static Tensor fft(Tensor x, int axis, FftNorm norm) {
        int a = Shapes.axis("fft", axis, x.dim());
        int n = x.size(a);
        return c2c(complexOf(x), a, n, n, 0, false, false, norm.forwardScale(n));
    }

    /** Inverse complex DFT along an axis. */
    public static Tensor ifft(Tensor x, int axis, FftNorm norm) {
        int a = Shapes.axis("ifft", axis, x.dim());
        int n = x.size(a);
        return c2c(complexOf(x), a, n, n, 0, false, true, norm.inverseScale(n));
    }

    /** Complex DFT over the last {@code dims} axes (1 to 3). */
    public static Tensor fftn(Tensor x, int dims, FftNorm norm) {
        checkDims("fftn", x, dims);
        Tensor y = complexOf(x);
        for (int k = 0; k < dims; k++) y = fft(y, x.dim() - 1 - k, norm);
        return y;
    }

    /** Inverse complex DFT over the last {@code dims} axes (1 to 3). */
    public static Tensor ifftn(Tensor x, int dims, FftNorm norm) {
        checkDims("ifftn", x, dims);
        Tensor y = complexOf(x);
        for (int k = 0; k < dims; k++) y = ifft(y, x.dim() - 1 - k, norm);
        return y;
    }

    /** One-sided DFT of a real tensor along an axis: n/2+1 bins, as torch.fft.rfft. */
    public static Tensor rfft(Tensor x, int axis, FftNorm norm) {
        int a = Shapes.axis("rfft", axis, x.dim());
        int n = x.size(a);
        return r2c(x, a, n / 2 + 1, false, norm.forwardScale(n));
    }

    /**
     * Real inverse of a one-sided spectrum along an axis with output length {@code n}, as
     * torch.fft.irfft: the input is cut or zero-extended to n/2+1 bins, and the imaginary parts of bin
     * 0 and (even n) bin n/2 are ignored.
     */
    public static Tensor irfft(Tensor x, int n, int axis, FftNorm norm) {
        int a = Shapes.axis("irfft", axis, x.dim());
        int bins = n / 2 + 1;
        Tensor z = complexOf(x);
        if (z.size(a) > bins) z = z.slice(a, 0, bins);
        return c2r(z, a, n, true, norm.inverseScale(n));
    }

    /** One-sided DFT over the last {@code dims} axes (1 to 3): rfft on the last, fft on the others. */
    public static Tensor rfftn(Tensor x, int dims, FftNorm norm) {
        checkDims("rfftn", x, dims);
        Tensor y = rfft(x, -1, norm);
        for (int k = 1; k < dims; k++) y = fft(y, x.dim() - 1 - k, norm);
        return y;
    }

    /**
     * Real inverse over the last {@code sizes.length} axes (1 to 3) with output sizes {@code sizes}, as
     * torch.fft.irfftn(x, s=sizes): inverse complex transforms over the leading axes (inputs cut or
     * zero-extended at the end to the size), then irfft over the last axis.
     */
    public static Tensor irfftn(Tensor x, int[] sizes, FftNorm norm) {
        int dims = sizes.length;
        checkDims("irfftn", x, dims);
        Tensor y = complexOf(x);
        for (int k = 1; k < dims; k++) {
            int a = x.dim() - 1 - k;
            int n = sizes[dims - 1 - k];
            int m = y.size(a);
            if (m > n) {
                y = y.slice(a, 0, n);
                m = n;
            }
            y = c2c(y, a, n, m, 0, m < n, true, norm.inverseScale(n));
        }
        return irfft(y, sizes[dims - 1], -1, norm);
    }

    public static Tensor rfft2(Tensor x, FftNorm norm) {
        return rfftn(x, 2, norm);
    }

    /** torch.fft.irfft2(x, s=(h, w)). */
    public static Tensor irfft2(Tensor x, int h, int w, FftNorm norm) {
        return irfftn(x, new int[] {h, w}, norm);
    }

    private static void checkDims(String op, Tensor x, int dims) {
        if (dims < 1 || dims > 3 || dims > x.dim()) {
            throw new IllegalArgumentException(op + ": transforms over 1 to 3 trailing axes of a tensor of rank " + x.dim()
                    + ", asked for " + dims);
        }
    }

    // =============================================================================================
    // complex channel mixing
    // =============================================================================================

    /**
     * {@code y[b, o, ...] = sum_i x[b, i, ...] w[i, o, ...]} (einsum 'bi...,io...->bo...') with complex
     * products, for x {@code (B, C_in, modes...)} and w {@code (C_in, C_out, modes...)} with equal mode
     * shapes (1 to 3 mode axes, or more: they are flattened). Real operands are promoted to complex.
     */
    public static Tensor complexMulChannels(Tensor x, Tensor w) {
        if (x.dim() < 2 || w.dim() != x.dim()) {
            throw new IllegalArgumentException("complexMulChannels: x " + Shapes.str(x.shape()) + " and w " + Shapes.str(w.shape())
                    + " must be (B, C_in, modes...) and (C_in, C_out, modes...) of one rank >= 2");
        }
        DType dt = x.dtype().promote(w.dtype()).toComplex();
        return mix(x.to(dt), false, false, w.to(dt), false, false);
    }

    /**
     * The contraction with operands read transposed (first two axes swapped) and / or conjugated:
     * {@code out[b, o, m] = sum_i P[b, i, m] Q[i, o, m]} with P = op(p), Q = op(q). Its gradient is
     * again such a contraction, so the rule closes on itself.
     */
    static Tensor mix(Tensor p, boolean tP, boolean cP, Tensor q, boolean tQ, boolean cQ) {
        return mix(p, tP, cP, q, tQ, cQ, savedAs(q));
    }

    private static Supplier<Tensor> savedAs(Tensor q) {
        return () -> q;
    }

    /**
     * {@link #mix} whose gradient rule gets {@code q} from {@code qAgain} instead of keeping it: a
     * weight assembled from parameters (the spectral layers' corner blocks) is assembled again in the
     * backward pass rather than held by the graph from the forward pass to the backward pass.
     */
    private static Tensor mix(Tensor p, boolean tP, boolean cP, Tensor weight, boolean tQ, boolean cQ, Supplier<Tensor> qAgain) {
        int[] ps = p.shape(), qs = weight.shape();
        int nb = tP ? ps[1] : ps[0], ni = tP ? ps[0] : ps[1];
        int ni2 = tQ ? qs[1] : qs[0], no = tQ ? qs[0] : qs[1];
        int[] modeShape = Arrays.copyOfRange(ps, 2, ps.length);
        if (ni != ni2 || !Arrays.equals(modeShape, Arrays.copyOfRange(qs, 2, qs.length)) || p.dtype() != weight.dtype()) {
            throw new IllegalArgumentException("complexMulChannels: operands " + Shapes.str(ps) + " (" + p.dtype() + ") and "
                    + Shapes.str(qs) + " (" + weight.dtype() + ") do not contract: channel sizes " + ni + " vs " + ni2
                    + " and mode shapes must agree, dtypes must be equal");
        }
        if (!p.device().equals(weight.device())) {
            throw new IllegalArgumentException("complexMulChannels: operands on different devices (" + p.device() + ", " + weight.device() + ")");
        }
        int modes = (int) Shapes.numel(modeShape);
        int[] outShape = Shapes.concat(new int[] {nb, no}, modeShape);
        Backend be = p.backend();
        Buffer out = be.allocate(p.dtype(), Shapes.numel(outShape));
        be.fft().channelMix(p.buffer(), tP, cP, weight.buffer(), tQ, cQ, out, nb, ni, no, modes);
        return Autograd.record(new Tensor(out, outShape), "complex_mul_channels", g -> {
            Tensor q = qAgain.get();
            Tensor gp;
            if (!tP) gp = cP ? mix(g, false, true, q, !tQ, cQ) : mix(g, false, false, q, !tQ, !cQ);
            else gp = cP ? mix(q, tQ, cQ, g, true, true) : mix(q, tQ, !cQ, g, true, false);
            Tensor gq;
            if (!tQ) gq = cQ ? mix(p, !tP, cP, g, false, true) : mix(p, !tP, !cP, g, false, false);
            else gq = cQ ? mix(g, true, true, p, tP, cP) : mix(g, true, false, p, tP, !cP);
            return new Tensor[] {gp, gq};
        }, p, weight);
    }

    // =============================================================================================
    // spectral convolutions (Li et al. 2020)
    // =============================================================================================

    /**
     * FNO SpectralConv1d: {@code y = irfft(out_ft, n=L)} with {@code out_ft[:, :, :m] =
     * einsum('bix,iox->box', rfft(x)[:, :, :m], w)} and zero elsewhere; x {@code (B, C_in, L)}, w complex
     * {@code (C_in, C_out, m)} with {@code m <= L/2+1}; norm 'backward'.
     */
    public static Tensor spectralConv1d(Tensor x, Tensor w) {
        checkConv("spectralConv1d", x, 3, w);
        int l = x.size(2), m = w.size(2);
        checkModes("spectralConv1d", "modes", m, l / 2 + 1, "L/2+1", l);
        Tensor xf = r2c(x, 2, m, false, 1.0);
        Tensor yf = mix(xf, false, false, w.to(xf.dtype()), false, false);
        return c2r(yf, 2, l, true, 1.0 / l);
    }

    /**
     * FNO SpectralConv2d: with {@code x_ft = rfft2(x)} and {@code out_ft} zero of shape
     * {@code (B, C_out, H, W/2+1)}, {@code out_ft[:, :, :m1, :m2] = mix(x_ft[:, :, :m1, :m2], w1)},
     * {@code out_ft[:, :, -m1:, :m2] = mix(x_ft[:, :, -m1:, :m2], w2)}, {@code y = irfft2(out_ft, s=(H, W))};
     * x {@code (B, C_in, H, W)}, w1 and w2 complex {@code (C_in, C_out, m1, m2)}, {@code 2 m1 <= H},
     * {@code m2 <= W/2+1}; norm 'backward'. Computed on the kept block only (see the class comment).
     */
    public static Tensor spectralConv2d(Tensor x, Tensor w1, Tensor w2) {
        checkConv("spectralConv2d", x, 4, w1, w2);
        int h = x.size(2), wd = x.size(3), m1 = w1.size(2), m2 = w1.size(3);
        checkModes("spectralConv2d", "modes1", 2 * m1, h, "H", h);
        checkModes("spectralConv2d", "modes2", m2, wd / 2 + 1, "W/2+1", wd);
        Tensor xf = c2c(r2c(x, 3, m2, false, 1.0), 2, h, m1, m1, false, false, 1.0);
        DType dt = xf.dtype();
        Tensor yf = mix(xf, false, false, Tensor.cat(2, w1, w2).to(dt), false, false, () -> Tensor.cat(2, w1, w2).to(dt));
        return c2r(c2c(yf, 2, h, m1, m1, true, true, 1.0 / h), 3, wd, true, 1.0 / wd);
    }

    /**
     * FNO SpectralConv3d: the four corners {@code [:m1, :m2, :m3]} (w1), {@code [-m1:, :m2, :m3]} (w2),
     * {@code [:m1, -m2:, :m3]} (w3), {@code [-m1:, -m2:, :m3]} (w4) of {@code rfftn(x)} over the last three
     * axes are mixed, the rest is zero, then {@code irfftn(s=(X, Y, Z))}; x {@code (B, C_in, X, Y, Z)},
     * weights complex {@code (C_in, C_out, m1, m2, m3)}, {@code 2 m1 <= X}, {@code 2 m2 <= Y},
     * {@code m3 <= Z/2+1}.
     */
    public static Tensor spectralConv3d(Tensor x, Tensor w1, Tensor w2, Tensor w3, Tensor w4) {
        checkConv("spectralConv3d", x, 5, w1, w2, w3, w4);
        int nx = x.size(2), ny = x.size(3), nz = x.size(4);
        int m1 = w1.size(2), m2 = w1.size(3), m3 = w1.size(4);
        checkModes("spectralConv3d", "modes1", 2 * m1, nx, "X", nx);
        checkModes("spectralConv3d", "modes2", 2 * m2, ny, "Y", ny);
        checkModes("spectralConv3d", "modes3", m3, nz / 2 + 1, "Z/2+1", nz);
        Tensor xf = c2c(c2c(r2c(x, 4, m3, false, 1.0), 3, ny, m2, m2, false, false, 1.0), 2, nx, m1, m1, false, false, 1.0);
        DType dt = xf.dtype();
        Tensor yf = mix(xf, false, false, Tensor.cat(3, Tensor.cat(2, w1, w2), Tensor.cat(2, w3, w4)).to(dt), false, false,
                () -> Tensor.cat(3, Tensor.cat(2, w1, w2), Tensor.cat(2, w3, w4)).to(dt));
        Tensor y = c2c(c2c(yf, 2, nx, m1, m1, true, true, 1.0 / nx), 3, ny, m2, m2, true, true, 1.0 / ny);
        return c2r(y, 4, nz, true, 1.0 / nz);
    }

    private static void checkConv(String op, Tensor x, int rank, Tensor... ws) {
        if (x.dim() != rank || x.dtype().isComplex()) {
            throw new IllegalArgumentException(op + ": x must be real of rank " + rank + " (B, C_in, spatial...), found "
                    + Shapes.str(x.shape()) + " " + x.dtype());
        }
        int[] s0 = ws[0].shape();
        for (int k = 0; k < ws.length; k++) {
            int[] s = ws[k].shape();
            if (s.length != rank || s[0] != x.size(1) || !Arrays.equals(s, s0)) {
                throw new IllegalArgumentException(op + ": weight " + (k + 1) + " has shape " + Shapes.str(s) + ", expected (C_in="
                        + x.size(1) + ", C_out, modes...) of rank " + rank + " like weight 1 " + Shapes.str(s0));
            }
        }
    }

    private static void checkModes(String op, String what, int need, int limit, String limitName, int size) {
        if (need < 1 || need > limit) {
            throw new IllegalArgumentException(op + ": " + what + " keeps " + need + " frequencies along an axis of size " + size
                    + "; allowed 1 to " + limitName + " = " + limit);
        }
    }
}
