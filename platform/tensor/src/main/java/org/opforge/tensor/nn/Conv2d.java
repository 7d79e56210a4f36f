package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;

/** 2-D convolution layer (torch.nn.Conv2d); input (N, C_in, H, W). See {@link ConvNd}. */
public final class Conv2d extends ConvNd {

    /** Stride 1, no padding, one group, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, "zeros", rng);
    }

    /** Same value on every spatial axis. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias,
                  String paddingMode, Rng rng) {
        this(inChannels, outChannels, same(kernelSize, 2), same(stride, 2), same(padding, 2), same(dilation, 2), groups, bias,
                paddingMode, rng);
    }

    /** Per-axis kernel size, stride, padding and dilation. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, String paddingMode, Rng rng) {
        super(2, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode, rng);
    }
}
