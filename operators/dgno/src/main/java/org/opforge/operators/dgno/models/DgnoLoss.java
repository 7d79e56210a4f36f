package org.opforge.operators.dgno.models;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.training.GridFields;
import org.opforge.training.physics.Residual;

/**
 * The DGNO training loss of a batch of input fields (no solution labels):
 * <pre>  L = w_data NLL(a | NN_a(x_node, beta)) + w_pde Residual(u, grad u, s at its points) ,</pre>
 * the first term the negative log-likelihood of the input under its {@link InputModel} at the grid
 * nodes (for a two-valued input the binary cross-entropy on logits), the second the
 * problem's {@link Residual} at points it draws afresh each step, with the input at a point taken at
 * its nearest node. Immutable.
 *
 * @param residual   the PDE
 * @param input      the generative model of the input
 * @param dataWeight weight of the reconstruction term (0: none)
 * @param pdeWeight  weight of the residual
 * @param mode       how grad u is computed
 */
public record DgnoLoss(Residual residual, InputModel input, double dataWeight, double pdeWeight, Dgno.GradientMode mode) {

    public DgnoLoss {
        if (!(dataWeight >= 0) || !(pdeWeight >= 0)) {
            throw new IllegalArgumentException("dgno: loss weights must be >= 0, found data " + dataWeight + ", pde " + pdeWeight);
        }
    }

    /** The two terms and their weighted sum, in the autodiff graph. */
    public record Terms(Tensor total, Tensor pde, Tensor data) {}

    /**
     * @param raw        input fields {@code (B, n, n)} as given, or {@code (B, 2, n, n)}: the coefficient, then the
     *                   source field the residual reads (at a point, its nearest node's value)
     * @param normalised the same as the encoder sees them
     * @param nodes      the grid nodes {@code (n*n, 2)} ({@link Dgno#gridPoints})
     * @param rng        draws the residual's points
     */
    public Terms compute(Dgno net, Tensor raw, Tensor normalised, Tensor nodes, Rng rng) {
        Tensor beta = net.encode(normalised);
        Tensor a = coefficient(raw), f = source(raw);
        Tensor total = null, pde = null, data = null;
        if (pdeWeight > 0) {
            Tensor pts = residual.samplePoints(rng, raw.dtype()).to(raw.device());
            pde = residual.loss(net.fields(residual, pts, beta, GridFields.nearestNode(a, pts), f == null ? null : GridFields.nearestNode(f, pts), mode));
            total = pde.mul(pdeWeight);
        }
        if (dataWeight > 0) {
            data = input.nll(net.coefficientLogits(nodes, beta), a.reshape(a.size(0), -1));
            total = total == null ? data.mul(dataWeight) : total.add(data.mul(dataWeight));
        }
        if (total == null) throw new IllegalStateException("dgno: both loss weights are zero");
        return new Terms(total, pde, data);
    }

    /** The coefficient of input fields {@code (B, n, n)} or {@code (B, 2, n, n)}: {@code (B, n, n)}. */
    static Tensor coefficient(Tensor raw) {
        return raw.dim() == 4 ? raw.slice(1, 0, 1).reshape(raw.size(0), raw.size(2), raw.size(3)) : raw;
    }

    /** The source field of input fields {@code (B, 2, n, n)}, {@code (B, n, n)}; null for {@code (B, n, n)}. */
    static Tensor source(Tensor raw) {
        return raw.dim() == 4 ? raw.slice(1, 1, 2).reshape(raw.size(0), raw.size(2), raw.size(3)) : null;
    }
}
