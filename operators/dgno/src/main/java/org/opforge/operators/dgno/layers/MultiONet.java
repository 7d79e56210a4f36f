package org.opforge.operators.dgno.layers;

import java.util.Arrays;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Functional;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.Sequential;
import org.opforge.tensor.nn.init.Init;

/**
 * MultiONet (Zang and Koutsourelakis 2025): a DeepONet whose trunk (on points x in R^d) and branch
 * (on a latent vector beta) have L layers of width w each, every Linear followed by its activation
 * (the last one too), and whose output sums the inner products of the last K hidden layers:
 * <pre>  G(beta)(x) = (1/K) sum_{j<K} w_j &lt;t_{L-K+j}(x), b_{L-K+j}(beta)&gt; + b ,</pre>
 * {@code w (K)} and {@code b} (0-d) learnable, initialised to zero as in the reference.
 * Parameter keys: {@code trunk.i.weight/bias}, {@code branch.i.weight/bias}, {@code w}, {@code b}.
 *
 * <p>Three evaluations: {@link #cartesian} (points shared by the batch, one GEMM per summed layer),
 * {@link #cartesianWithGradient} (the same plus {@code dG/dx} by forward-mode tangents through the
 * trunk: {@code (h, dh/dx_1, .., dh/dx_d)} are carried as one stacked tensor through each Linear and
 * {@code dh' = f'(z) dz}, all with differentiable ops, so no derivative of the network appears as a
 * gradient) and {@link #perSample} (a copy of the points per sample, for autograd in x).
 */
public final class MultiONet extends Module {
    private final int depth, sumLayers, width, coordDim;
    private final DgnoActivation trunkAct, branchAct;
    private final Sequential trunk, branch;

    public MultiONet(int coordDim, int latent, int width, int depth, int sumLayers, DgnoActivation trunkAct, DgnoActivation branchAct, Rng rng) {
        if (sumLayers < 1 || sumLayers > depth) {
            throw new IllegalArgumentException("multionet: sum_layers must be in 1..depth = " + depth + ", found " + sumLayers);
        }
        if (coordDim < 1 || latent < 1 || width < 1) {
            throw new IllegalArgumentException("multionet: coordinate dimension, latent size and width must be positive, found "
                    + coordDim + ", " + latent + ", " + width);
        }
        this.depth = depth;
        this.sumLayers = sumLayers;
        this.width = width;
        this.coordDim = coordDim;
        this.trunkAct = trunkAct;
        this.branchAct = branchAct;
        this.trunk = registerModule("trunk", new Sequential());
        this.branch = registerModule("branch", new Sequential());
        for (int i = 0; i < depth; i++) {
            trunk.add(new Linear(i == 0 ? coordDim : width, width, rng));
            branch.add(new Linear(i == 0 ? latent : width, width, rng));
        }
        registerParameter("w", Init.zeros().create(rng, sumLayers));
        registerParameter("b", Init.zeros().create(rng));
    }

    public int width() { return width; }

    public int depth() { return depth; }

    public int sumLayers() { return sumLayers; }

    private Linear trunkLayer(int i) { return (Linear) trunk.get(i); }

    private Linear branchLayer(int i) { return (Linear) branch.get(i); }

    /** The branch features of the summed layers, each scaled by {@code w_j / K}: K tensors (B, w). */
    private Tensor[] weightedBranch(Tensor beta) {
        if (beta.dim() != 2) throw new IllegalArgumentException("multionet: beta must be (B, latent), found " + Arrays.toString(beta.shape()));
        Tensor[] out = new Tensor[sumLayers];
        Tensor wk = param("w").div(sumLayers);
        Tensor h = beta;
        for (int i = 0; i < depth; i++) {
            h = branchAct.apply(branchLayer(i).forward(h));
            int j = i - (depth - sumLayers);
            if (j >= 0) out[j] = h.mul(wk.slice(0, j, j + 1));
        }
        return out;
    }

    private void checkPoints(Tensor x, int rank) {
        if (x.dim() != rank || x.size(rank - 1) != coordDim) {
            throw new IllegalArgumentException("multionet: points must be " + (rank == 2 ? "(P, " : "(B, P, ") + coordDim + "), found "
                    + Arrays.toString(x.shape()));
        }
    }

    /** {@code G[n, p]} for points {@code x (P, d)} shared by the batch {@code beta (B, latent)}: {@code (B, P)}. */
    public Tensor cartesian(Tensor x, Tensor beta) {
        return combine(trunkFeatures(x), beta).add(param("b"));
    }

    /**
     * The trunk's summed layers at shared points {@code x (P, d)}: K tensors {@code (P, w)}. With
     * {@link #combine} this is {@link #cartesian} without the bias; split so that frozen decoders
     * evaluated many times at the same points (inversion) compute their trunk once.
     */
    public Tensor[] trunkFeatures(Tensor x) {
        checkPoints(x, 2);
        Tensor[] out = new Tensor[sumLayers];
        Tensor h = x;
        for (int i = 0; i < depth; i++) {
            h = trunkAct.apply(trunkLayer(i).forward(h));
            int j = i - (depth - sumLayers);
            if (j >= 0) out[j] = h;
        }
        return out;
    }

    /**
     * The trunk's summed layers and their x-derivatives at shared points {@code x (P, d)} by
     * forward-mode tangents: with {@code H = [h; dh/dx_1; ..; dh/dx_d]} stacked as {@code ((d+1) P, w)},
     * a Linear maps it to {@code Z = H W^T} (bias on the value block only) and the activation to
     * {@code [f(z); f'(z) dz/dx_1; ..]}. K tensors {@code ((d+1) P, w)}, differentiable in the parameters.
     */
    public Tensor[] trunkFeaturesWithTangents(Tensor x) {
        checkPoints(x, 2);
        int p = x.size(0), d = coordDim;
        // tangents of the input: dx/dx_k = e_k in every row
        double[] eye = new double[d * p * d];
        for (int k = 0; k < d; k++) for (int r = 0; r < p; r++) eye[(k * p + r) * d + k] = 1;
        Tensor stacked = Tensor.cat(0, x.unsqueeze(0), Tensor.of(eye, x.dtype(), x.device(), d, p, d));
        Tensor[] out = new Tensor[sumLayers];
        for (int i = 0; i < depth; i++) {
            Linear lin = trunkLayer(i);
            int in = i == 0 ? d : width;
            Tensor z = Functional.linear(stacked.reshape((d + 1) * p, in), lin.param("weight"), null).reshape(d + 1, p, width);
            Tensor value = z.slice(0, 0, 1).add(lin.param("bias"));
            Tensor[] fs = trunkAct.withSlope(value);
            stacked = Tensor.cat(0, fs[0], z.slice(0, 1, d + 1).mul(fs[1]));
            int j = i - (depth - sumLayers);
            if (j >= 0) out[j] = stacked.reshape((d + 1) * p, width);
        }
        return out;
    }

    /** {@code sum_j (w_j / K) <F_j[r], b_j(beta)>} for trunk features {@code F_j (R, w)}: {@code (B, R)}, without the bias b. */
    public Tensor combine(Tensor[] features, Tensor beta) {
        Tensor[] bs = weightedBranch(beta);
        Tensor out = null;
        for (int j = 0; j < sumLayers; j++) {
            Tensor term = Functional.mm(bs[j], features[j], false, true);
            out = out == null ? term : out.add(term);
        }
        return out;
    }

    /**
     * {@code G (B, P)} and {@code dG/dx (B, P, d)} at shared points {@code x (P, d)}, by the forward-mode
     * tangents of {@link #trunkFeaturesWithTangents}; differentiable in the parameters and beta.
     */
    public Tensor[] cartesianWithGradient(Tensor x, Tensor beta) {
        return splitTangents(combine(trunkFeaturesWithTangents(x), beta), x.size(0));
    }

    /** {@code [G (B, P), dG/dx (B, P, d)]} from a combination {@code (B, (d+1) P)} of tangent features; adds the bias to G. */
    public Tensor[] splitTangents(Tensor combined, int p) {
        int d = coordDim;
        Tensor g = combined.reshape(-1, d + 1, p);                              // (B, d+1, P)
        Tensor value = g.slice(1, 0, 1).reshape(-1, p).add(param("b"));
        Tensor grad = g.slice(1, 1, d + 1).permute(0, 2, 1);                   // (B, P, d)
        return new Tensor[] {value, grad};
    }

    /** {@code G[n, p]} at points {@code x (B, P, d)}, sample n at its own copy {@code x[n]}: {@code (B, P)}. */
    public Tensor perSample(Tensor x, Tensor beta) {
        checkPoints(x, 3);
        int b = x.size(0), p = x.size(1);
        if (beta.size(0) != b) {
            throw new IllegalArgumentException("multionet: " + b + " point sets for " + beta.size(0) + " latent vectors");
        }
        Tensor[] bs = weightedBranch(beta);
        Tensor h = x.reshape(b * p, coordDim), out = null;
        for (int i = 0; i < depth; i++) {
            h = trunkAct.apply(trunkLayer(i).forward(h));
            int j = i - (depth - sumLayers);
            if (j >= 0) {
                Tensor term = h.reshape(b, p, width).matmul(bs[j].unsqueeze(2)).reshape(b, p);
                out = out == null ? term : out.add(term);
            }
        }
        return out.add(param("b"));
    }

    @Override
    protected String extraRepr() {
        return "width=" + width + ", depth=" + depth + ", sum_layers=" + sumLayers + ", trunk=" + trunkAct.label() + ", branch=" + branchAct.label();
    }
}
