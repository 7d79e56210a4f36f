package org.opforge.tensor.nn;

import java.util.Arrays;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.DType;
import org.opforge.tensor.Shapes;
import org.opforge.tensor.Temporaries;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.UnaryOp;

/**
 * Differentiable functions the layers are built from, as torch.nn.functional. Each records one node
 * whose gradient rule is itself written with differentiable ops, so gradients can be differentiated
 * again.
 */
public final class Functional {
    private Functional() {}

    /**
     * {@code C = op(A) op(B)} for 2-D real tensors, {@code op} the transpose when its flag is set, as one
     * GEMM that reads the operands in place (no transposed copy).
     */
    public static Tensor mm(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: operands must be 2-D, found " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape()));
        }
        DType dt = a.dtype().promote(b.dtype());
        if (dt.isComplex()) {
            Tensor x = transA ? a.transpose(0, 1) : a;
            Tensor y = transB ? b.transpose(0, 1) : b;
            return x.matmul(y);
        }
        checkDevices("mm", a, b);
        Tensor x = a.to(dt), y = b.to(dt);
        int m = transA ? a.size(1) : a.size(0), k = transA ? a.size(0) : a.size(1);
        int kb = transB ? b.size(1) : b.size(0), n = transB ? b.size(0) : b.size(1);
        if (k != kb) {
            throw new IllegalArgumentException("mm: " + (transA ? "A^T" : "A") + " of A " + Shapes.str(a.shape()) + " times "
                    + (transB ? "B^T" : "B") + " of B " + Shapes.str(b.shape()) + ": inner sizes " + k + " != " + kb);
        }
        Backend be = x.backend();
        Buffer out = be.allocateForOverwrite(dt, (long) m * n);
        be.gemm(transA, transB, 1, m, n, k, 1.0, x.buffer(), 0, 0, y.buffer(), 0, 0, 0.0, out, 0, 0);
        // d op(A) = G op(B)^T and d op(B) = op(A)^T G, transposed back when the operand was read transposed
        return Autograd.record(new Tensor(out, m, n), "mm", g -> new Tensor[] {
                !x.requiresGrad() ? null : transA ? mm(y, g, transB, true) : mm(g, y, false, !transB),
                !y.requiresGrad() ? null : transB ? mm(g, x, true, transA) : mm(x, g, !transA, false)}, x, y);
    }

    /**
     * {@code y = x W^T + b} as torch.nn.functional.linear: {@code x} (..., in), weight (out, in), bias
     * (out) or null. The leading axes are flattened into one GEMM with the bias preloaded into the
     * output (beta = 1).
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, Activation.Kind.IDENTITY);
    }

    /**
     * Whether {@link #linear(Tensor, Tensor, Tensor, Activation.Kind)} applies {@code act} inside the
     * layer's kernel: relu, tanh and sigmoid, whose derivatives are functions of the output (the graph
     * keeps only the output) and whose kernels compute each element alone, so that applying them block by
     * block gives the bits of one pass (GELU's SIMD kernel rounds its tail differently: it runs after
     * the layer).
     */
    public static boolean fusesWithLinear(Activation.Kind act) {
        return act == Activation.Kind.IDENTITY || fusedKernel(act) != null;
    }

    /** The element-wise kernel {@link Backend#linear} applies for {@code act}; null for identity and the unfused ones. */
    private static UnaryOp fusedKernel(Activation.Kind act) {
        return switch (act) {
            case RELU -> UnaryOp.RELU;
            case TANH -> UnaryOp.TANH;
            case SIGMOID -> UnaryOp.SIGMOID;
            default -> null;
        };
    }

    /**
     * {@code act(x W^T + b)}: a linear layer and its activation as one op, the bias and the activation
     * applied to each block of the product while it is in cache ({@link Backend#linear}), with the same
     * values as the linear layer followed by the activation. The activation must be one that
     * {@link #fusesWithLinear} accepts. The backward pass takes the gradient
     * through the activation from the output ({@code H(y)}, {@code 1 - y^2}, {@code y (1 - y)}), then
     * through the layer.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation.Kind act) {
        if (weight.dim() != 2) throw new IllegalArgumentException("linear: weight must be (out, in), found " + Shapes.str(weight.shape()));
        int out = weight.size(0), in = weight.size(1);
        if (x.dim() == 0 || x.size(-1) != in) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape()) + " must end with in_features = " + in
                    + " (weight " + Shapes.str(weight.shape()) + ")");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("linear: bias must be (" + out + "), found " + Shapes.str(bias.shape()));
        }
        if (!fusesWithLinear(act)) {
            throw new IllegalArgumentException("linear: activation " + act.label() + " is not applied inside the layer; apply it after linear()");
        }
        int[] shape = x.shape();
        Tensor x2 = x.reshape(-1, in);
        Tensor y = linear2d(x2, weight, bias, act);
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = out;
        return y.reshape(outShape);
    }

    private static Tensor linear2d(Tensor x, Tensor w, Tensor b, Activation.Kind act) {
        DType dt = x.dtype().promote(w.dtype());
        if (b != null) dt = dt.promote(b.dtype());
        if (dt.isComplex()) {
            Tensor y = mm(x, w, false, true);
            return act.apply(b == null ? y : y.add(b), 1.0);
        }
        checkDevices("linear", x, w);
        if (b != null) checkDevices("linear", x, b);
        Tensor xa = x.to(dt), wa = w.to(dt), ba = b == null ? null : b.to(dt);
        int m = x.size(0), k = x.size(1), n = w.size(0);
        Backend be = xa.backend();
        Buffer out = be.allocateForOverwrite(dt, (long) m * n);
        be.linear(m, n, k, xa.buffer(), wa.buffer(), ba == null ? null : ba.buffer(), fusedKernel(act), 0, out);
        Tensor y = new Tensor(out, m, n);
        // the rule keeps the output only for an activation whose derivative reads it: a plain layer's output
        // held by its own rule stayed alive through the whole backward pass (an FNO step's lifting, 10 MB)
        Tensor saved = act == Activation.Kind.IDENTITY ? null : y;
        // gradients only for operands that take one (a network's input data usually does not)
        return Autograd.record(y, act == Activation.Kind.IDENTITY ? "linear" : "linear_" + act.label(), g -> {
            Temporaries pass = Temporaries.begin(g);
            // the activations' own rules, from the output (relu's mask is constant; tanh's and sigmoid's
            // derivatives are differentiated again through y with createGraph)
            Tensor gz = switch (act) {
                case RELU -> Tensor.reluBackward(g, saved.detach());
                case TANH -> Tensor.tanhBackward(g, saved);
                case SIGMOID -> Tensor.sigmoidBackward(g, saved);
                default -> g;
            };
            Tensor[] grads = {xa.requiresGrad() ? mm(gz, wa, false, false) : null, wa.requiresGrad() ? mm(gz, xa, true, false) : null,
                    ba == null || !ba.requiresGrad() ? null : gz.sum(0, false)};
            // the activation's gradient is the rule's own, read by the products above only: back to the pool (without
            // a graph), else every step of a training loop allocated one afresh per layer
            Tensor made = grads[0] != null ? grads[0] : grads[1] != null ? grads[1] : grads[2];
            if (gz != g && made != null) pass.drop(gz, made);
            return grads;
        }, xa, wa, ba);
    }

    private static void checkDevices(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": operands on different devices (" + a.device() + ", " + b.device() + ")");
        }
    }

    /**
     * The vector p-norm {@code (sum |x|^p)^(1/p)} over {@code axes} (p >= 1, finite), as
     * torch.linalg.vector_norm. Its gradient {@code sign(x) |x|^(p-1) / ||x||^(p-1)} is taken as 0
     * where the norm is 0 (PyTorch's convention; the naive chain rule gives 0/0 there).
     */
    public static Tensor vectorNorm(Tensor x, double p, int[] axes, boolean keepDim) {
        if (!(p >= 1) || Double.isInfinite(p)) throw new IllegalArgumentException("vectorNorm: p must be finite and >= 1, found " + p);
        if (x.dtype().isComplex()) throw new IllegalArgumentException("vectorNorm: real tensors only, found " + x.dtype());
        Tensor xd = x.detach();
        Tensor s = (p == 2 ? xd.square() : p == 1 ? xd.abs() : xd.abs().pow(p)).sum(axes, true);
        Tensor nk = p == 2 ? s.sqrt() : p == 1 ? s : s.pow(1 / p);
        Tensor norm = Autograd.record(nk, "vector_norm", g -> {
            if (p == 1) return new Tensor[] {g.mul(x.sign())};
            Tensor nz = nk.detach().gt(Tensor.scalar(0, nk.dtype(), nk.device()));
            Tensor denom = nk.add(nz.rsub(1));
            if (p == 2) return new Tensor[] {g.mul(nz).div(denom).mul(x)};
            return new Tensor[] {g.mul(nz).div(denom.pow(p - 1)).mul(x.sign().mul(x.abs().pow(p - 1)))};
        }, x);
        if (keepDim) return norm;
        int[] shape = x.shape();
        boolean[] drop = new boolean[shape.length];
        for (int a : axes) drop[Shapes.axis("vectorNorm", a, shape.length)] = true;
        int[] kept = new int[shape.length];
        int r = 0;
        for (int i = 0; i < shape.length; i++) if (!drop[i]) kept[r++] = shape[i];
        return norm.reshape(Arrays.copyOf(kept, r));
    }

    /** Norm over every axis but the first: one value per sample, shape (N). */
    public static Tensor perSampleNorm(Tensor x, double p) {
        if (x.dim() < 2) throw new IllegalArgumentException("perSampleNorm: need a batch axis and at least one more, found " + Shapes.str(x.shape()));
        return vectorNorm(x.reshape(x.size(0), -1), p, new int[] {1}, false);
    }

    /** Applies the activation called {@code name} (see {@link Activation.Kind#parse}). */
    public static Tensor activation(String name, Tensor x) {
        return Activation.Kind.parse(name).apply(x, 1.0);
    }
}
