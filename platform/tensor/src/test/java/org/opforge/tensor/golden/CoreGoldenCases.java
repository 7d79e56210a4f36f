package org.opforge.tensor.golden;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opforge.tensor.Tensor;

/**
 * Golden cases of the core engine: activations, reductions, softmax / logsumexp, broadcasting
 * arithmetic, batched matmul, and the float64 forward-only tensor-decomposition reconstructions
 * (CP, Tucker, tensor train, n-mode product) built from matmul, permute and reshape.
 */
public final class CoreGoldenCases implements GoldenCase {

    @Override public Set<String> cases() {
        return Set.of("activation", "sum", "mean", "softmax", "logsumexp", "broadcast", "matmul",
                "cp_reconstruct", "tucker_reconstruct", "tt_reconstruct", "mode_dot");
    }

    @Override public Map<String, Tensor> run(GoldenFile f) {
        Tensor y = switch (f.caseName()) {
            case "activation" -> activation(f, leaf(f, "x"));
            case "sum" -> leaf(f, "x").sum(f.specInt("dim"), keepDim(f));
            case "mean" -> leaf(f, "x").mean(f.specInt("dim"), keepDim(f));
            case "softmax" -> leaf(f, "x").softmax(f.specInt("dim"));
            case "logsumexp" -> leaf(f, "x").logsumexp(f.specInt("dim"), keepDim(f));
            case "broadcast" -> {
                Tensor d = leaf(f, "d");
                yield leaf(f, "a").mul(leaf(f, "b")).add(leaf(f, "c")).div(d.mul(d).add(1));
            }
            case "matmul" -> leaf(f, "a").matmul(leaf(f, "b"));
            case "cp_reconstruct" -> cp(leaf(f, "weights"), indexed(f, "factors"));
            case "tucker_reconstruct" -> tucker(leaf(f, "core"), indexed(f, "factors"));
            case "tt_reconstruct" -> tensorTrain(indexed(f, "cores"));
            case "mode_dot" -> modeDot(leaf(f, "tensor"), leaf(f, "matrix"), f.specInt("mode"));
            default -> throw new IllegalArgumentException(f.path().getFileName() + ": case '" + f.caseName() + "' is not a core case");
        };
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(singleOutput(f), y);
        return out;
    }

    private static String singleOutput(GoldenFile f) {
        List<String> names = f.outputNames();
        if (names.size() != 1) {
            throw new IllegalArgumentException(f.path().getFileName() + ": case '" + f.caseName() + "' should have one output, found " + names);
        }
        return names.get(0);
    }

    private static boolean keepDim(GoldenFile f) {
        return f.specHas("keepdim") && f.specBool("keepdim");
    }

    /** The named tensor from inputs/ or, failing that, params/. */
    static Tensor leaf(GoldenFile f, String name) {
        if (f.inputNames().contains(name)) return f.input(name);
        if (f.paramNames().contains(name)) return f.param(name);
        throw new IllegalArgumentException(f.path().getFileName() + ": no input or param named '" + name + "' (inputs "
                + f.inputNames() + ", params " + f.paramNames() + ")");
    }

    /** {@code prefix.0, prefix.1, ...} in index order, from inputs/ or params/. */
    static Tensor[] indexed(GoldenFile f, String prefix) {
        int n = 0;
        while (f.inputNames().contains(prefix + "." + n) || f.paramNames().contains(prefix + "." + n)) n++;
        if (n == 0) throw new IllegalArgumentException(f.path().getFileName() + ": no tensors named '" + prefix + ".0', '" + prefix + ".1', ...");
        Tensor[] r = new Tensor[n];
        for (int i = 0; i < n; i++) r[i] = leaf(f, prefix + "." + i);
        return r;
    }

    static Tensor activation(GoldenFile f, Tensor x) {
        String name = f.specString("activation");
        return switch (name) {
            case "gelu" -> {
                String approx = f.specHas("approximate") ? f.specString("approximate") : "none";
                if (approx.equals("none")) yield x.gelu();
                if (!approx.equals("tanh")) {
                    throw new IllegalArgumentException(f.path().getFileName() + ": gelu approximate must be 'none' or 'tanh', found '" + approx + "'");
                }
                // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
                Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
                yield x.mul(inner.tanh().add(1)).mul(0.5);
            }
            case "tanh" -> x.tanh();
            case "relu" -> x.relu();
            case "sigmoid" -> x.sigmoid();
            case "silu" -> x.silu();
            case "softplus" -> x.softplus(f.specHas("beta") ? f.specDouble("beta") : 1.0,
                    f.specHas("threshold") ? f.specDouble("threshold") : 20.0);
            case "elu" -> x.elu(f.specHas("alpha") ? f.specDouble("alpha") : 1.0);
            default -> throw new IllegalArgumentException(f.path().getFileName() + ": unknown activation '" + name + "'");
        };
    }

    /**
     * n-mode product (tensorly mode_dot): contracts axis {@code mode} of {@code t} with the columns of
     * {@code matrix} (J, I_mode): y[..., a, ...] = sum_j matrix[a, j] t[..., j, ...].
     */
    static Tensor modeDot(Tensor t, Tensor matrix, int mode) {
        int[] shape = t.shape();
        int n = shape.length;
        int[] toFront = new int[n];
        toFront[0] = mode;
        for (int i = 0, j = 1; i < n; i++) if (i != mode) toFront[j++] = i;
        Tensor unfolded = t.permute(toFront).reshape(shape[mode], -1);
        Tensor prod = matrix.matmul(unfolded);
        int[] frontShape = new int[n];
        frontShape[0] = matrix.size(0);
        for (int i = 1; i < n; i++) frontShape[i] = shape[toFront[i]];
        int[] back = new int[n];
        for (int i = 0; i < n; i++) back[toFront[i]] = i;
        return prod.reshape(frontShape).permute(back);
    }

    /** Tucker: core x_0 U_0 x_1 U_1 ... (successive n-mode products). */
    static Tensor tucker(Tensor core, Tensor[] factors) {
        Tensor y = core;
        for (int m = 0; m < factors.length; m++) y = modeDot(y, factors[m], m);
        return y;
    }

    /**
     * CP: y = sum_r w_r U_0[:, r] o U_1[:, r] o ...; computed as (U_0 diag(w)) times the transposed
     * Khatri-Rao product of the other factors, one matmul with a (R, prod I) right operand.
     */
    static Tensor cp(Tensor weights, Tensor[] factors) {
        int rank = weights.size(0);
        Tensor kr = factors[factors.length - 1].transpose(0, 1); // (R, I_last)
        for (int m = factors.length - 2; m >= 1; m--) {
            Tensor u = factors[m].transpose(0, 1); // (R, I_m)
            kr = u.unsqueeze(2).mul(kr.unsqueeze(1)).reshape(rank, -1);
        }
        Tensor left = factors[0].mul(weights);
        Tensor y = factors.length == 1 ? left.sum(1, false) : left.matmul(kr);
        int[] shape = new int[factors.length];
        for (int m = 0; m < factors.length; m++) shape[m] = factors[m].size(0);
        return y.reshape(shape);
    }

    /** Tensor train: cores (r_k, I_k, r_{k+1}) with r_0 = r_N = 1, contracted left to right by matmuls. */
    static Tensor tensorTrain(Tensor[] cores) {
        int n = cores.length;
        int[] shape = new int[n];
        for (int k = 0; k < n; k++) shape[k] = cores[k].size(1);
        Tensor acc = cores[0].reshape(shape[0], cores[0].size(2)); // (I_0, r_1)
        for (int k = 1; k < n; k++) {
            Tensor c = cores[k];
            acc = acc.matmul(c.reshape(c.size(0), -1)).reshape(-1, c.size(2)); // (I_0..I_k, r_{k+1})
        }
        return acc.reshape(shape);
    }
}
