package org.opforge.tensor.nn;

import java.util.Arrays;
import java.util.Locale;
import org.opforge.tensor.Conv;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

/**
 * A convolution layer over {@code rank} spatial axes (torch.nn.ConvNd): weight
 * (C_out, C_in/groups, k...), bias (C_out); padding mode "zeros", "circular" or "reflect". Default init is
 * PyTorch's: weight and bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C_in/groups * prod(k).
 * The concrete layers are {@link Conv1d}, {@link Conv2d} and {@link Conv3d}.
 */
public abstract class ConvNd extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;
    private final String paddingMode;

    ConvNd(int rank, int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups,
           boolean bias, String paddingMode, Rng rng) {
        String name = getClass().getSimpleName();
        for (int[] a : new int[][] {kernel, stride, padding, dilation}) {
            if (a.length != rank) {
                throw new IllegalArgumentException(name + ": kernel_size, stride, padding and dilation need " + rank + " entries, found "
                        + Arrays.toString(a));
            }
        }
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(name + ": in_channels " + inChannels + " and out_channels " + outChannels
                    + " must be positive multiples of groups " + groups);
        }
        String mode = paddingMode.toLowerCase(Locale.ROOT);
        if (!mode.equals("zeros") && !mode.equals("circular") && !mode.equals("reflect")) {
            throw new IllegalArgumentException(name + ": padding_mode must be 'zeros', 'circular' or 'reflect', found '" + paddingMode + "'");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        this.paddingMode = mode;
        int[] wShape = new int[rank + 2];
        wShape[0] = outChannels;
        wShape[1] = inChannels / groups;
        System.arraycopy(kernel, 0, wShape, 2, rank);
        registerParameter("weight", Init.defaultWeight().create(rng, wShape));
        if (bias) registerParameter("bias", Init.defaultBias(Init.fanIn(wShape)).create(rng, outChannels));
    }

    static int[] same(int v, int rank) {
        int[] a = new int[rank];
        Arrays.fill(a, v);
        return a;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv(x, param("weight"), hasParam("bias") ? param("bias") : null, stride, padding, dilation, groups, paddingMode);
    }

    public int inChannels() { return inChannels; }

    public int outChannels() { return outChannels; }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(tuple(kernel)).append(", stride=").append(tuple(stride));
        if (Arrays.stream(padding).anyMatch(p -> p != 0)) s.append(", padding=").append(tuple(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) s.append(", dilation=").append(tuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (!hasParam("bias")) s.append(", bias=False");
        if (!paddingMode.equals("zeros")) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }

    static String tuple(int[] a) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < a.length; i++) s.append(i > 0 ? ", " : "").append(a[i]);
        return s.append(a.length == 1 ? ",)" : ")").toString();
    }
}
