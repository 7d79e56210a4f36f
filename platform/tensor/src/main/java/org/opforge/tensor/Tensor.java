package org.opforge.tensor;

import java.util.Arrays;
import java.util.Objects;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Backends;
import org.opforge.tensor.backend.BinaryOp;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.ReduceOp;
import org.opforge.tensor.backend.UnaryOp;

/**
 * An n-dimensional array with a dtype, a device and backend-owned contiguous storage, recorded in the
 * autodiff graph when it requires a gradient. Values are immutable once created: every op returns a
 * new tensor. The only in-place changes are the optimizer's parameter updates ({@link #assign}) and
 * gradient accumulation.
 *
 * <p>Each differentiable op is a method here or a static method in a sibling op class; its gradient
 * rule is the {@link Backward} passed to {@link Autograd#record}, written with differentiable ops.
 */
public final class Tensor {
    private final int[] shape;
    private final DType dtype;
    private Buffer buffer;
    private boolean requiresGrad;
    private Tensor grad;
    private Node node;

    /** Wraps a backend buffer; the buffer must hold exactly numel(shape) elements of its dtype. */
    public Tensor(Buffer buffer, int... shape) {
        this.shape = shape.clone();
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("shape " + Shapes.str(shape) + " has a negative size");
        }
        if (buffer.numel() != Shapes.numel(shape)) {
            throw new IllegalArgumentException("buffer holds " + buffer.numel() + " elements, shape " + Shapes.str(shape)
                    + " needs " + Shapes.numel(shape));
        }
        this.dtype = buffer.dtype();
        this.buffer = buffer;
    }

    // ============================================================================================
    // creation
    // ============================================================================================

    public static Tensor zeros(int... shape) {
        return zeros(DType.FLOAT32, Device.CPU, shape);
    }

    public static Tensor zeros(DType dtype, Device device, int... shape) {
        return new Tensor(Backends.get(device).allocate(dtype, Shapes.numel(shape)), shape);
    }

    public static Tensor full(DType dtype, Device device, double value, int... shape) {
        Backend be = Backends.get(device);
        Buffer b = be.allocate(dtype, Shapes.numel(shape));
        be.fill(b, value);
        return new Tensor(b, shape);
    }

    public static Tensor ones(int... shape) {
        return full(DType.FLOAT32, Device.CPU, 1, shape);
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.dtype, t.device(), t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return full(t.dtype, t.device(), 1, t.shape);
    }

    /** A 0-d float32 tensor on the CPU. */
    public static Tensor scalar(double value) {
        return full(DType.FLOAT32, Device.CPU, value, new int[0]);
    }

    /** A 0-d tensor of the given dtype and device. */
    public static Tensor scalar(double value, DType dtype, Device device) {
        return full(dtype, device, value, new int[0]);
    }

    /** float32 tensor on the CPU from row-major data. */
    public static Tensor of(float[] data, int... shape) {
        return of(data, DType.FLOAT32, Device.CPU, shape);
    }

    /** float64 tensor on the CPU from row-major data. */
    public static Tensor of(double[] data, int... shape) {
        return of(data, DType.FLOAT64, Device.CPU, shape);
    }

    /** Tensor from row-major host data (complex dtypes: interleaved re, im). */
    public static Tensor of(float[] data, DType dtype, Device device, int... shape) {
        checkHostLength(data.length, dtype, shape);
        return new Tensor(Backends.get(device).fromHost(data, dtype), shape);
    }

    /** Tensor from row-major host data (complex dtypes: interleaved re, im). */
    public static Tensor of(double[] data, DType dtype, Device device, int... shape) {
        checkHostLength(data.length, dtype, shape);
        return new Tensor(Backends.get(device).fromHost(data, dtype), shape);
    }

    private static void checkHostLength(int length, DType dtype, int[] shape) {
        long need = Shapes.numel(shape) * dtype.slots();
        if (length != need) {
            throw new IllegalArgumentException("host data has " + length + " values, a " + dtype + " tensor of shape "
                    + Shapes.str(shape) + " needs " + need);
        }
    }

    /** {@code n} evenly spaced values from start to end inclusive (float32, CPU), as numpy.linspace. */
    public static Tensor linspace(double start, double end, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (n == 1 ? start : start + (end - start) * i / (n - 1));
        return of(v, n);
    }

    /** Uniform on [low, high) from the counter-based generator. */
    public static Tensor rand(Rng rng, DType dtype, Device device, double low, double high, int... shape) {
        Tensor t = zeros(dtype, device, shape);
        long n = t.numel() * dtype.slots();
        t.backend().random().uniform(t.buffer, rng.seed(), rng.advance(n), low, high);
        return t;
    }

    /** Normal(mean, std) from the counter-based generator. */
    public static Tensor randn(Rng rng, DType dtype, Device device, double mean, double std, int... shape) {
        Tensor t = zeros(dtype, device, shape);
        long n = t.numel() * dtype.slots();
        t.backend().random().normal(t.buffer, rng.seed(), rng.advance(n), mean, std);
        return t;
    }

    // ============================================================================================
    // properties
    // ============================================================================================

    public int[] shape() { return shape.clone(); }

    public int dim() { return shape.length; }

    public int size(int axis) { return shape[Shapes.axis("size", axis, shape.length)]; }

    public long numel() { return Shapes.numel(shape); }

    public DType dtype() { return dtype; }

    public Device device() { return buffer.backend().device(); }

    public Backend backend() { return buffer.backend(); }

    /** The backend-owned storage; only kernels of {@link #backend()} may read or write it. */
    public Buffer buffer() { return buffer; }

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as a variable whose gradient {@link #backward()} accumulates. */
    public Tensor requiresGrad(boolean value) {
        if (node != null && !value) throw new IllegalStateException("requiresGrad(false) on a non-leaf tensor; use detach()");
        this.requiresGrad = value;
        return this;
    }

    public boolean isLeaf() { return node == null; }

    /** Accumulated gradient of a leaf, or null. */
    public Tensor grad() { return grad; }

    public void zeroGrad() { grad = null; }

    Node node() { return node; }

    void attach(Node n) {
        this.node = n;
        this.requiresGrad = true;
    }

    void accumulateGrad(Tensor g) {
        grad = grad == null ? g : grad.add(g);
    }

    /** Sets the accumulated gradient (optimizers and gradient clipping use this). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape) + " != tensor shape " + Shapes.str(shape));
        }
        grad = g;
    }

    /** Same storage, cut from the graph. */
    public Tensor detach() {
        Tensor t = new Tensor(buffer, shape);
        return t;
    }

    /**
     * Replaces this leaf's values with those of {@code source} (same shape; converted to this dtype and
     * device). The parameter update of optimizers; not recorded in the graph.
     */
    public void assign(Tensor source) {
        if (!Arrays.equals(source.shape, shape)) {
            throw new IllegalArgumentException("assign: source shape " + Shapes.str(source.shape) + " != target shape " + Shapes.str(shape));
        }
        if (node != null) throw new IllegalStateException("assign on a non-leaf tensor");
        Tensor s = source.to(device()).to(dtype);
        buffer = s.buffer == source.buffer ? copyBuffer(s) : s.buffer;
    }

    private static Buffer copyBuffer(Tensor t) {
        Buffer b = t.backend().allocate(t.dtype, t.numel());
        t.backend().copyStrided(t.buffer, 0, Shapes.strides(t.shape), b, 0, Shapes.strides(t.shape), t.shape);
        return b;
    }

    public float[] toFloatArray() { return backend().toHostFloat(buffer); }

    public double[] toDoubleArray() { return backend().toHostDouble(buffer); }

    /** The single value of a one-element real tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item() on a tensor of shape " + Shapes.str(shape));
        return toDoubleArray()[0];
    }

    // ============================================================================================
    // conversion
    // ============================================================================================

    /** Differentiable dtype conversion (real to complex sets im = 0; complex to real keeps re). */
    public Tensor to(DType target) {
        if (target == dtype) return this;
        Tensor out = new Tensor(backend().cast(buffer, target), shape);
        DType from = dtype;
        return Autograd.record(out, "to(" + target + ")", g -> new Tensor[] {g.to(from)}, this);
    }

    /** Differentiable device transfer. */
    public Tensor to(Device target) {
        if (target.equals(device())) return this;
        Backend dst = Backends.get(target);
        Buffer b = dtype.isDouble() ? dst.fromHost(toDoubleArray(), dtype) : dst.fromHost(toFloatArray(), dtype);
        Device from = device();
        return Autograd.record(new Tensor(b, shape), "to(" + target + ")", g -> new Tensor[] {g.to(from)}, this);
    }

    // ============================================================================================
    // autodiff entry points
    // ============================================================================================

    /** Gradient of this scalar with respect to every leaf that requires one. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward() without a gradient needs a one-element tensor, shape is " + Shapes.str(shape));
        }
        Autograd.backward(this, onesLike(this), false);
    }

    public void backward(Tensor gradient, boolean createGraph) {
        Autograd.backward(this, gradient, createGraph);
    }

    // ============================================================================================
    // element-wise: binary with broadcasting
    // ============================================================================================

    private Tensor binaryKernel(BinaryOp op, Tensor other) {
        String name = op.name().toLowerCase();
        if (!device().equals(other.device())) {
            throw new IllegalArgumentException(name + ": operands on different devices (" + device() + ", " + other.device() + ")");
        }
        DType dt = dtype.promote(other.dtype);
        Tensor a = this.to(dt).detach();
        Tensor b = other.to(dt).detach();
        int[] outShape = Shapes.broadcast(name, shape, other.shape);
        Buffer out = backend().allocateForOverwrite(dt, Shapes.numel(outShape));
        backend().binary(op, a.buffer, 0, Shapes.broadcastStrides(shape, outShape), b.buffer, 0,
                Shapes.broadcastStrides(other.shape, outShape), out, outShape);
        return new Tensor(out, outShape);
    }

    /** Sums a broadcast gradient back to {@code target}'s shape (and real dtype for a real target). */
    static Tensor reduceTo(Tensor g, Tensor target) {
        Tensor r = g.sumToShape(target.shape);
        if (r.dtype.isComplex() && !target.dtype.isComplex()) r = r.real();
        return r;
    }

    public Tensor add(Tensor o) {
        Tensor out = binaryKernel(BinaryOp.ADD, o);
        // a gradient only for operands that take one (data, targets and constants do not); the rule keeps
        // the operands' shapes, not the operands, so that the graph does not hold their values
        ReducedShape ta = reducedShape(this), tb = reducedShape(o);
        return Autograd.record(out, "add", g -> new Tensor[] {ta == null ? null : ta.of(g), tb == null ? null : tb.of(g)}, this, o);
    }

    public Tensor sub(Tensor o) {
        Tensor out = binaryKernel(BinaryOp.SUB, o);
        ReducedShape ta = reducedShape(this), tb = reducedShape(o);
        return Autograd.record(out, "sub", g -> new Tensor[] {ta == null ? null : ta.of(g), tb == null ? null : tb.of(g.neg())}, this, o);
    }

    /** What {@link #reduceTo} needs of an operand, or null for an operand that takes no gradient. */
    private static ReducedShape reducedShape(Tensor t) {
        return t.requiresGrad() ? new ReducedShape(t.shape, t.dtype.isComplex()) : null;
    }

    private record ReducedShape(int[] shape, boolean complex) {
        Tensor of(Tensor g) {
            Tensor r = g.sumToShape(shape);
            return r.dtype.isComplex() && !complex ? r.real() : r;
        }
    }

    public Tensor mul(Tensor o) {
        Tensor out = binaryKernel(BinaryOp.MUL, o);
        return Autograd.record(out, "mul", g -> new Tensor[] {
                requiresGrad() ? reduceTo(g.mul(o.conjIfComplex()), this) : null,
                o.requiresGrad() ? reduceTo(g.mul(this.conjIfComplex()), o) : null}, this, o);
    }

    public Tensor div(Tensor o) {
        Tensor out = binaryKernel(BinaryOp.DIV, o);
        return Autograd.record(out, "div", g -> {
            Tensor ga = g.div(o.conjIfComplex());
            if (!o.requiresGrad()) return new Tensor[] {reduceTo(ga, this), null};
            Tensor gb = ga.mul(out.conjIfComplex()).neg();
            return new Tensor[] {requiresGrad() ? reduceTo(ga, this) : null, reduceTo(gb, o)};
        }, this, o);
    }

    /** Element-wise maximum; the gradient goes to {@code this} where this >= other (ties to the first). */
    public Tensor maximum(Tensor o) {
        Tensor out = binaryKernel(BinaryOp.MAX, o);
        return Autograd.record(out, "maximum", g -> {
            Tensor mask = this.detach().ge(o.detach());
            return new Tensor[] {reduceTo(g.mul(mask), this), reduceTo(g.mul(mask.oneMinus()), o)};
        }, this, o);
    }

    /** Element-wise minimum; the gradient goes to {@code this} where this <= other. */
    public Tensor minimum(Tensor o) {
        Tensor out = binaryKernel(BinaryOp.MIN, o);
        return Autograd.record(out, "minimum", g -> {
            Tensor mask = o.detach().ge(this.detach());
            return new Tensor[] {reduceTo(g.mul(mask), this), reduceTo(g.mul(mask.oneMinus()), o)};
        }, this, o);
    }

    /** 1 where this > other, else 0 (not differentiable). */
    public Tensor gt(Tensor o) { return binaryKernel(BinaryOp.GT, o); }

    /** 1 where this >= other, else 0 (not differentiable). */
    public Tensor ge(Tensor o) { return o.gt(this).oneMinus(); }

    private Tensor oneMinus() { return unaryKernel(UnaryOp.MUL_SCALAR, -1).unaryKernel(UnaryOp.ADD_SCALAR, 1); }

    private Tensor scalarLike(double v) { return scalar(v, dtype.toReal(), device()); }

    public Tensor add(double s) {
        if (dtype.isComplex()) return add(scalarLike(s));
        Tensor out = unaryKernel(UnaryOp.ADD_SCALAR, s);
        return Autograd.record(out, "add_scalar", g -> new Tensor[] {g}, this);
    }

    public Tensor sub(double s) { return add(-s); }

    public Tensor mul(double s) {
        if (dtype.isComplex()) return mul(scalarLike(s));
        Tensor out = unaryKernel(UnaryOp.MUL_SCALAR, s);
        return Autograd.record(out, "mul_scalar", g -> new Tensor[] {g.mul(s)}, this);
    }

    public Tensor div(double s) { return mul(1.0 / s); }

    /** s - this. */
    public Tensor rsub(double s) { return neg().add(s); }

    // ============================================================================================
    // element-wise: unary
    // ============================================================================================

    private Tensor unaryKernel(UnaryOp op, double p) {
        if (dtype.isComplex()) {
            throw new IllegalArgumentException(op.name().toLowerCase() + ": not defined for complex tensors (dtype " + dtype + ")");
        }
        Buffer out = backend().allocateForOverwrite(dtype, numel());
        backend().unary(op, buffer, out, p);
        return new Tensor(out, shape);
    }

    public Tensor neg() {
        if (dtype.isComplex()) return mul(-1.0);
        return Autograd.record(unaryKernel(UnaryOp.NEG, 0), "neg", g -> new Tensor[] {g.neg()}, this);
    }

    public Tensor exp() {
        Tensor out = unaryKernel(UnaryOp.EXP, 0);
        return Autograd.record(out, "exp", g -> new Tensor[] {g.mul(out)}, this);
    }

    public Tensor log() {
        return Autograd.record(unaryKernel(UnaryOp.LOG, 0), "log", g -> new Tensor[] {g.div(this)}, this);
    }

    public Tensor sqrt() {
        Tensor out = unaryKernel(UnaryOp.SQRT, 0);
        return Autograd.record(out, "sqrt", g -> new Tensor[] {g.div(out).mul(0.5)}, this);
    }

    public Tensor rsqrt() {
        Tensor out = unaryKernel(UnaryOp.RSQRT, 0);
        return Autograd.record(out, "rsqrt", g -> new Tensor[] {g.mul(out.pow(3)).mul(-0.5)}, this);
    }

    public Tensor reciprocal() {
        Tensor out = unaryKernel(UnaryOp.RECIPROCAL, 0);
        return Autograd.record(out, "reciprocal", g -> new Tensor[] {g.mul(out.square()).neg()}, this);
    }

    public Tensor square() {
        return Autograd.record(unaryKernel(UnaryOp.SQUARE, 0), "square", g -> new Tensor[] {g.mul(this).mul(2)}, this);
    }

    /** this ^ p for a constant p. */
    public Tensor pow(double p) {
        if (p == 1) return this;
        if (p == 2) return square();
        return Autograd.record(unaryKernel(UnaryOp.POW_SCALAR, p), "pow",
                g -> new Tensor[] {g.mul(this.pow(p - 1)).mul(p)}, this);
    }

    public Tensor abs() {
        return Autograd.record(unaryKernel(UnaryOp.ABS, 0), "abs", g -> new Tensor[] {g.mul(this.sign())}, this);
    }

    /** -1, 0 or 1 (gradient zero). */
    public Tensor sign() { return unaryKernel(UnaryOp.SIGN, 0); }

    public Tensor sin() {
        return Autograd.record(unaryKernel(UnaryOp.SIN, 0), "sin", g -> new Tensor[] {timesFresh(g, this.cos())}, this);
    }

    public Tensor cos() {
        return Autograd.record(unaryKernel(UnaryOp.COS, 0), "cos", g -> new Tensor[] {g.mul(this.sin()).neg()}, this);
    }

    public Tensor tanh() {
        Tensor out = unaryKernel(UnaryOp.TANH, 0);
        return Autograd.record(out, "tanh", g -> new Tensor[] {tanhBackward(g, out)}, this);
    }

    /**
     * {@code g (1 - y^2)}: tanh's derivative applied to g, from its output {@code y = tanh(x)}. y is used
     * as given (not detached), so with a graph the result is differentiated through y again.
     */
    public static Tensor tanhBackward(Tensor g, Tensor y) {
        return timesFresh(g, y.square().rsub(1));
    }

    public Tensor sigmoid() {
        Tensor out = unaryKernel(UnaryOp.SIGMOID, 0);
        return Autograd.record(out, "sigmoid", g -> new Tensor[] {sigmoidBackward(g, out)}, this);
    }

    /** {@code g y (1 - y)}: the sigmoid's derivative applied to g, from its output {@code y}; y as in {@link #tanhBackward}. */
    public static Tensor sigmoidBackward(Tensor g, Tensor y) {
        return timesFresh(g, y.mul(y.rsub(1)));
    }

    /** erf(x); derivative 2/sqrt(pi) exp(-x^2). */
    public Tensor erf() {
        return Autograd.record(unaryKernel(UnaryOp.ERF, 0), "erf",
                g -> new Tensor[] {g.mul(this.square().neg().exp().mul(2 / Math.sqrt(Math.PI)))}, this);
    }

    /** max(x, 0) with derivative 0 at 0 (PyTorch). */
    public Tensor relu() {
        return Autograd.record(unaryKernel(UnaryOp.RELU, 0), "relu", g -> new Tensor[] {reluBackward(g, this)}, this);
    }

    /**
     * {@code g H(x)}, H the unit step (0 at 0): relu's derivative at x applied to g, in one kernel; the
     * same at {@code relu(x)}, whose positive entries are x's. Linear in g (its own gradient is the same
     * mask), constant in x.
     */
    public static Tensor reluBackward(Tensor g, Tensor x) {
        Tensor out = g.binaryKernel(BinaryOp.RELU_GRAD, x.detach());
        return Autograd.record(out, "relu_backward", gg -> new Tensor[] {reluBackward(gg, x)}, g);
    }

    /** 1 where x > 0 else 0 (gradient zero). */
    public Tensor step() { return unaryKernel(UnaryOp.STEP, 0); }

    /** Standard normal cdf Phi(x). */
    public Tensor normalCdf() {
        return Autograd.record(unaryKernel(UnaryOp.NORMAL_CDF, 0), "normal_cdf", g -> new Tensor[] {timesFresh(g, this.normalPdf())}, this);
    }

    /** Standard normal pdf phi(x); derivative -x phi(x). */
    public Tensor normalPdf() {
        Tensor out = unaryKernel(UnaryOp.NORMAL_PDF, 0);
        return Autograd.record(out, "normal_pdf", g -> new Tensor[] {g.mul(out).mul(this).neg()}, this);
    }

    /** Exact GELU x Phi(x); derivative Phi(x) + x phi(x). */
    public Tensor gelu() {
        return Autograd.record(unaryKernel(UnaryOp.GELU, 0), "gelu", g -> new Tensor[] {timesFresh(g, this.geluGrad())}, this);
    }

    /**
     * {@code g * d} for a derivative {@code d} that a gradient rule has just computed and no one else
     * holds. In a pass that records no graph the product overwrites {@code d}, so the rule takes one
     * buffer of the activation's size, not two (the same values: the product is commutative).
     */
    private static Tensor timesFresh(Tensor g, Tensor d) {
        if (GradMode.isEnabled() || d.requiresGrad() || d.dtype != g.dtype || !Arrays.equals(d.shape, g.shape)
                || !d.device().equals(g.device())) {
            return g.mul(d);
        }
        int[] strides = Shapes.strides(d.shape);
        d.backend().binary(BinaryOp.MUL, d.buffer, 0, strides, g.buffer, 0, strides, d.buffer, d.shape);
        return d;
    }

    /** The GELU derivative Phi(x) + x phi(x) in one kernel; its own derivative is phi(x) (2 - x^2). */
    private Tensor geluGrad() {
        return Autograd.record(unaryKernel(UnaryOp.GELU_GRAD, 0), "gelu_grad",
                g -> new Tensor[] {g.mul(this.normalPdf().mul(this.square().rsub(2)))}, this);
    }

    /** x sigmoid(x). */
    public Tensor silu() { return mul(sigmoid()); }

    /** log(1 + exp(x)), exactly x where x > 20 (PyTorch's defaults beta 1, threshold 20). */
    public Tensor softplus() { return softplus(1.0, 20.0); }

    /**
     * log(1 + exp(beta x)) / beta, and exactly x where beta x > threshold (torch.nn.functional.softplus);
     * derivative sigmoid(beta x), and 1 on the linear part.
     */
    public Tensor softplus(double beta, double threshold) {
        Tensor bx = beta == 1 ? this.detach() : this.detach().mul(beta);
        Tensor out = bx.unaryKernel(UnaryOp.SOFTPLUS, threshold);
        if (beta != 1) out = out.mul(1.0 / beta);
        return Autograd.record(out, "softplus", g -> {
            Tensor linear = bx.gt(scalarLike(threshold));
            Tensor s = (beta == 1 ? this : this.mul(beta)).sigmoid();
            return new Tensor[] {g.mul(s.add(linear.mul(s.rsub(1))))};
        }, this);
    }

    /**
     * x for x > 0, alpha (exp(x) - 1) otherwise (evaluated with expm1, so tiny negative x keep full
     * relative precision); derivative 1 for x > 0 and alpha exp(x) for x <= 0, so alpha at exactly 0,
     * as in PyTorch.
     */
    public Tensor elu(double alpha) {
        Tensor x = this.detach();
        Tensor pos = x.step();
        Tensor neg = pos.oneMinus();
        Tensor negPart = x.minimum(scalarLike(0)).unaryKernel(UnaryOp.EXPM1, 0).mul(alpha);
        Tensor out = x.mul(pos).add(negPart.mul(neg));
        // exp of min(x, 0): the masked-off positive side must not overflow to inf (inf * 0 = NaN)
        return Autograd.record(out, "elu", g -> new Tensor[] {
                g.mul(pos.add(neg.mul(this.minimum(scalarLike(0)).exp().mul(alpha))))}, this);
    }

    public Tensor clampMin(double lo) {
        Tensor out = unaryKernel(UnaryOp.CLAMP_MIN, lo);
        return Autograd.record(out, "clamp_min", g -> new Tensor[] {g.mul(this.detach().gt(scalarLike(lo)))}, this);
    }

    // ============================================================================================
    // complex
    // ============================================================================================

    private Tensor conjIfComplex() { return dtype.isComplex() ? conj() : this; }

    public Tensor conj() {
        if (!dtype.isComplex()) return this;
        Buffer out = backend().allocate(dtype, numel());
        backend().conj(buffer, out);
        return Autograd.record(new Tensor(out, shape), "conj", g -> new Tensor[] {g.conj()}, this);
    }

    /** Real part (a real tensor of the same shape). */
    public Tensor real() {
        if (!dtype.isComplex()) return this;
        Tensor[] parts = parts();
        return Autograd.record(parts[0], "real", g -> new Tensor[] {complex(g, zerosLike(g))}, this);
    }

    /** Imaginary part (a real tensor of the same shape). */
    public Tensor imag() {
        if (!dtype.isComplex()) return zerosLike(this);
        Tensor[] parts = parts();
        return Autograd.record(parts[1], "imag", g -> new Tensor[] {complex(zerosLike(g), g)}, this);
    }

    private Tensor[] parts() {
        Buffer re = backend().allocate(dtype.toReal(), numel());
        Buffer im = backend().allocate(dtype.toReal(), numel());
        backend().complexParts(buffer, re, im);
        return new Tensor[] {new Tensor(re, shape), new Tensor(im, shape)};
    }

    /** re + i im from two real tensors of one shape. */
    public static Tensor complex(Tensor re, Tensor im) {
        if (!Arrays.equals(re.shape, im.shape)) {
            throw new IllegalArgumentException("complex: real part shape " + Shapes.str(re.shape) + " != imaginary part shape " + Shapes.str(im.shape));
        }
        DType rt = re.dtype.promote(im.dtype);
        if (rt.isComplex()) throw new IllegalArgumentException("complex: parts must be real, found " + re.dtype + " and " + im.dtype);
        Tensor r = re.to(rt).detach();
        Tensor i = im.to(rt).detach();
        Buffer z = r.backend().allocate(rt.toComplex(), r.numel());
        r.backend().complexCombine(r.buffer, i.buffer, z);
        return Autograd.record(new Tensor(z, re.shape), "complex", g -> new Tensor[] {g.real(), g.imag()}, re, im);
    }

    // ============================================================================================
    // reductions
    // ============================================================================================

    /** Sum of all elements (0-d). */
    public Tensor sum() {
        int[] all = new int[shape.length];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return sum(all, false);
    }

    /**
     * Inner products along the last axis, {@code out[...] = sum_j this[..., j] o[..., j]} (torch.linalg.vecdot for real
     * tensors): one pass where {@code mul(o).sum(-1, false)} takes two and a product as large as the operands
     * (DeepONet's branch . trunk over its pairs). Operands of one shape and one real dtype; the gradients are
     * {@code g[..., None] o} and {@code g[..., None] this}.
     */
    public Tensor vecdot(Tensor o) {
        if (!Arrays.equals(shape, o.shape)) {
            throw new IllegalArgumentException("vecdot: expected operands of one shape, found " + Shapes.str(shape) + " and " + Shapes.str(o.shape));
        }
        if (dtype != o.dtype || dtype.isComplex()) {
            throw new IllegalArgumentException("vecdot: expected operands of one real dtype, found " + dtype + " and " + o.dtype);
        }
        if (!device().equals(o.device())) {
            throw new IllegalArgumentException("vecdot: operands on different devices (" + device() + ", " + o.device() + ")");
        }
        if (shape.length == 0) throw new IllegalArgumentException("vecdot: expected at least one axis, found a scalar");
        int[] outShape = Arrays.copyOf(shape, shape.length - 1);
        int rows = (int) Shapes.numel(outShape);
        Buffer out = backend().allocateForOverwrite(dtype, rows);
        backend().vecdot(rows, shape[shape.length - 1], buffer, o.buffer, out);
        return Autograd.record(new Tensor(out, outShape), "vecdot", g -> {
            Tensor ge = g.unsqueeze(-1);
            return new Tensor[] {requiresGrad() ? ge.mul(o) : null, o.requiresGrad() ? ge.mul(this) : null};
        }, this, o);
    }

    public Tensor sum(int axis, boolean keepDim) { return sum(new int[] {axis}, keepDim); }

    public Tensor sum(int[] axes, boolean keepDim) {
        if (dtype.isComplex()) return complex(real().sum(axes, keepDim), imag().sum(axes, keepDim));
        boolean[] mask = axisMask("sum", axes);
        int[] kept = reducedShape(mask, true);
        Buffer out = backend().allocate(dtype, Shapes.numel(kept));
        backend().reduce(ReduceOp.SUM, buffer, shape, mask, out);
        Tensor r = new Tensor(out, keepDim ? kept : reducedShape(mask, false));
        return Autograd.record(r, "sum", g -> new Tensor[] {g.reshape(kept).expand(shape)}, this);
    }

    public Tensor mean() { return sum().div(Math.max(1, numel())); }

    public Tensor mean(int axis, boolean keepDim) { return mean(new int[] {axis}, keepDim); }

    public Tensor mean(int[] axes, boolean keepDim) {
        boolean[] mask = axisMask("mean", axes);
        long count = 1;
        for (int i = 0; i < shape.length; i++) if (mask[i]) count *= shape[i];
        return sum(axes, keepDim).div(count);
    }

    /** Maximum over axes; the gradient goes to every maximal element (split evenly among ties). */
    public Tensor max(int[] axes, boolean keepDim) {
        boolean[] mask = axisMask("max", axes);
        int[] kept = reducedShape(mask, true);
        Buffer out = backend().allocate(dtype, Shapes.numel(kept));
        backend().reduce(ReduceOp.MAX, buffer, shape, mask, out);
        Tensor m = new Tensor(out, kept);
        Tensor r = keepDim ? m : m.detach().reshape(reducedShape(mask, false));
        return Autograd.record(r, "max", g -> {
            Tensor hit = this.detach().ge(m.expand(shape));
            Tensor share = hit.div(hit.sum(axes, true).expand(shape));
            return new Tensor[] {g.reshape(kept).expand(shape).mul(share)};
        }, this);
    }

    public Tensor max(int axis, boolean keepDim) { return max(new int[] {axis}, keepDim); }

    /** Sums over leading axes and axes of size 1 in {@code target} so the result has {@code target}'s shape. */
    public Tensor sumToShape(int[] target) {
        if (Arrays.equals(shape, target)) return this;
        int lead = shape.length - target.length;
        if (lead < 0) throw new IllegalArgumentException("sumToShape: " + Shapes.str(shape) + " has fewer axes than " + Shapes.str(target));
        int[] axes = new int[shape.length];
        int n = 0;
        for (int i = 0; i < shape.length; i++) {
            if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) axes[n++] = i;
            else if (target[i - lead] != shape[i]) {
                throw new IllegalArgumentException("sumToShape: " + Shapes.str(shape) + " does not reduce to " + Shapes.str(target));
            }
        }
        Tensor s = n == 0 ? this : sum(Arrays.copyOf(axes, n), true);
        return s.reshape(target);
    }

    /** Stable softmax along an axis: exp(x - max) / sum. */
    public Tensor softmax(int axis) {
        int a = Shapes.axis("softmax", axis, shape.length);
        Tensor shifted = this.sub(this.detach().max(new int[] {a}, true));
        Tensor e = shifted.exp();
        return e.div(e.sum(new int[] {a}, true));
    }

    /** Stable log(sum(exp(x))) along an axis. */
    public Tensor logsumexp(int axis, boolean keepDim) {
        int a = Shapes.axis("logsumexp", axis, shape.length);
        Tensor m = this.detach().max(new int[] {a}, true);
        Tensor r = this.sub(m).exp().sum(new int[] {a}, true).log().add(m);
        return keepDim ? r : r.squeeze(a);
    }

    public Tensor logSoftmax(int axis) { return sub(logsumexp(axis, true)); }

    private boolean[] axisMask(String op, int[] axes) {
        boolean[] mask = new boolean[shape.length];
        for (int ax : axes) {
            int a = Shapes.axis(op, ax, shape.length);
            if (mask[a]) throw new IllegalArgumentException(op + ": axis " + ax + " given twice");
            mask[a] = true;
        }
        return mask;
    }

    private int[] reducedShape(boolean[] mask, boolean keep) {
        int[] r = new int[shape.length];
        int n = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i]) r[n++] = shape[i];
            else if (keep) r[n++] = 1;
        }
        return Arrays.copyOf(r, n);
    }

    // ============================================================================================
    // shape and data movement
    // ============================================================================================

    /** Same data, new shape; one size may be -1. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(newShape));
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0) s[infer] = known == 0 ? 0 : (int) (numel() / known);
        if (Shapes.numel(s) != numel()) {
            throw new IllegalArgumentException("reshape: cannot view shape " + Shapes.str(shape) + " (" + numel()
                    + " elements) as " + Shapes.str(newShape));
        }
        if (Arrays.equals(s, shape)) return this;
        int[] original = shape;
        return Autograd.record(new Tensor(buffer, s), "reshape", g -> new Tensor[] {g.reshape(original)}, this);
    }

    public Tensor flatten() { return reshape(-1); }

    /** Inserts an axis of size 1 at {@code axis}. */
    public Tensor unsqueeze(int axis) {
        int a = Shapes.axis("unsqueeze", axis, shape.length + 1);
        int[] s = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) s[i] = i == a ? 1 : shape[j++];
        return reshape(s);
    }

    /** Removes an axis of size 1. */
    public Tensor squeeze(int axis) {
        int a = Shapes.axis("squeeze", axis, shape.length);
        if (shape[a] != 1) throw new IllegalArgumentException("squeeze: axis " + axis + " has size " + shape[a] + " in " + Shapes.str(shape));
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != a) s[j++] = shape[i];
        return reshape(s);
    }

    /** Reorders axes: result axis i is this tensor's axis perm[i]. */
    public Tensor permute(int... perm) {
        if (perm.length != shape.length) {
            throw new IllegalArgumentException("permute: " + perm.length + " axes given for a tensor of shape " + Shapes.str(shape));
        }
        int[] inverse = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) {
            int p = Shapes.axis("permute", perm[i], shape.length);
            if (seen[p]) throw new IllegalArgumentException("permute: axis " + p + " repeated in " + Arrays.toString(perm));
            seen[p] = true;
            inverse[p] = i;
            identity &= p == i;
        }
        if (identity) return this;
        int[] src = Shapes.strides(shape);
        int[] outShape = new int[perm.length];
        int[] srcStrides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            int p = Shapes.axis("permute", perm[i], shape.length);
            outShape[i] = shape[p];
            srcStrides[i] = src[p];
        }
        Buffer out = backend().allocate(dtype, numel());
        backend().copyStrided(buffer, 0, srcStrides, out, 0, Shapes.strides(outShape), outShape);
        return Autograd.record(new Tensor(out, outShape), "permute", g -> new Tensor[] {g.permute(inverse)}, this);
    }

    /** Swaps two axes. */
    public Tensor transpose(int a, int b) {
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        int x = Shapes.axis("transpose", a, shape.length);
        int y = Shapes.axis("transpose", b, shape.length);
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    /** Broadcasts to {@code target} (NumPy rules); the gradient sums back. */
    public Tensor expand(int... target) {
        if (Arrays.equals(shape, target)) return this;
        int[] check = Shapes.broadcast("expand", shape, target);
        if (!Arrays.equals(check, target)) {
            throw new IllegalArgumentException("expand: shape " + Shapes.str(shape) + " cannot expand to " + Shapes.str(target));
        }
        Buffer out = backend().allocate(dtype, Shapes.numel(target));
        backend().copyStrided(buffer, 0, Shapes.broadcastStrides(shape, target), out, 0, Shapes.strides(target), target);
        int[] original = shape;
        return Autograd.record(new Tensor(out, target), "expand", g -> new Tensor[] {g.sumToShape(original)}, this);
    }

    /** Elements {@code start, start+step, ...} below {@code end} along {@code axis} (step > 0). */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = Shapes.axis("slice", axis, shape.length);
        int n = shape[a];
        int s = start < 0 ? start + n : start;
        int e = end < 0 ? end + n : Math.min(end, n);
        if (step <= 0 || s < 0 || s > n || e < s) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") step " + step
                    + " is invalid for axis " + axis + " of size " + n + " in " + Shapes.str(shape));
        }
        int count = (e - s + step - 1) / step;
        int[] outShape = shape.clone();
        outShape[a] = count;
        int[] strides = Shapes.strides(shape);
        long offset = (long) s * strides[a];
        int[] srcStrides = strides.clone();
        srcStrides[a] = strides[a] * step;
        Buffer out = backend().allocate(dtype, Shapes.numel(outShape));
        backend().copyStrided(buffer, offset, srcStrides, out, 0, Shapes.strides(outShape), outShape);
        int[] original = shape;
        return Autograd.record(new Tensor(out, outShape), "slice",
                g -> new Tensor[] {g.embed(original, a, s, step)}, this);
    }

    public Tensor slice(int axis, int start, int end) { return slice(axis, start, end, 1); }

    /**
     * Adjoint of {@link #slice}: a zero tensor of {@code target} shape with this tensor written at
     * positions {@code start, start+step, ...} along {@code axis}.
     */
    public Tensor embed(int[] target, int axis, int start, int step) {
        int[] tStrides = Shapes.strides(target);
        int[] dstStrides = tStrides.clone();
        dstStrides[axis] = tStrides[axis] * step;
        Buffer out = backend().allocate(dtype, Shapes.numel(target));
        backend().copyStrided(buffer, 0, Shapes.strides(shape), out, (long) start * tStrides[axis], dstStrides, shape);
        int end = start + (shape[axis] - 1) * step + 1;
        return Autograd.record(new Tensor(out, target), "embed",
                g -> new Tensor[] {g.slice(axis, start, end, step)}, this);
    }

    /** Concatenation along an axis; all other sizes must agree. */
    public static Tensor cat(int axis, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("cat: no tensors");
        Tensor first = parts[0];
        int a = Shapes.axis("cat", axis, first.shape.length);
        int[] outShape = first.shape.clone();
        DType dt = first.dtype;
        outShape[a] = 0;
        for (Tensor p : parts) {
            if (p.shape.length != first.shape.length) {
                throw new IllegalArgumentException("cat: shapes " + Shapes.str(first.shape) + " and " + Shapes.str(p.shape) + " differ in rank");
            }
            for (int i = 0; i < outShape.length; i++) {
                if (i != a && p.shape[i] != first.shape[i]) {
                    throw new IllegalArgumentException("cat along axis " + a + ": shapes " + Shapes.str(first.shape)
                            + " and " + Shapes.str(p.shape) + " differ on axis " + i);
                }
            }
            outShape[a] += p.shape[a];
            dt = dt.promote(p.dtype);
        }
        Backend be = first.backend();
        Buffer out = be.allocate(dt, Shapes.numel(outShape));
        int[] outStrides = Shapes.strides(outShape);
        int[] starts = new int[parts.length];
        int at = 0;
        for (int k = 0; k < parts.length; k++) {
            Tensor p = parts[k].to(dt).detach();
            starts[k] = at;
            be.copyStrided(p.buffer, 0, Shapes.strides(p.shape), out, (long) at * outStrides[a], outStrides, p.shape);
            at += p.shape[a];
        }
        return Autograd.record(new Tensor(out, outShape), "cat", g -> {
            Tensor[] gs = new Tensor[parts.length];
            for (int k = 0; k < parts.length; k++) gs[k] = g.slice(a, starts[k], starts[k] + parts[k].shape[a]);
            return gs;
        }, parts);
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        Tensor[] u = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) u[i] = parts[i].unsqueeze(axis);
        return cat(axis, u);
    }

    /**
     * Pads the trailing axes: {@code pads} holds (before, after) pairs starting from the last axis, as
     * torch.nn.functional.pad. Mode "zeros", "circular" (wrap around) or "reflect" (mirror about the
     * end entries, which are not repeated: {@code [a b c]} padded by 2 is {@code [c b a b c b a]}, so the
     * padding must be below the axis size).
     */
    public Tensor pad(int[] pads, String mode) {
        if (pads.length % 2 != 0 || pads.length / 2 > shape.length) {
            throw new IllegalArgumentException("pad: " + pads.length + " pad values for a tensor of rank " + shape.length);
        }
        Tensor t = this;
        for (int k = 0; k < pads.length / 2; k++) {
            int axis = shape.length - 1 - k;
            int before = pads[2 * k];
            int after = pads[2 * k + 1];
            if (before == 0 && after == 0) continue;
            if (mode.equals("zeros") || mode.equals("constant")) {
                int[] target = t.shape.clone();
                target[axis] += before + after;
                t = t.embed(target, axis, before, 1);
            } else if (mode.equals("circular")) {
                int n = t.shape[axis];
                if (before > n || after > n) {
                    throw new IllegalArgumentException("pad: circular padding " + before + "/" + after + " exceeds axis size " + n);
                }
                t = cat(axis, t.slice(axis, n - before, n), t, t.slice(axis, 0, after));
            } else if (mode.equals("reflect")) {
                int n = t.shape[axis];
                if (before >= n || after >= n) {
                    throw new IllegalArgumentException("pad: reflect padding " + before + "/" + after + " must be below axis size " + n);
                }
                int[] index = new int[before + n + after];
                for (int i = 0; i < index.length; i++) {
                    int j = i - before;
                    index[i] = j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
                }
                t = t.indexSelect(axis, index);
            } else {
                throw new IllegalArgumentException("pad: mode must be 'zeros', 'circular' or 'reflect', found '" + mode + "'");
            }
        }
        return t;
    }

    /** Selects entries {@code index} along {@code axis} (repeats allowed); the gradient scatters back with addition. */
    public Tensor indexSelect(int axis, int[] index) {
        int a = Shapes.axis("indexSelect", axis, shape.length);
        for (int i : index) {
            if (i < 0 || i >= shape[a]) {
                throw new IndexOutOfBoundsException("indexSelect: index " + i + " out of range for axis " + axis + " of size " + shape[a]);
            }
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        int[] outShape = shape.clone();
        outShape[a] = index.length;
        Buffer out = backend().allocate(dtype, Shapes.numel(outShape));
        backend().gather(buffer, outer, shape[a], inner, index, out);
        int size = shape[a];
        return Autograd.record(new Tensor(out, outShape), "indexSelect", g -> new Tensor[] {g.indexAdd(a, index, size)}, this);
    }

    /** Adjoint of {@link #indexSelect}: a zero tensor with {@code size} entries along {@code axis}, rows added at {@code index}. */
    public Tensor indexAdd(int axis, int[] index, int size) {
        int a = Shapes.axis("indexAdd", axis, shape.length);
        if (index.length != shape[a]) {
            throw new IllegalArgumentException("indexAdd: " + index.length + " indices for axis " + axis + " of size " + shape[a]);
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        int[] outShape = shape.clone();
        outShape[a] = size;
        Buffer out = backend().allocate(dtype, Shapes.numel(outShape));
        backend().scatterAdd(buffer, outer, size, inner, index, out);
        return Autograd.record(new Tensor(out, outShape), "indexAdd", g -> new Tensor[] {g.indexSelect(a, index)}, this);
    }

    // ============================================================================================
    // linear algebra
    // ============================================================================================

    /**
     * Matrix product with batch broadcasting, as torch.matmul for operands of rank >= 2 (a rank-1 operand is
     * treated as a row or column and the axis removed).
     */
    public Tensor matmul(Tensor o) {
        if (dim() == 0 || o.dim() == 0) {
            throw new IllegalArgumentException("matmul: operands must have rank >= 1, shapes " + Shapes.str(shape) + " and " + Shapes.str(o.shape));
        }
        if (dim() == 1 && o.dim() == 1) return unsqueeze(0).matmul(o.unsqueeze(1)).reshape();
        if (dim() == 1) return unsqueeze(0).matmul(o).squeeze(-2);
        if (o.dim() == 1) return matmul(o.unsqueeze(1)).squeeze(-1);
        int m = shape[dim() - 2], k = shape[dim() - 1];
        int k2 = o.shape[o.dim() - 2], n = o.shape[o.dim() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(shape) + " and " + Shapes.str(o.shape)
                    + " cannot be multiplied (" + k + " != " + k2 + ")");
        }
        if (!device().equals(o.device())) {
            throw new IllegalArgumentException("matmul: operands on different devices (" + device() + ", " + o.device() + ")");
        }
        int[] batchA = Arrays.copyOf(shape, dim() - 2);
        int[] batchB = Arrays.copyOf(o.shape, o.dim() - 2);
        int[] batch = Shapes.broadcast("matmul", batchA, batchB);
        DType dt = dtype.promote(o.dtype);
        Tensor a = this.to(dt).detach(), b = o.to(dt).detach();
        long nb = Shapes.numel(batch);
        // operands whose batch is not already the full batch are either shared (batch of one) or expanded
        long aStride = (long) m * k, bStride = (long) k * n;
        if (Shapes.numel(batchA) != nb) {
            if (Shapes.numel(batchA) == 1) aStride = 0;
            else a = a.expand(Shapes.concat(batch, m, k));
        } else if (!Arrays.equals(batchA, batch)) a = a.reshape(Shapes.concat(batch, m, k));
        if (Shapes.numel(batchB) != nb) {
            if (Shapes.numel(batchB) == 1) bStride = 0;
            else b = b.expand(Shapes.concat(batch, k, n));
        }
        int[] outShape = Shapes.concat(batch, m, n);
        Buffer out = backend().allocateForOverwrite(dt, Shapes.numel(outShape)); // beta = 0 writes every element
        backend().gemm(false, false, (int) nb, m, n, k, 1.0, a.buffer, 0, aStride, b.buffer, 0, bStride, 0.0, out, 0, (long) m * n);
        return Autograd.record(new Tensor(out, outShape), "matmul", g -> new Tensor[] {
                reduceTo(g.matmul(o.conjIfComplex().transpose(-1, -2)), this),
                reduceTo(this.conjIfComplex().transpose(-1, -2).matmul(g), o)}, this, o);
    }

    // ============================================================================================

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(Shapes.str(shape)).append(", ").append(dtype)
                .append(", ").append(device());
        if (requiresGrad) sb.append(node != null ? ", grad_fn=" + node.op : ", requires_grad");
        if (numel() <= 16) {
            sb.append(", ").append(Arrays.toString(dtype.isDouble() ? toDoubleArray() : toHostFloats()));
        }
        return sb.append(')').toString();
    }

    private double[] toHostFloats() {
        float[] f = toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Override public boolean equals(Object o) { return this == o; }

    @Override public int hashCode() { return System.identityHashCode(this); }

    static <T> T require(T v, String what) { return Objects.requireNonNull(v, what); }
}
