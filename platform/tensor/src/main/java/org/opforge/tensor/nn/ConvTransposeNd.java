package org.opforge.tensor.nn;

import java.util.Arrays;
import org.opforge.tensor.Conv;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

/**
 * A transposed convolution layer over {@code rank} spatial axes (torch.nn.ConvTransposeNd): weight
 * (C_in, C_out/groups, k...), bias (C_out); output size {@code (n-1) s - 2p + d (k-1) + output_padding + 1}
 * per axis. Default init is PyTorch's, whose fan_in for this weight layout is C_out/groups * prod(k).
 * The concrete layers are {@link ConvTranspose1d}, {@link ConvTranspose2d} and {@link ConvTranspose3d}.
 */
public abstract class ConvTransposeNd extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int[] dilation;
    private final int groups;

    ConvTransposeNd(int rank, int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] outputPadding,
                    int[] dilation, int groups, boolean bias, Rng rng) {
        String name = getClass().getSimpleName();
        for (int[] a : new int[][] {kernel, stride, padding, outputPadding, dilation}) {
            if (a.length != rank) {
                throw new IllegalArgumentException(name + ": kernel_size, stride, padding, output_padding and dilation need " + rank
                        + " entries, found " + Arrays.toString(a));
            }
        }
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(name + ": in_channels " + inChannels + " and out_channels " + outChannels
                    + " must be positive multiples of groups " + groups);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.outputPadding = outputPadding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        int[] wShape = new int[rank + 2];
        wShape[0] = inChannels;
        wShape[1] = outChannels / groups;
        System.arraycopy(kernel, 0, wShape, 2, rank);
        registerParameter("weight", Init.defaultWeight().create(rng, wShape));
        if (bias) registerParameter("bias", Init.defaultBias(Init.fanIn(wShape)).create(rng, outChannels));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.convTranspose(x, param("weight"), hasParam("bias") ? param("bias") : null, stride, padding, outputPadding,
                dilation, groups);
    }

    public int inChannels() { return inChannels; }

    public int outChannels() { return outChannels; }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(ConvNd.tuple(kernel)).append(", stride=").append(ConvNd.tuple(stride));
        if (Arrays.stream(padding).anyMatch(p -> p != 0)) s.append(", padding=").append(ConvNd.tuple(padding));
        if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) s.append(", output_padding=").append(ConvNd.tuple(outputPadding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) s.append(", dilation=").append(ConvNd.tuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (!hasParam("bias")) s.append(", bias=False");
        return s.toString();
    }
}
