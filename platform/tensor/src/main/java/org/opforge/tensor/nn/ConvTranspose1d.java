package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;

/** 1-D transposed convolution layer (torch.nn.ConvTranspose1d). See {@link ConvTransposeNd}. */
public final class ConvTranspose1d extends ConvTransposeNd {

    /** Given stride and padding, no output padding, dilation 1, one group, with bias. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, 0, 1, 1, true, rng);
    }

    /** Same value on every spatial axis. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding,
                           int dilation, int groups, boolean bias, Rng rng) {
        this(inChannels, outChannels, ConvNd.same(kernelSize, 1), ConvNd.same(stride, 1), ConvNd.same(padding, 1),
                ConvNd.same(outputPadding, 1), ConvNd.same(dilation, 1), groups, bias, rng);
    }

    /** Per-axis values. */
    public ConvTranspose1d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding,
                           int[] dilation, int groups, boolean bias, Rng rng) {
        super(1, inChannels, outChannels, kernelSize, stride, padding, outputPadding, dilation, groups, bias, rng);
    }
}
