package org.opforge.tensor.nn;

import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Norm;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

/**
 * Batch normalization of (N, C, spatial...) for any number of spatial axes (torch.nn.BatchNorm1d/2d/3d):
 * in training mode the batch statistics normalize and the buffers {@code running_mean},
 * {@code running_var} follow {@code r = (1 - momentum) r + momentum s} (unbiased variance);
 * in eval mode the running statistics normalize. {@code num_batches_tracked} is kept (as float64) so
 * the state-dict keys are PyTorch's.
 */
public final class BatchNorm extends Layer {
    private final int numFeatures;
    private final double eps;
    private final double momentum;

    /** eps 1e-5, momentum 0.1, affine (PyTorch's defaults). */
    public BatchNorm(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm(int numFeatures, double eps, double momentum, boolean affine) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        Rng unused = new Rng(0);
        if (affine) {
            registerParameter("weight", Init.ones().create(unused, numFeatures));
            registerParameter("bias", Init.zeros().create(unused, numFeatures));
        }
        registerBuffer("running_mean", Init.zeros().create(unused, numFeatures));
        registerBuffer("running_var", Init.ones().create(unused, numFeatures));
        registerBuffer("num_batches_tracked", Tensor.scalar(0, DType.FLOAT64, Device.CPU));
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean affine = hasParam("weight");
        Tensor y = Norm.batchNorm(x, buffer("running_mean"), buffer("running_var"), affine ? param("weight") : null,
                affine ? param("bias") : null, isTraining(), momentum, eps);
        if (isTraining()) {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                Tensor count = buffer("num_batches_tracked");
                setBuffer("num_batches_tracked", count.add(1.0));
            }
        }
        return y;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (hasParam("weight") ? "True" : "False");
    }
}
