package org.opforge.tensor.nn.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.tensor.DType;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.nn.Module;

/**
 * Base of the gradient-descent optimizers: one learning rate for all parameters, per-parameter state
 * (step count and moment buffers) kept by parameter name.
 *
 * <p>Each step reads every parameter's {@code grad()} (parameters without one are skipped, as in
 * PyTorch), updates the state buffers in place with the device's element-wise kernels, and writes
 * the new value with {@link Tensor#assign}. A complex parameter is updated as its real and imaginary
 * parts, each a real tensor (PyTorch's {@code view_as_real} treatment), so Adam's second moment is
 * kept per part.
 *
 * <p>{@link #stateDict()} exports the state for a checkpoint: {@code lr}, and for every parameter
 * {@code state.<name>.step} and {@code state.<name>.<buffer>} (e.g. {@code state.fc0.weight.exp_avg};
 * complex for a complex parameter).
 */
public abstract class Optimizer {
    private final List<ParamState> params = new ArrayList<>();
    private double lr;

    protected Optimizer(Map<String, Tensor> namedParameters, double lr) {
        if (namedParameters.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        for (Map.Entry<String, Tensor> e : namedParameters.entrySet()) {
            Tensor p = e.getValue();
            if (!p.isLeaf() || !p.requiresGrad()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + e.getKey()
                        + "' must be a leaf that requires a gradient");
            }
            params.add(new ParamState(e.getKey(), p));
        }
        setLr(lr);
    }

    protected Optimizer(Module module, double lr) {
        this(module.namedParameters(), lr);
    }

    public final double lr() { return lr; }

    /** Sets the learning rate (schedulers call this). */
    public final void setLr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(getClass().getSimpleName() + ": lr must be >= 0, found " + lr);
        this.lr = lr;
    }

    /** The optimized parameters by name. */
    public final Map<String, Tensor> parameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (ParamState ps : params) m.put(ps.name, ps.param);
        return Collections.unmodifiableMap(m);
    }

    /** Clears the gradient of every parameter. */
    public final void zeroGrad() {
        for (ParamState ps : params) ps.param.zeroGrad();
    }

    /** Number of steps taken for parameter {@code name} (0 before its first gradient). */
    public final long step(String name) {
        return find(name).step;
    }

    /** One update of every parameter that has a gradient. */
    public final void step() {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (ParamState ps : params) {
                Tensor p = ps.param;
                Tensor g = p.grad();
                if (g == null) continue;
                if (!Arrays.equals(g.shape(), p.shape())) {
                    throw new IllegalStateException(getClass().getSimpleName() + ": gradient of '" + ps.name + "' has shape "
                            + Arrays.toString(g.shape()) + ", the parameter " + Arrays.toString(p.shape()));
                }
                g = g.to(p.device()).to(p.dtype());
                ps.step++;
                ps.ensureParts();
                int[] shape = p.shape();
                if (!p.dtype().isComplex()) {
                    Part part = ps.parts[0];
                    update(ps.step, part, p.buffer(), g.buffer(), part.out());
                    p.assign(new Tensor(part.out(), shape));
                } else {
                    Backend be = p.backend();
                    Part re = ps.parts[0], im = ps.parts[1];
                    be.complexParts(p.buffer(), re.pIn(), im.pIn());
                    be.complexParts(g.buffer(), re.gIn(), im.gIn());
                    update(ps.step, re, re.pIn(), re.gIn(), re.out());
                    update(ps.step, im, im.pIn(), im.gIn(), im.out());
                    Buffer z = be.allocate(p.dtype(), p.numel());
                    be.complexCombine(re.out(), im.out(), z);
                    p.assign(new Tensor(z, shape));
                }
            }
        }
    }

    /**
     * The update of one real part: reads the parameter values {@code p} and the gradient {@code g}
     * (neither may be written), updates {@code part}'s state, and writes the new parameter values
     * into {@code out}. {@code step} counts from 1.
     */
    abstract void update(long step, Part part, Buffer p, Buffer g, Buffer out);

    /** Names of the state buffers every parameter has after its first step. */
    abstract List<String> stateNames();

    // ============================================================================================
    // checkpoint state
    // ============================================================================================

    /** Copies of the learning rate, step counts and state buffers (see the class comment for keys). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("lr", Tensor.scalar(lr, DType.FLOAT64, org.opforge.tensor.Device.CPU));
        for (ParamState ps : params) {
            out.put("state." + ps.name + ".step", Tensor.scalar(ps.step, DType.FLOAT64, org.opforge.tensor.Device.CPU));
            if (ps.parts == null) continue;
            for (String s : ps.parts[0].state.keySet()) out.put("state." + ps.name + "." + s, ps.export(s));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Restores a {@link #stateDict()} of an optimizer of the same kind over parameters of the same
     * names and shapes. Every key is checked first; an unknown key, a wrong shape, or a parameter
     * with a positive step count but missing buffers throws and leaves this optimizer unchanged.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        List<String> errors = new ArrayList<>();
        List<String> known = new ArrayList<>();
        known.add("lr");
        for (ParamState ps : params) {
            known.add("state." + ps.name + ".step");
            Tensor stepT = state.get("state." + ps.name + ".step");
            long steps = stepT == null ? 0 : (long) stepT.item();
            for (String s : stateNames()) {
                String key = "state." + ps.name + "." + s;
                known.add(key);
                Tensor t = state.get(key);
                if (t == null) {
                    if (steps > 0) errors.add("'" + key + "' is missing but the parameter has taken " + steps + " step(s)");
                } else if (!Arrays.equals(t.shape(), ps.param.shape()) || t.dtype().isComplex() != ps.param.dtype().isComplex()) {
                    errors.add("'" + key + "': expected " + ps.param.dtype() + " " + Arrays.toString(ps.param.shape())
                            + " (the parameter), found " + t.dtype() + " " + Arrays.toString(t.shape()));
                }
            }
        }
        for (String k : state.keySet()) if (!known.contains(k)) errors.add("unexpected key '" + k + "'");
        if (!state.containsKey("lr")) errors.add("missing key 'lr'");
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: " + String.join("; ", errors));
        }
        setLr(state.get("lr").item());
        for (ParamState ps : params) {
            Tensor stepT = state.get("state." + ps.name + ".step");
            ps.step = stepT == null ? 0 : (long) stepT.item();
            ps.parts = null;
            for (String s : stateNames()) {
                Tensor t = state.get("state." + ps.name + "." + s);
                if (t != null) {
                    ps.ensureParts();
                    ps.load(s, t);
                }
            }
        }
    }

    private ParamState find(String name) {
        for (ParamState ps : params) if (ps.name.equals(name)) return ps;
        throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameter '" + name + "'");
    }

    // ============================================================================================
    // per-parameter state
    // ============================================================================================

    /** A parameter, its step count and the state of its real parts (one, or two for complex). */
    private static final class ParamState {
        final String name;
        final Tensor param;
        long step;
        Part[] parts;

        ParamState(String name, Tensor param) {
            this.name = name;
            this.param = param;
        }

        void ensureParts() {
            if (parts != null) return;
            Kernels k = new Kernels(param.backend(), param.numel());
            DType real = param.dtype().toReal();
            parts = param.dtype().isComplex() ? new Part[] {new Part(k, real), new Part(k, real)} : new Part[] {new Part(k, real)};
        }

        Tensor export(String s) {
            Backend be = param.backend();
            if (parts.length == 1) {
                Buffer copy = be.allocate(param.dtype(), param.numel());
                parts[0].k.copy(parts[0].state.get(s), copy);
                return new Tensor(copy, param.shape());
            }
            Buffer z = be.allocate(param.dtype(), param.numel());
            be.complexCombine(parts[0].state.get(s), parts[1].state.get(s), z);
            return new Tensor(z, param.shape());
        }

        void load(String s, Tensor t) {
            Tensor v = t.detach().to(param.device()).to(param.dtype());
            Backend be = param.backend();
            if (parts.length == 1) {
                Buffer b = parts[0].k.allocate(param.dtype());
                parts[0].k.copy(v.buffer(), b);
                parts[0].state.put(s, b);
            } else {
                Buffer re = parts[0].k.allocate(parts[0].dtype), im = parts[1].k.allocate(parts[1].dtype);
                be.complexParts(v.buffer(), re, im);
                parts[0].state.put(s, re);
                parts[1].state.put(s, im);
            }
        }
    }

    /**
     * One real part of a parameter: its named state buffers and scratch buffers, all allocated once
     * and reused every step.
     */
    static final class Part {
        final Kernels k;
        final DType dtype;
        final Map<String, Buffer> state = new LinkedHashMap<>();
        private final Buffer[] scratch = new Buffer[5];

        Part(Kernels k, DType dtype) {
            this.k = k;
            this.dtype = dtype;
        }

        /** The state buffer {@code name}, created zero-filled on first use. */
        Buffer state(String name) {
            return state.computeIfAbsent(name, n -> k.allocate(dtype));
        }

        boolean has(String name) {
            return state.containsKey(name);
        }

        private Buffer scratch(int i) {
            if (scratch[i] == null) scratch[i] = k.allocate(dtype);
            return scratch[i];
        }

        Buffer tmp1() { return scratch(0); }

        Buffer tmp2() { return scratch(1); }

        Buffer out() { return scratch(2); }

        Buffer pIn() { return scratch(3); }

        Buffer gIn() { return scratch(4); }
    }
}
