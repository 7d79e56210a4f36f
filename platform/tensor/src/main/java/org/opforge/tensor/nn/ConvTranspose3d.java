package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;

/** 3-D transposed convolution layer (torch.nn.ConvTranspose3d). See {@link ConvTransposeNd}. */
public final class ConvTranspose3d extends ConvTransposeNd {

    /** Given stride and padding, no output padding, dilation 1, one group, with bias. */
    public ConvTranspose3d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, 0, 1, 1, true, rng);
    }

    /** Same value on every spatial axis. */
    public ConvTranspose3d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding,
                           int dilation, int groups, boolean bias, Rng rng) {
        this(inChannels, outChannels, ConvNd.same(kernelSize, 3), ConvNd.same(stride, 3), ConvNd.same(padding, 3),
                ConvNd.same(outputPadding, 3), ConvNd.same(dilation, 3), groups, bias, rng);
    }

    /** Per-axis values. */
    public ConvTranspose3d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding,
                           int[] dilation, int groups, boolean bias, Rng rng) {
        super(3, inChannels, outChannels, kernelSize, stride, padding, outputPadding, dilation, groups, bias, rng);
    }
}
