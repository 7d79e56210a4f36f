package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;

/** 3-D convolution layer (torch.nn.Conv3d); input (N, C_in, D, H, W). See {@link ConvNd}. */
public final class Conv3d extends ConvNd {

    /** Stride 1, no padding, one group, with bias. */
    public Conv3d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, "zeros", rng);
    }

    /** Same value on every spatial axis. */
    public Conv3d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias,
                  String paddingMode, Rng rng) {
        this(inChannels, outChannels, same(kernelSize, 3), same(stride, 3), same(padding, 3), same(dilation, 3), groups, bias,
                paddingMode, rng);
    }

    /** Per-axis kernel size, stride, padding and dilation. */
    public Conv3d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, String paddingMode, Rng rng) {
        super(3, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode, rng);
    }
}
