package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;

/** 1-D convolution layer (torch.nn.Conv1d); input (N, C_in, L). See {@link ConvNd}. */
public final class Conv1d extends ConvNd {

    /** Stride 1, no padding, one group, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, "zeros", rng);
    }

    /** Same value on every spatial axis. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias,
                  String paddingMode, Rng rng) {
        this(inChannels, outChannels, same(kernelSize, 1), same(stride, 1), same(padding, 1), same(dilation, 1), groups, bias,
                paddingMode, rng);
    }

    /** Per-axis kernel size, stride, padding and dilation. */
    public Conv1d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, String paddingMode, Rng rng) {
        super(1, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode, rng);
    }
}
