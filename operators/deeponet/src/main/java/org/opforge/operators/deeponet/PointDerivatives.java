package org.opforge.operators.deeponet;

import java.util.function.UnaryOperator;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.Tensor;

/**
 * Derivatives of a point-wise map with respect to its input points, kept in the autodiff graph
 * ({@code createGraph = true}) so that a loss built from them can be differentiated again with
 * respect to the parameters (physics-informed training).
 *
 * <p>For {@code F: (P, d) -> (P, p)} whose row j depends on point {@code y_j} only (an MLP applied to
 * each point, with or without Fourier features), the whole Jacobian column
 * {@code J[j, k] = dF_jk / dy_j,a} costs two reverse passes instead of p: with a free tensor
 * {@code v (P, p)}, {@code g(v) = Autograd.grad(F, v) = sum_k v_jk dF_jk/dy_j} is linear in v, and
 * {@code Autograd.grad(g, e_a, wrt v)} is the forward-mode product {@code J e_a}, i.e. the wanted column
 * (the "double-vjp" trick).
 */
public final class PointDerivatives {
    private PointDerivatives() {}

    /** Values and first derivatives along coordinate {@code axis} of a point-wise map. */
    public record ValueAndDerivative(Tensor value, Tensor derivative) {}

    /**
     * {@code F(y)} and {@code dF/dy_axis}, both {@code (P, p)} and differentiable with respect to the
     * map's parameters.
     *
     * @param f    a point-wise map (row j of the output depends on row j of the input only)
     * @param y    points {@code (P, d)}; used detached as a new leaf
     * @param axis the coordinate to differentiate along, {@code 0 <= axis < d}
     */
    public static ValueAndDerivative firstDerivative(UnaryOperator<Tensor> f, Tensor y, int axis) {
        if (y.dim() != 2) throw new IllegalArgumentException("derivative: points must be (P, d), found " + java.util.Arrays.toString(y.shape()));
        if (axis < 0 || axis >= y.size(1)) {
            throw new IllegalArgumentException("derivative: coordinate " + axis + " out of range for points with " + y.size(1) + " coordinates");
        }
        Tensor leaf = y.detach().requiresGrad(true);
        Tensor value = f.apply(leaf);
        Tensor v = Tensor.zerosLike(value).requiresGrad(true);
        Tensor g = Autograd.grad(value, v, true, leaf)[0];                      // (P, d), linear in v
        Tensor dir = Tensor.zerosLike(g).add(unit(y.size(1), axis, g));         // e_axis in every row
        Tensor column = Autograd.grad(g, dir, true, v)[0];                      // (P, p) = dF/dy_axis
        return new ValueAndDerivative(value, column);
    }

    private static Tensor unit(int d, int axis, Tensor like) {
        float[] e = new float[d];
        e[axis] = 1;
        return Tensor.of(e, like.dtype(), like.device(), 1, d);
    }

    /**
     * {@code dG/dy} of the scattered form, one point per row: {@code G (B)} computed from points
     * {@code y (B, d)} (a leaf that requires a gradient, each output row depending on its own point);
     * returns {@code (B, d)}, differentiable.
     */
    public static Tensor gradient(Tensor g, Tensor y) {
        return Autograd.grad(g, null, true, y)[0];
    }
}
