package org.opforge.operators.deeponet;

import java.util.Arrays;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Functional;
import org.opforge.training.GridFields;
import org.opforge.training.physics.Residual;

/**
 * A problem's PDE residual ({@link Residual}, one without a flux output) as the physics of a
 * physics-informed DeepONet on fields over the unit square. The branch takes the input field on the
 * n x n nodes (the sensors, row-major, node (i, j) at {@code (i/(n-1), j/(n-1))}), the trunk the points;
 * {@code u = <b, t(x)> + bias} and {@code grad u = <b, dt/dx>} at the residual's points come from the
 * trunk's derivatives ({@link PointDerivatives}), so the parameter gradient is a double backward; the
 * coefficient at a point is its nearest node's sensor value. The zero Dirichlet condition is a penalty,
 * {@code boundary_weight mean u^2} over the 4(n-1) boundary nodes:
 * <pre>  L = Residual(a, u, grad u) + w_b mean_{boundary nodes} u^2 .</pre>
 * The residual's points are drawn once from the operator's seed (PI-DeepONet's fixed collocation
 * set), so a run is a function of its seed and resumes exactly. Immutable.
 *
 * <p>{@link #residuals} gives per function the batch's residual (repeated in column 0, so the mean of
 * the column is the residual) and u at the boundary nodes.
 */
final class ResidualPhysics implements PhysicsLoss {
    private final Residual residual;
    private final Tensor points;
    private final double boundaryWeight;

    /**
     * @param points the residual's points {@code (Q, 2)} (from {@link Residual#samplePoints})
     */
    ResidualPhysics(Residual residual, Tensor points, double boundaryWeight) {
        if (residual.needsFlux()) throw new IllegalArgumentException("pi-deeponet: the residual " + residual.name() + " needs a flux output, which a DeepONet does not have");
        if (!(boundaryWeight >= 0)) throw new IllegalArgumentException("pi-deeponet: boundary_weight must be >= 0, found " + boundaryWeight);
        this.residual = residual;
        this.points = points.detach();
        this.boundaryWeight = boundaryWeight;
    }

    /** The 4(n-1) boundary nodes of the n x n grid, {@code (4(n-1), 2)}. */
    static Tensor boundaryNodes(int n, Tensor like) {
        float[] p = new float[8 * (n - 1)];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == 0 || j == 0 || i == n - 1 || j == n - 1) {
                    p[k++] = (float) i / (n - 1);
                    p[k++] = (float) j / (n - 1);
                }
            }
        }
        return Tensor.of(p, 4 * (n - 1), 2).to(like.dtype()).to(like.device());
    }

    @Override
    public Tensor residuals(DeepOnet net, Tensor branchInput, Tensor input, Tensor trunkPoints) {
        int nb = input.size(0), m = input.size(1), n = (int) Math.round(Math.sqrt(m));
        if (n * n != m || n < 2) {
            throw new IllegalArgumentException("pi-deeponet: " + residual.name() + " needs the input field on n x n nodes of the unit square, found "
                    + m + " sensors");
        }
        if (net.spec().outputs() != 1) throw new IllegalArgumentException("pi-deeponet: a scalar output u is needed, the model has " + net.spec().outputs());
        Tensor pts = points.to(input.dtype()).to(input.device());
        Tensor b = net.branch(branchInput);
        PointDerivatives.ValueAndDerivative d1 = PointDerivatives.firstDerivative(net::trunk, pts, 0);
        PointDerivatives.ValueAndDerivative d2 = PointDerivatives.firstDerivative(net::trunk, pts, 1);
        Tensor u = Functional.mm(b, d1.value(), false, true).add(net.bias());                            // (nb, Q)
        Tensor grad = Tensor.stack(2, Functional.mm(b, d1.derivative(), false, true), Functional.mm(b, d2.derivative(), false, true));
        Tensor a = GridFields.nearestNode(input.reshape(nb, n, n), pts);
        Tensor r = residual.loss(new Residual.Fields(a, u, grad, null));
        Tensor boundary = Functional.mm(b, net.trunk(boundaryNodes(n, input)), false, true).add(net.bias());   // (nb, 4(n-1))
        return Tensor.cat(1, r.reshape(1, 1).mul(Tensor.onesLike(boundary.slice(1, 0, 1))), boundary);
    }

    @Override
    public Tensor reduce(Tensor residuals) {
        if (residuals.dim() != 2 || residuals.size(1) < 2) throw new IllegalArgumentException("pi-deeponet: residuals must be (n, 1 + boundary nodes), found "
                + Arrays.toString(residuals.shape()));
        Tensor r = residuals.slice(1, 0, 1).mean();
        return boundaryWeight == 0 ? r : r.add(residuals.slice(1, 1, residuals.size(1)).square().mean().mul(boundaryWeight));
    }
}
