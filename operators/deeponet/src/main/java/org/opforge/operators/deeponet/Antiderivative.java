package org.opforge.operators.deeponet;

import java.util.Arrays;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Functional;

/**
 * The antiderivative operator as a physics loss: {@code ds/dx = u(x)} on the collocation points, with
 * {@code s(x0) = s0}. The collocation points are the sensor locations (the aligned layout of the
 * DeepONet paper's data), so {@code u(x_j)} is the j-th sensor value and the number of points must
 * equal the number of sensors. With the DeepONet {@code G = b(u) . t(x) + b0},
 * <pre>
 *   dG/dx(u_i)(x_j) = sum_k b_k(u_i) dt_k/dx(x_j)
 *   L = mean_ij (dG/dx(u_i)(x_j) - u_i(x_j))^2 + w * mean_i (G(u_i)(x0) - s0)^2
 * </pre>
 * where {@code dt/dx} comes from {@link PointDerivatives#firstDerivative} (graph kept).
 */
public final class Antiderivative implements PhysicsLoss {
    private final double x0;
    private final double s0;
    private final double boundaryWeight;

    public Antiderivative(double x0, double s0, double boundaryWeight) {
        if (!(boundaryWeight >= 0)) throw new IllegalArgumentException("antiderivative: boundary_weight must be >= 0, found " + boundaryWeight);
        this.x0 = x0;
        this.s0 = s0;
        this.boundaryWeight = boundaryWeight;
    }

    /** {@code (n, P + 1)}: the P residuals {@code dG/dx - u}, then {@code G(x0) - s0}. */
    @Override
    public Tensor residuals(DeepOnet net, Tensor branchInput, Tensor input, Tensor points) {
        if (points.dim() != 2 || points.size(1) != 1) {
            throw new IllegalArgumentException("antiderivative: collocation points must be (P, 1), found " + Arrays.toString(points.shape()));
        }
        if (points.size(0) != input.size(1)) {
            throw new IllegalArgumentException("antiderivative: the residual needs u at the collocation points, so their number must equal the sensor count; found "
                    + points.size(0) + " points and " + input.size(1) + " sensors");
        }
        if (net.spec().outputs() != 1) throw new IllegalArgumentException("antiderivative: a scalar output is needed, the model has " + net.spec().outputs());
        Tensor b = net.branch(branchInput);
        PointDerivatives.ValueAndDerivative t = PointDerivatives.firstDerivative(net::trunk, points, 0);
        Tensor ds = Functional.mm(b, t.derivative(), false, true);                 // (n, P)
        Tensor residual = ds.sub(input);
        Tensor start = Tensor.of(new float[] {(float) x0}, points.dtype(), points.device(), 1, 1);
        Tensor boundary = Functional.mm(b, net.trunk(start), false, true).add(net.bias()).sub(s0);   // (n, 1)
        return Tensor.cat(1, residual, boundary);
    }

    @Override
    public Tensor reduce(Tensor residuals) {
        int p = residuals.size(1) - 1;
        Tensor r = residuals.slice(1, 0, p).square().mean();
        if (boundaryWeight == 0) return r;
        return r.add(residuals.slice(1, p, p + 1).square().mean().mul(boundaryWeight));
    }
}
