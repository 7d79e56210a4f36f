package org.opforge.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Finite-difference gradient checks for differentiable ops, in float64 (complex128 for complex inputs).
 *
 * <p>For a function y = f(x_1, ..., x_n) and a fixed random cotangent u (same shape as y), the scalar
 * L(x) = sum(Re y * Re u + Im y * Im u) is formed. <b>First order:</b> the analytic gradients
 * {@code Autograd.grad(L, x_i)} are compared with central differences
 * (L(x + h e_j) - L(x - h e_j)) / 2h for every real slot j of every input (the real and the
 * imaginary part of a complex element separately; the analytic gradient of a complex input is
 * dL/dRe + i dL/dIm, PyTorch's convention). <b>Second order:</b> with random directions v_i the
 * scalar S(x) = sum_i <grad_i L(x), v_i> (real inner product of the real slots) is formed from
 * gradients taken with {@code createGraph}; its analytic gradient {@code Autograd.grad(S, x_i)} (a
 * Hessian-vector product) is compared with central differences of S, i.e. of the first-order
 * gradient.
 *
 * <p>A slot passes when |analytic - numeric| <= atol + rtol * |numeric|. Inputs must be away from
 * kinks (relu at 0, abs at 0, ties of max) for the difference quotient to mean anything.
 */
public final class GradCheck {
    /** A differentiable function of tensors; it must work for float64 / complex128 inputs. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tensor... x);
    }

    private double h = 1e-6;
    private double atol = 1e-7;
    private double rtol = 1e-5;
    private long seed = 20240611L;

    private GradCheck() {}

    /** Defaults: h = 1e-6, atol = 1e-7, rtol = 1e-5. */
    public static GradCheck create() { return new GradCheck(); }

    public GradCheck step(double step) { this.h = step; return this; }

    public GradCheck tolerance(double absolute, double relative) { this.atol = absolute; this.rtol = relative; return this; }

    public GradCheck seed(long s) { this.seed = s; return this; }

    /** First-order check with default settings; throws AssertionError naming the input and slot. */
    public static void check(String name, Fn f, Tensor... inputs) { create().first(name, f, inputs); }

    /** First- and second-order check with default settings. */
    public static void checkBoth(String name, Fn f, Tensor... inputs) {
        GradCheck c = create();
        c.first(name, f, inputs);
        c.second(name, f, inputs);
    }

    // ---- first order ----------------------------------------------------------------------------

    public void first(String name, Fn f, Tensor... inputs) {
        Tensor[] x = leaves(inputs);
        Tensor y = f.apply(x);
        Tensor u = random(y, seed);
        Tensor loss = innerProduct(y, u);
        if (!loss.requiresGrad()) throw new AssertionError(name + ": output does not require a gradient (no input reached)");
        Tensor[] analytic = Autograd.grad(loss, null, false, x);
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            double[] a = slots(analytic[i], x[i].dtype());
            double[] base = x[i].toDoubleArray();
            final int which = i;
            for (int j = 0; j < base.length; j++) {
                double numeric = centralDifference(x[i], base, j, v -> lossValue(f, replace(x, which, v), u));
                compare(name, "first-order", i, j, x[i], a[j], numeric, errors);
            }
        }
        if (!errors.isEmpty()) throw new AssertionError(String.join("\n", errors));
    }

    // ---- second order ---------------------------------------------------------------------------

    public void second(String name, Fn f, Tensor... inputs) {
        Tensor[] x = leaves(inputs);
        Tensor y = f.apply(x);
        Tensor u = random(y, seed);
        Tensor[] v = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) v[i] = random(x[i], seed + 1 + i);
        Tensor s = gradDotV(f, x, u, v, true);
        Tensor[] analytic = s.requiresGrad() ? Autograd.grad(s, null, false, x) : zerosFor(x);
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            double[] a = slots(analytic[i], x[i].dtype());
            double[] base = x[i].toDoubleArray();
            final int which = i;
            for (int j = 0; j < base.length; j++) {
                double numeric = centralDifference(x[i], base, j, w -> {
                    Tensor[] xp = leaves(replace(x, which, w));
                    return gradDotV(f, xp, u, v, false).item();
                });
                compare(name, "second-order", i, j, x[i], a[j], numeric, errors);
            }
        }
        if (!errors.isEmpty()) throw new AssertionError(String.join("\n", errors));
    }

    /** S = sum_i <dL/dx_i, v_i> over real slots, differentiable when {@code createGraph}. */
    private static Tensor gradDotV(Fn f, Tensor[] x, Tensor u, Tensor[] v, boolean createGraph) {
        Tensor loss = innerProduct(f.apply(x), u);
        if (!loss.requiresGrad()) throw new AssertionError("output does not require a gradient (no input reached)");
        Tensor[] g = Autograd.grad(loss, null, createGraph, x);
        Tensor s = null;
        for (int i = 0; i < x.length; i++) {
            Tensor t = innerProduct(g[i], v[i]);
            s = s == null ? t : s.add(t);
        }
        return s;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private interface Eval {
        double at(Tensor perturbed);
    }

    /** (E(x + h e_j) - E(x - h e_j)) / 2h with h scaled to |x_j|; {@code like} gives dtype and shape. */
    private double centralDifference(Tensor like, double[] base, int j, Eval eval) {
        double[] p = base.clone(), m = base.clone();
        double step = h * Math.max(1.0, Math.abs(base[j]));
        p[j] += step;
        m[j] -= step;
        double lp = eval.at(Tensor.of(p, like.dtype(), Device.CPU, like.shape()));
        double lm = eval.at(Tensor.of(m, like.dtype(), Device.CPU, like.shape()));
        return (lp - lm) / (p[j] - m[j]);
    }

    private Tensor[] replace(Tensor[] x, int which, Tensor v) {
        Tensor[] r = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) r[i] = i == which ? v : x[i].detach();
        return r;
    }

    private static double lossValue(Fn f, Tensor[] x, Tensor u) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return innerProduct(f.apply(x), u).item();
        }
    }

    /** sum over real slots of a * b (complex: Re a Re b + Im a Im b). */
    static Tensor innerProduct(Tensor a, Tensor b) {
        if (a.dtype().isComplex() || b.dtype().isComplex()) {
            return a.real().mul(b.real()).sum().add(a.imag().mul(b.imag()).sum());
        }
        return a.mul(b).sum();
    }

    /** float64 / complex128 detached leaves that require a gradient. */
    private Tensor[] leaves(Tensor[] inputs) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            DType dt = inputs[i].dtype().isComplex() ? DType.COMPLEX128 : DType.FLOAT64;
            Tensor t = Tensor.of(inputs[i].toDoubleArray(), dt, Device.CPU, inputs[i].shape());
            x[i] = t.requiresGrad(true);
        }
        return x;
    }

    private static Tensor random(Tensor like, long seed) {
        DType dt = like.dtype().isComplex() ? DType.COMPLEX128 : DType.FLOAT64;
        return Tensor.randn(new Rng(seed), dt, Device.CPU, 0, 1, like.shape());
    }

    private static Tensor[] zerosFor(Tensor[] x) {
        Tensor[] z = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) z[i] = Tensor.zerosLike(x[i]);
        return z;
    }

    private static double[] slots(Tensor g, DType inputType) {
        if (g.dtype().isComplex() && !inputType.isComplex()) throw new AssertionError("gradient of a real input is complex: " + g);
        return g.toDoubleArray();
    }

    private void compare(String name, String order, int input, int slot, Tensor x, double analytic, double numeric,
                         List<String> errors) {
        if (!(Math.abs(analytic - numeric) <= atol + rtol * Math.abs(numeric))) {
            int sl = x.dtype().slots();
            errors.add(String.format("%s: %s gradient of input %d %s at element %d%s: analytic %.9g, numeric %.9g (diff %.3g)",
                    name, order, input, Shapes.str(x.shape()), slot / sl, sl == 2 ? (slot % 2 == 0 ? ".re" : ".im") : "",
                    analytic, numeric, analytic - numeric));
        }
    }
}
