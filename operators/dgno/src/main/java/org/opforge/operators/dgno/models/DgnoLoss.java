package org.opforge.operators.dgno.models;

import org.opforge.operators.dgno.Residual;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * The DGNO training loss of a batch of input fields (no solution labels):
 * <pre>  L = w_data BCE(NN_a(x_node, beta), (a - lo) / (hi - lo)) + w_pde Residual(u, grad u, s at its points) ,</pre>
 * the first term the negative log-likelihood of the two-valued input under its Bernoulli decoder at
 * the grid nodes (mean binary cross-entropy on logits, {@code softplus(l) - t l}), the second the
 * problem's {@link Residual} at points it draws afresh each step, with the input at a point taken at
 * its nearest node. Immutable.
 *
 * @param residual   the PDE
 * @param lo         the coefficient's low value (class 0)
 * @param hi         its high value (class 1)
 * @param dataWeight weight of the reconstruction term (0: none)
 * @param pdeWeight  weight of the residual
 * @param mode       how grad u is computed
 */
public record DgnoLoss(Residual residual, double lo, double hi, double dataWeight, double pdeWeight, Dgno.GradientMode mode) {

    public DgnoLoss {
        if (!(hi > lo)) throw new IllegalArgumentException("dgno: the coefficient's two values must satisfy lo < hi, found " + lo + ", " + hi);
        if (!(dataWeight >= 0) || !(pdeWeight >= 0)) {
            throw new IllegalArgumentException("dgno: loss weights must be >= 0, found data " + dataWeight + ", pde " + pdeWeight);
        }
    }

    /** The two terms and their weighted sum, in the autodiff graph. */
    public record Terms(Tensor total, Tensor pde, Tensor data) {}

    /**
     * @param raw        input fields {@code (B, n, n)} as given
     * @param normalised the same as the encoder sees them
     * @param nodes      the grid nodes {@code (n*n, 2)} ({@link Dgno#gridPoints})
     * @param rng        draws the residual's points
     */
    public Terms compute(Dgno net, Tensor raw, Tensor normalised, Tensor nodes, Rng rng) {
        Tensor beta = net.encode(normalised);
        Tensor total = null, pde = null, data = null;
        if (pdeWeight > 0) {
            Tensor pts = residual.samplePoints(rng, raw.dtype()).to(raw.device());
            pde = residual.loss(net.fields(residual, pts, beta, Dgno.nearestNode(raw, pts), mode));
            total = pde.mul(pdeWeight);
        }
        if (dataWeight > 0) {
            int b = raw.size(0);
            Tensor target = raw.detach().reshape(b, -1).sub(lo).div(hi - lo);
            Tensor logits = net.coefficientLogits(nodes, beta);
            data = logits.softplus().sub(logits.mul(target)).mean();
            total = total == null ? data.mul(dataWeight) : total.add(data.mul(dataWeight));
        }
        if (total == null) throw new IllegalStateException("dgno: both loss weights are zero");
        return new Terms(total, pde, data);
    }
}
