package org.opforge.tensor.nn;

import org.opforge.tensor.Norm;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

/**
 * Instance normalization of (N, C, spatial...) for any number of spatial axes
 * (torch.nn.InstanceNorm1d/2d/3d without running statistics): each (sample, channel) standardized
 * over its positions; per-channel weight and bias only when affine (PyTorch's default is not).
 */
public final class InstanceNorm extends Layer {
    private final int numFeatures;
    private final double eps;

    /** Not affine, eps 1e-5 (PyTorch's defaults). */
    public InstanceNorm(int numFeatures) {
        this(numFeatures, 1e-5, false);
    }

    public InstanceNorm(int numFeatures, double eps, boolean affine) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        if (affine) {
            Rng unused = new Rng(0);
            registerParameter("weight", Init.ones().create(unused, numFeatures));
            registerParameter("bias", Init.zeros().create(unused, numFeatures));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() >= 2 && x.size(1) != numFeatures) {
            throw new IllegalArgumentException("InstanceNorm: expected " + numFeatures + " channels, x has shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        boolean affine = hasParam("weight");
        return Norm.instanceNorm(x, affine ? param("weight") : null, affine ? param("bias") : null, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", affine=" + (hasParam("weight") ? "True" : "False");
    }
}
