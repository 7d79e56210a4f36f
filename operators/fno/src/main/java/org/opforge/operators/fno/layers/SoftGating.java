package org.opforge.operators.fno.layers;

import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Layer;

/**
 * neuralop's soft-gating skip: {@code y[b, c, ...] = w[c] x[b, c, ...]} with a per-channel weight
 * initialized to one (state-dict key {@code weight}, shape {@code (C)}).
 */
public final class SoftGating extends Layer {
    private final int channels;

    public SoftGating(int channels) {
        this.channels = channels;
        registerParameter("weight", Tensor.ones(channels));
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = new int[x.dim()];
        java.util.Arrays.fill(s, 1);
        s[1] = channels;
        return x.mul(param("weight").reshape(s));
    }
}
