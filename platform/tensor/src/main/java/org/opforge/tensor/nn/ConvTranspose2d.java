package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;

/** 2-D transposed convolution layer (torch.nn.ConvTranspose2d). See {@link ConvTransposeNd}. */
public final class ConvTranspose2d extends ConvTransposeNd {

    /** Given stride and padding, no output padding, dilation 1, one group, with bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, 0, 1, 1, true, rng);
    }

    /** Same value on every spatial axis. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding,
                           int dilation, int groups, boolean bias, Rng rng) {
        this(inChannels, outChannels, ConvNd.same(kernelSize, 2), ConvNd.same(stride, 2), ConvNd.same(padding, 2),
                ConvNd.same(outputPadding, 2), ConvNd.same(dilation, 2), groups, bias, rng);
    }

    /** Per-axis values. */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding,
                           int[] dilation, int groups, boolean bias, Rng rng) {
        super(2, inChannels, outChannels, kernelSize, stride, padding, outputPadding, dilation, groups, bias, rng);
    }
}
