package org.opforge.tensor.nn;

import org.opforge.tensor.Norm;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

/**
 * Group normalization of (N, C, spatial...) (torch.nn.GroupNorm): the C channels in
 * {@code numGroups} contiguous groups, each standardized per sample; per-channel weight (ones) and
 * bias (zeros) when affine.
 */
public final class GroupNorm extends Layer {
    private final int numGroups;
    private final int numChannels;
    private final double eps;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups < 1 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_groups " + numGroups + " must be >= 1 and divide num_channels " + numChannels);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        if (affine) {
            Rng unused = new Rng(0);
            registerParameter("weight", Init.ones().create(unused, numChannels));
            registerParameter("bias", Init.zeros().create(unused, numChannels));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean affine = hasParam("weight");
        return Norm.groupNorm(x, numGroups, affine ? param("weight") : null, affine ? param("bias") : null, eps);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (hasParam("weight") ? "True" : "False");
    }
}
