package org.opforge.operators.fno.layers;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.MLP;
import org.opforge.tensor.nn.Module;

/**
 * A graph neural operator layer (GINO's GNO, "linear" transform with smooth weights): for each
 * target point {@code z} and the source points {@code y} within radius {@code r},
 * <pre>
 *   v(z) = Σ_y w(|z - y|) k(z - y, y) ⊙ a(y) / Σ_y w(|z - y|),    w(d) = (1 - d²/r²)³ for d < r
 * </pre>
 * with {@code k} an MLP ({@code 4 -> hidden -> hidden -> c}, GELU) of the coordinate pair. The
 * weight and its first two derivatives vanish at {@code d = r}, so {@code v} is twice continuously
 * differentiable in the target coordinates (the physics-informed Laplacian through the output GNO is
 * well defined); a hard-radius mean would jump where a neighbour enters or leaves the ball.
 *
 * <p>Edges are index pairs into the rows of the source and target coordinate tensors. Gradients
 * flow to the features, to the kernel's weights, and to either coordinate tensor when it requires
 * one. State-dict child: {@code kernel} ({@code kernel.0}, {@code kernel.2}, {@code kernel.4}).
 */
public final class GraphIntegral extends Module {
    /** Lower bound of the weight sum, for a target whose neighbours all sit at the rim of the ball. */
    private static final double MIN_WEIGHT = 1e-6;

    private final MLP kernel;
    private final int channels;
    private final double radius;

    public GraphIntegral(int channels, int hidden, double radius, Rng rng) {
        if (!(radius > 0)) throw new IllegalArgumentException("GNO radius must be positive, found " + radius);
        this.kernel = registerModule("kernel", new MLP(new int[] {4, hidden, hidden, channels}, "gelu", rng));
        this.channels = channels;
        this.radius = radius;
    }

    public double radius() { return radius; }

    /**
     * @param features {@code a (B, N_src, c)}
     * @param sources source coordinates {@code (N_src, 2)}
     * @param targets target coordinates {@code (N_tgt, 2)}
     * @param src the source row of each edge
     * @param dst the target row of each edge (every target needs at least one edge)
     * @return {@code v (B, N_tgt, c)}
     */
    public Tensor forward(Tensor features, Tensor sources, Tensor targets, int[] src, int[] dst) {
        if (features.dim() != 3 || features.size(2) != channels || features.size(1) != sources.size(0)) {
            throw new IllegalArgumentException("GNO: expected features (B, " + sources.size(0) + ", " + channels + "), found "
                    + java.util.Arrays.toString(features.shape()));
        }
        int nt = targets.size(0);
        Tensor y = sources.indexSelect(0, src);
        Tensor diff = targets.indexSelect(0, dst).sub(y);
        Tensor d2 = diff.square().sum(1, false);
        Tensor w = d2.mul(-1.0 / (radius * radius)).add(1).clampMin(0).pow(3);
        Tensor k = kernel.forward(Tensor.cat(1, diff, y)).mul(w.unsqueeze(1));
        Tensor msg = features.indexSelect(1, src).mul(k);
        Tensor den = w.indexAdd(0, dst, nt).clampMin(MIN_WEIGHT);
        return msg.indexAdd(1, dst, nt).div(den.reshape(1, nt, 1));
    }
}
