package org.opforge.tensor.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;

/**
 * A node of a model tree, as torch.nn.Module: named parameters (leaf tensors that require a
 * gradient), named buffers (state that is saved but not trained), and named child modules.
 *
 * <p>Fully qualified names join the path with dots, exactly as PyTorch's {@code state_dict} keys:
 * {@code fc0.weight}, {@code conv0.weights1}, {@code branch.0.weight} (children of a
 * {@link Sequential} are named by index). The order is registration order, recursively.
 *
 * <p>Subclasses read their parameters through {@link #param(String)} at each forward call and never
 * cache the tensor in a field: {@link #to(Device)}, {@link #to(DType)} and
 * {@link #loadStateDict(Map, boolean, boolean) loadStateDict(..., assign = true)} replace the tensor
 * objects.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> transientBuffers = new LinkedHashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    // ============================================================================================
    // registration (subclass constructors)
    // ============================================================================================

    /** Registers a trainable leaf under {@code name}; it is marked {@code requiresGrad(true)}. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkNewName(name);
        if (!value.isLeaf()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
                    + "' must be a leaf tensor (create it outside the graph or detach it)");
        }
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers a buffer that {@link #stateDict()} saves (PyTorch's persistent buffer). */
    protected final Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    /**
     * Registers a buffer (stored detached; the stored tensor is returned); a non-persistent one follows
     * {@link #to} but is not in the state dict.
     */
    protected final Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkNewName(name);
        Tensor stored = value.detach();
        buffers.put(name, stored);
        if (!persistent) transientBuffers.add(name);
        return stored;
    }

    /** Registers a child module under {@code name}; its entries get the prefix {@code name.}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        if (module == this) throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot be its own child");
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' must be non-empty and contain no '.'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    // ============================================================================================
    // access
    // ============================================================================================

    /** This module's own parameter {@code name} (not a dotted path). */
    public final Tensor param(String name) {
        Tensor t = parameters.get(name);
        if (t == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "' (has "
                    + parameters.keySet() + ")");
        }
        return t;
    }

    /** True when this module has its own parameter {@code name}. */
    public final boolean hasParam(String name) {
        return parameters.containsKey(name);
    }

    /** This module's own buffer {@code name}. */
    public final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "' (has " + buffers.keySet() + ")");
        }
        return t;
    }

    /** Replaces the value of an existing buffer (running statistics and the like); same shape. */
    protected final void setBuffer(String name, Tensor value) {
        Tensor old = buffer(name);
        if (!Arrays.equals(old.shape(), value.shape())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": buffer '" + name + "' has shape "
                    + Arrays.toString(old.shape()) + ", new value has " + Arrays.toString(value.shape()));
        }
        buffers.put(name, value.detach());
    }

    /** This module's direct child {@code name}. */
    public final Module child(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no child module '" + name + "' (has "
                    + children.keySet() + ")");
        }
        return m;
    }

    /** Direct children in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every module of the tree with its dotted name ("" for this one), parents before children. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        walk("", (key, m) -> out.put(key.isEmpty() ? "" : key.substring(0, key.length() - 1), m));
        return Collections.unmodifiableMap(out);
    }

    /** All parameters of the tree by state-dict key, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        walk("", (key, m) -> m.parameters.forEach((n, t) -> out.put(key + n, t)));
        return Collections.unmodifiableMap(out);
    }

    /** All parameters of the tree, in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** All buffers of the tree by dotted name (persistent or not). */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        walk("", (key, m) -> m.buffers.forEach((n, t) -> out.put(key + n, t)));
        return Collections.unmodifiableMap(out);
    }

    private void walk(String prefix, BiConsumer<String, Module> visit) {
        visit.accept(prefix, this);
        for (Map.Entry<String, Module> c : children.entrySet()) c.getValue().walk(prefix + c.getKey() + ".", visit);
    }

    /**
     * Number of trainable real values: a complex parameter counts twice (real and imaginary part),
     * as neuraloperator's {@code count_model_params}.
     */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.numel() * t.dtype().slots();
        return n;
    }

    // ============================================================================================
    // state dict
    // ============================================================================================

    /**
     * Parameters and persistent buffers by key, detached from the graph. The tensors share storage
     * with the module at the time of the call; optimizer updates ({@link Tensor#assign}) give the
     * parameters new storage, so a state dict taken earlier keeps the earlier values.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        walk("", (key, m) -> {
            m.parameters.forEach((n, t) -> out.put(key + n, t.detach()));
            m.buffers.forEach((n, t) -> {
                if (!m.transientBuffers.contains(n)) out.put(key + n, t);
            });
        });
        return Collections.unmodifiableMap(out);
    }

    /** Strict copy of every entry into the module (as PyTorch's {@code load_state_dict(sd)}). */
    public final void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true, false);
    }

    /**
     * Loads parameters and persistent buffers by key.
     *
     * <p>Every key is checked before anything changes: a key of the module that {@code state} lacks
     * (missing), a key of {@code state} the module does not have (unexpected), a shape that differs,
     * or a complex value for a real parameter or the reverse. With {@code strict}, any problem throws a
     * {@link StateDictException} listing all of them and nothing is loaded; without, missing and
     * unexpected keys are returned and only shape or dtype problems throw.
     *
     * <p>With {@code assign = false} values are copied into the existing tensors (converted to their
     * dtype and device). With {@code assign = true} the given leaf tensors themselves become the
     * parameters (PyTorch's {@code assign=True}): gradients then accumulate on the caller's tensors.
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict, boolean assign) {
        Map<String, Slot> slots = new LinkedHashMap<>();
        walk("", (key, m) -> {
            m.parameters.keySet().forEach(n -> slots.put(key + n, new Slot(m, n, true)));
            m.buffers.keySet().forEach(n -> {
                if (!m.transientBuffers.contains(n)) slots.put(key + n, new Slot(m, n, false));
            });
        });
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
                continue;
            }
            Tensor current = e.getValue().get();
            if (!Arrays.equals(current.shape(), given.shape())) {
                mismatched.add("'" + e.getKey() + "': the module expects shape " + Arrays.toString(current.shape())
                        + ", the state dict has " + Arrays.toString(given.shape()));
            } else if (current.dtype().isComplex() != given.dtype().isComplex()) {
                mismatched.add("'" + e.getKey() + "': the module expects a " + (current.dtype().isComplex() ? "complex" : "real")
                        + " tensor (" + current.dtype() + "), the state dict has " + given.dtype());
            } else if (assign && e.getValue().parameter && !given.isLeaf()) {
                mismatched.add("'" + e.getKey() + "': assign needs a leaf tensor, the state dict holds a graph output");
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) if (!slots.containsKey(k)) unexpected.add(k);
        if (!mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            throw new StateDictException(getClass().getSimpleName(), missing, unexpected, mismatched);
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (Map.Entry<String, Slot> e : slots.entrySet()) {
                Tensor given = state.get(e.getKey());
                if (given != null) e.getValue().load(given, assign);
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    /** Keys that a non-strict {@link #loadStateDict(Map, boolean, boolean)} skipped. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /** One parameter or buffer slot of a module. */
    private record Slot(Module owner, String name, boolean parameter) {
        Tensor get() {
            return parameter ? owner.parameters.get(name) : owner.buffers.get(name);
        }

        void load(Tensor given, boolean assign) {
            if (parameter) {
                if (assign) owner.parameters.put(name, given.requiresGrad(true));
                else owner.parameters.get(name).assign(given);
            } else {
                Tensor cur = owner.buffers.get(name);
                owner.buffers.put(name, assign ? given.detach() : given.detach().to(cur.device()).to(cur.dtype()));
            }
        }
    }

    // ============================================================================================
    // mode, device, dtype, gradients
    // ============================================================================================

    /** Training mode for this module and all descendants (affects dropout and the like). */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    public final Module train() { return train(true); }

    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    /**
     * Moves every parameter and buffer of the tree to {@code device}. Parameters become new leaves
     * (gradients move with them); an optimizer built before the move still holds the old tensors, so
     * move the model first, as in PyTorch.
     */
    public Module to(Device device) {
        convert(t -> t.to(device));
        return this;
    }

    /**
     * Casts floating parameters and buffers to the precision of {@code dtype}: real tensors to
     * {@code dtype.toReal()}, complex ones to {@code dtype.toComplex()} (so a spectral weight stays
     * complex), as PyTorch's {@code module.double()}.
     */
    public Module to(DType dtype) {
        convert(t -> t.to(t.dtype().isComplex() ? dtype.toComplex() : dtype.toReal()));
        return this;
    }

    private void convert(java.util.function.UnaryOperator<Tensor> f) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            walk("", (key, m) -> {
                m.parameters.replaceAll((n, t) -> {
                    Tensor moved = f.apply(t.detach());
                    if (moved == t || moved.buffer() == t.buffer()) return t;
                    Tensor leaf = moved.detach().requiresGrad(true);
                    if (t.grad() != null) leaf.setGrad(f.apply(t.grad().detach()));
                    return leaf;
                });
                m.buffers.replaceAll((n, t) -> f.apply(t).detach());
            });
        }
    }

    /** Clears the gradient of every parameter. */
    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) t.zeroGrad();
    }

    // ============================================================================================
    // printing
    // ============================================================================================

    /** The text inside the parentheses of this module's line of {@link #toString()}. */
    protected String extraRepr() {
        return "";
    }

    /** A tree in PyTorch's print format: {@code Name(extra)} or {@code Name(\n  (child): ...\n)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        String extra = extraRepr();
        if (children.isEmpty()) return sb.append(extra).append(')').toString();
        sb.append(extra.isEmpty() ? "" : extra).append('\n');
        for (Map.Entry<String, Module> c : children.entrySet()) {
            String sub = c.getValue().toString().replace("\n", "\n  ");
            sb.append("  (").append(c.getKey()).append("): ").append(sub).append('\n');
        }
        return sb.append(')').toString();
    }
}
