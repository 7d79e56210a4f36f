package org.opforge.operators.deeponet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Temporaries;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Functional;
import org.opforge.tensor.nn.Layer;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.Sequential;

/**
 * The DeepONet of Lu et al. (2021) and its generalizations, as DeepXDE builds them.
 *
 * <p>With branch features {@code b(u) in R^p} (of the sensor values {@code u in R^m}) and trunk
 * features {@code t(y) in R^p} (of a query point {@code y in R^d}) the output is
 * <pre>  G(u)(y) = sum_k b_k(u) t_k(y) + b0 .</pre>
 * <ul>
 * <li><b>unstacked</b>: one branch MLP {@code [m, w, ..., p]}; <b>stacked</b>: p MLPs {@code [m, w, ..., 1]}
 * whose outputs are concatenated.</li>
 * <li><b>MIONet</b> (Jin, Meng, Lu 2022): K input functions, one branch per function on its own
 * sensors (the input holds them side by side, {@code [N, m_1 + ... + m_K]}); the branch features are
 * the Hadamard product {@code b = b^1(u^1) * ... * b^K(u^K)}.</li>
 * <li><b>several outputs</b> c (DeepXDE's multi-output strategies): {@code independent} (c separate
 * DeepONets, children {@code net0..}), {@code split_both} (branch and trunk features cut into c groups
 * of {@code p/c}; output j pairs group j with group j), {@code split_branch} (branch features
 * {@code c*q} cut into c groups, trunk features q shared), {@code split_trunk} (the reverse); one
 * bias per output.</li>
 * <li>The trunk may expand its input with {@link FourierFeatures} first, and by default ends with the
 * activation (as DeepXDE); the branch does not.</li>
 * </ul>
 * Parameter keys follow PyTorch: {@code branch.0.weight}, {@code trunk.2.bias}, {@code b0} (0-d for one
 * output, {@code (c)} otherwise); MIONet branches are {@code branch1, branch2, ...}; a stacked branch
 * is {@code branch.<k>.<layer>.weight}; trunk features {@code features.B}.
 *
 * <p>Three evaluation layouts: {@link #cartesian} (all N functions at one shared set of P points, one
 * GEMM), {@link #perSample} (each function at its own P points) and {@link #pairs} (one point per
 * function: the scattered (u, y) pairs of the original paper).
 */
public final class DeepOnet extends Module {

    /** How c > 1 outputs are formed (DeepXDE's {@code multi_output_strategy}). */
    public enum Strategy {
        SINGLE, INDEPENDENT, SPLIT_BOTH, SPLIT_BRANCH, SPLIT_TRUNK;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Strategy parse(String s) {
            for (Strategy v : values()) if (v.label().equals(s.trim().toLowerCase(Locale.ROOT))) return v;
            throw new IllegalArgumentException("multi_output: expected independent, split_both, split_branch or split_trunk, found '" + s + "'");
        }
    }

    /**
     * The architecture.
     *
     * @param branchSensors       sensor count of each input function (one entry: DeepONet; several: MIONet)
     * @param coordDim            dimension d of a query point
     * @param outputs             output components c (1: no trailing output axis)
     * @param branchWidths        branch layer sizes after the input, the last one the feature count
     * @param trunkWidths         trunk layer sizes after the input (after the Fourier features)
     * @param activation          activation after every hidden layer of both nets
     * @param trunkLastActivation whether the trunk's last layer is followed by the activation too
     * @param stacked             stacked branch (p nets with one output each)
     * @param strategy            multi-output strategy; SINGLE when outputs is 1
     * @param initializer         weight initializer (see {@link Mlp})
     * @param fourierFeatures     Fourier frequencies of the trunk input; 0 for none
     * @param fourierScale        standard deviation of those frequencies
     */
    public record Spec(int[] branchSensors, int coordDim, int outputs, int[] branchWidths, int[] trunkWidths, String activation,
                       boolean trunkLastActivation, boolean stacked, Strategy strategy, String initializer, int fourierFeatures,
                       double fourierScale) {
        public Spec {
            branchSensors = branchSensors.clone();
            branchWidths = branchWidths.clone();
            trunkWidths = trunkWidths.clone();
            if (branchSensors.length == 0) throw new IllegalArgumentException("deeponet: at least one input function (sensors) is needed");
            for (int m : branchSensors) {
                if (m <= 0) throw new IllegalArgumentException("deeponet: sensor counts must be positive, found " + Arrays.toString(branchSensors));
            }
            if (coordDim <= 0) throw new IllegalArgumentException("deeponet: coord_dim must be positive, found " + coordDim);
            if (outputs <= 0) throw new IllegalArgumentException("deeponet: outputs must be positive, found " + outputs);
            if (branchWidths.length == 0 || trunkWidths.length == 0) {
                throw new IllegalArgumentException("deeponet: branch_widths and trunk_widths need at least one layer, found "
                        + Arrays.toString(branchWidths) + " and " + Arrays.toString(trunkWidths));
            }
            if (outputs == 1) strategy = Strategy.SINGLE;
            else if (strategy == Strategy.SINGLE) {
                throw new IllegalArgumentException("deeponet: " + outputs + " outputs need a multi_output strategy");
            }
            if (stacked && branchSensors.length > 1) throw new IllegalArgumentException("deeponet: a stacked branch is not defined for MIONet (several input functions)");
            if (fourierFeatures < 0) throw new IllegalArgumentException("deeponet: fourier_features must be >= 0, found " + fourierFeatures);
        }

        /** Single-function, single-output, unstacked DeepONet: branch {@code [m, widths...]}, trunk {@code [d, widths...]}. */
        public static Spec of(int m, int d, int[] branchWidths, int[] trunkWidths, String activation) {
            return new Spec(new int[] {m}, d, 1, branchWidths, trunkWidths, activation, true, false, Strategy.SINGLE, "glorot_normal", 0, 1.0);
        }

        /** Total sensor values per sample (the input's last axis). */
        public int sensors() {
            int s = 0;
            for (int m : branchSensors) s += m;
            return s;
        }

        Spec single() {
            return new Spec(branchSensors, coordDim, 1, branchWidths, trunkWidths, activation, trunkLastActivation, stacked, Strategy.SINGLE,
                    initializer, fourierFeatures, fourierScale);
        }
    }

    private final Spec spec;
    private final int branchGroups;  // c for split_branch / split_both, else 1
    private final int trunkGroups;   // c for split_trunk / split_both, else 1
    private final int latent;        // q: features per group

    /** Builds the net with weights drawn from {@code rng}: branch(es) first, then the trunk. */
    public DeepOnet(Spec spec, Rng rng) {
        this.spec = spec;
        int c = spec.outputs();
        int pb = spec.branchWidths()[spec.branchWidths().length - 1];
        int pt = spec.trunkWidths()[spec.trunkWidths().length - 1];
        switch (spec.strategy()) {
            case SINGLE, INDEPENDENT -> { branchGroups = 1; trunkGroups = 1; }
            case SPLIT_BOTH -> { branchGroups = c; trunkGroups = c; }
            case SPLIT_BRANCH -> { branchGroups = c; trunkGroups = 1; }
            default -> { branchGroups = 1; trunkGroups = c; }
        }
        if (spec.strategy() == Strategy.INDEPENDENT) {
            latent = pt;
            Spec one = spec.single();
            for (int j = 0; j < c; j++) registerModule("net" + j, new DeepOnet(one, rng));
            return;
        }
        if (pb % branchGroups != 0 || pt % trunkGroups != 0 || pb / branchGroups != pt / trunkGroups) {
            throw new IllegalArgumentException("deeponet: strategy " + spec.strategy().label() + " with " + c + " outputs needs branch features ("
                    + pb + ") / " + branchGroups + " == trunk features (" + pt + ") / " + trunkGroups + "; set the last entries of branch_widths and trunk_widths accordingly");
        }
        latent = pb / branchGroups;
        int[] ms = spec.branchSensors();
        if (ms.length == 1) {
            registerModule("branch", spec.stacked() ? stackedBranch(ms[0], rng) : branchNet(ms[0], rng));
        } else {
            for (int i = 0; i < ms.length; i++) registerModule("branch" + (i + 1), branchNet(ms[i], rng));
        }
        int trunkIn = spec.coordDim();
        if (spec.fourierFeatures() > 0) {
            FourierFeatures ff = registerModule("features", new FourierFeatures(spec.coordDim(), spec.fourierFeatures(), spec.fourierScale(), true, rng));
            trunkIn = ff.outFeatures();
        }
        registerModule("trunk", Mlp.build(Mlp.widths(trunkIn, toList(spec.trunkWidths())), spec.activation(), spec.trunkLastActivation(),
                spec.initializer(), rng));
        registerParameter("b0", c == 1 ? Tensor.zeros(DType.FLOAT32, Device.CPU) : Tensor.zeros(DType.FLOAT32, Device.CPU, c));
    }

    private Sequential branchNet(int m, Rng rng) {
        return Mlp.build(Mlp.widths(m, toList(spec.branchWidths())), spec.activation(), false, spec.initializer(), rng);
    }

    private Sequential stackedBranch(int m, Rng rng) {
        int[] w = spec.branchWidths();
        int p = w[w.length - 1];
        List<Integer> hidden = new ArrayList<>(toList(Arrays.copyOf(w, w.length - 1)));
        hidden.add(1);
        Sequential nets = new Sequential();
        for (int k = 0; k < p; k++) nets.add(Mlp.build(Mlp.widths(m, hidden), spec.activation(), false, spec.initializer(), rng));
        return nets;
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int v : a) l.add(v);
        return l;
    }

    public Spec spec() { return spec; }

    // ============================================================================================
    // features
    // ============================================================================================

    /**
     * Branch features {@code b(u)} of sensor values {@code u (N, m)}: {@code (N, p)}.
     *
     * @throws IllegalArgumentException when the last axis of {@code u} is not the model's sensor count
     */
    public Tensor branch(Tensor u) {
        checkSensors(u);
        if (spec.strategy() == Strategy.INDEPENDENT) throw new IllegalStateException("deeponet: independent outputs have one branch per output (net0, net1, ...)");
        int[] ms = spec.branchSensors();
        if (ms.length == 1) {
            Layer b = (Layer) child("branch");
            if (!spec.stacked()) return b.forward(u);
            Sequential nets = (Sequential) b;
            Tensor[] outs = new Tensor[nets.size()];
            for (int k = 0; k < outs.length; k++) outs[k] = nets.get(k).forward(u);
            return Tensor.cat(1, outs);
        }
        Tensor prod = null;
        int from = 0;
        for (int i = 0; i < ms.length; i++) {
            Tensor part = ((Layer) child("branch" + (i + 1))).forward(u.slice(u.dim() - 1, from, from + ms[i]));
            prod = prod == null ? part : prod.mul(part);
            from += ms[i];
        }
        return prod;
    }

    /** Trunk features {@code t(y)} of points {@code y (.., d)}: {@code (.., p)}, each row a function of its own point only. */
    public Tensor trunk(Tensor y) {
        checkCoords(y);
        if (spec.strategy() == Strategy.INDEPENDENT) throw new IllegalStateException("deeponet: independent outputs have one trunk per output (net0, net1, ...)");
        Tensor x = spec.fourierFeatures() > 0 ? ((Layer) child("features")).forward(y) : y;
        return ((Layer) child("trunk")).forward(x);
    }

    /** The output bias: 0-d for one output, {@code (c)} otherwise. */
    public Tensor bias() {
        return param("b0");
    }

    // ============================================================================================
    // evaluation layouts
    // ============================================================================================

    /**
     * All functions at one shared set of points: {@code u (N, m)}, {@code y (P, d)} to {@code (N, P)}, or
     * {@code (N, P, c)} for c outputs. The single-output form is one GEMM {@code b(u) t(y)^T + b0}.
     */
    public Tensor cartesian(Tensor u, Tensor y) {
        requireRank("cartesian", "u", u, 2);
        requireRank("cartesian", "y", y, 2);
        if (spec.strategy() == Strategy.INDEPENDENT) return independent(n -> n.cartesian(u, y));
        return combineCartesian(branch(u), trunk(y));
    }

    /** Combines branch features {@code (N, pb)} and trunk features {@code (P, pt)} into the outputs. */
    public Tensor combineCartesian(Tensor b, Tensor t) {
        int n = b.size(0), p = t.size(0), c = spec.outputs(), q = latent;
        Tensor g = switch (spec.strategy()) {
            case SINGLE -> Functional.mm(b, t, false, true);
            case SPLIT_BRANCH -> Functional.mm(b.reshape(n * c, q), t, false, true).reshape(n, c, p).permute(0, 2, 1);
            case SPLIT_TRUNK -> Functional.mm(b, t.reshape(p * c, q), false, true).reshape(n, p, c);
            case SPLIT_BOTH -> b.reshape(n, c, q).permute(1, 0, 2).matmul(t.reshape(p, c, q).permute(1, 2, 0)).permute(1, 2, 0);
            case INDEPENDENT -> throw new IllegalStateException("independent outputs combine per sub-network");
        };
        return g.add(bias());
    }

    /**
     * Each function at its own points: {@code u (N, m)}, {@code y (N, P, d)} to {@code (N, P)} or
     * {@code (N, P, c)}.
     */
    public Tensor perSample(Tensor u, Tensor y) {
        requireRank("perSample", "u", u, 2);
        requireRank("perSample", "y", y, 3);
        if (y.size(0) != u.size(0)) {
            throw new IllegalArgumentException("deeponet: " + u.size(0) + " input functions but query points for " + y.size(0));
        }
        if (spec.strategy() == Strategy.INDEPENDENT) return independent(n -> n.perSample(u, y));
        int n = u.size(0), p = y.size(1), d = y.size(2);
        Tensor b = branch(u);
        Tensor t = trunk(y.reshape(n * p, d));
        Tensor g;
        if (spec.strategy() == Strategy.SINGLE) {
            // (N, P, q) @ (N, q, 1): one batched GEMM per function
            g = t.reshape(n, p, latent).matmul(b.reshape(n, latent, 1)).reshape(n, p);
        } else {
            g = b.reshape(n, 1, branchGroups, latent).mul(t.reshape(n, p, trunkGroups, latent)).sum(3, false);
        }
        return g.add(bias());
    }

    /**
     * One point per function (scattered pairs): {@code u (B, m)}, {@code y (B, d)} to {@code (B)} or
     * {@code (B, c)}: {@code G_i = sum_k b_k(u_i) t_k(y_i) + b0}.
     */
    public Tensor pairs(Tensor u, Tensor y) {
        requireRank("pairs", "u", u, 2);
        requireRank("pairs", "y", y, 2);
        if (y.size(0) != u.size(0)) {
            throw new IllegalArgumentException("deeponet: " + u.size(0) + " input functions but " + y.size(0) + " query points; pairs need one point per function");
        }
        if (spec.strategy() == Strategy.INDEPENDENT) return independent(n -> n.pairs(u, y));
        int n = u.size(0);
        Temporaries temporaries = Temporaries.begin(u);
        Tensor b = branch(u), t = trunk(y);
        if (spec.strategy() == Strategy.SINGLE) {
            // one pass over the pairs' features (b . t), without the n x p product of mul and sum
            Tensor g = b.vecdot(t);
            temporaries.drop(b, g);
            temporaries.drop(t, g);
            return g.add(bias());
        }
        Tensor products = b.reshape(n, branchGroups, latent).mul(t.reshape(n, trunkGroups, latent));
        temporaries.drop(b, products);
        temporaries.drop(t, products);
        Tensor g = products.sum(products.dim() - 1, false);
        temporaries.drop(products, g);
        return g.add(bias());
    }

    private Tensor independent(java.util.function.Function<DeepOnet, Tensor> f) {
        Tensor[] outs = new Tensor[spec.outputs()];
        for (int j = 0; j < outs.length; j++) outs[j] = f.apply((DeepOnet) child("net" + j));
        return Tensor.stack(outs[0].dim(), outs);
    }

    // ============================================================================================
    // checks
    // ============================================================================================

    void checkSensors(Tensor u) {
        int m = spec.sensors();
        if (u.dim() < 1 || u.size(-1) != m) {
            String per = spec.branchSensors().length > 1 ? " (" + Arrays.toString(spec.branchSensors()) + " for the " + spec.branchSensors().length + " input functions)" : "";
            throw new IllegalArgumentException("deeponet: the input has " + (u.dim() < 1 ? 0 : u.size(-1)) + " sensor values per sample (shape "
                    + Arrays.toString(u.shape()) + "), the model expects " + m + " (sensors)" + per);
        }
    }

    void checkCoords(Tensor y) {
        if (y.dim() < 1 || y.size(-1) != spec.coordDim()) {
            throw new IllegalArgumentException("deeponet: the query points have " + (y.dim() < 1 ? 0 : y.size(-1)) + " coordinates (shape "
                    + Arrays.toString(y.shape()) + "), the model expects " + spec.coordDim() + " (coord_dim)");
        }
    }

    private static void requireRank(String op, String name, Tensor t, int rank) {
        if (t.dim() != rank) {
            throw new IllegalArgumentException("deeponet." + op + ": " + name + " must have rank " + rank + ", found shape " + Arrays.toString(t.shape()));
        }
    }
}
