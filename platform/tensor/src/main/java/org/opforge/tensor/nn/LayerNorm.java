package org.opforge.tensor.nn;

import org.opforge.tensor.Norm;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

/**
 * Layer normalization over the trailing axes of shape {@code normalizedShape} (torch.nn.LayerNorm):
 * {@code (x - mean) / sqrt(var + eps) * weight + bias}, biased variance; weight ones and bias zeros
 * (each normalizedShape) when elementwise-affine.
 */
public final class LayerNorm extends Layer {
    private final int[] normalizedShape;
    private final double eps;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        if (elementwiseAffine) {
            Rng unused = new Rng(0);
            registerParameter("weight", Init.ones().create(unused, normalizedShape));
            registerParameter("bias", Init.zeros().create(unused, normalizedShape));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean affine = hasParam("weight");
        return Norm.layerNorm(x, normalizedShape, affine ? param("weight") : null, affine ? param("bias") : null, eps);
    }

    @Override
    protected String extraRepr() {
        return ConvNd.tuple(normalizedShape) + ", eps=" + eps + ", elementwise_affine=" + (hasParam("weight") ? "True" : "False");
    }
}
