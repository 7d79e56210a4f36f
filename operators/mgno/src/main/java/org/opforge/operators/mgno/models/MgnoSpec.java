package org.opforge.operators.mgno.models;

import java.util.Arrays;

/**
 * The architecture of an {@link Mgno}: channels, width, layers, the V-cycle's hierarchy and smoothing
 * counts per level, the padding mode of every 3x3 convolution ({@code zeros} Dirichlet, {@code circular}
 * periodic, {@code reflect}), and the variant.
 */
public record MgnoSpec(Variant variant, int inChannels, int outChannels, int width, int layers, Hierarchy hierarchy, int[] pre,
                       int[] post, String padding) {

    /** Darcy: {@code gelu(MgConv u + W u + b)} per layer; Navier-Stokes: LayerNorm in the up pass, no 1x1 skip, global residual. */
    public enum Variant {
        DARCY("darcy"), NS("ns");

        private final String label;

        Variant(String label) { this.label = label; }

        public String label() { return label; }

        public static Variant parse(String s) {
            for (Variant v : values()) if (v.label.equals(s)) return v;
            throw new IllegalArgumentException("MgNO: variant must be 'darcy' or 'ns', found '" + s + "'");
        }
    }

    public MgnoSpec {
        int j = hierarchy.levels();
        if (pre.length != j || post.length != j) {
            throw new IllegalArgumentException("MgNO: pre_smooth " + Arrays.toString(pre) + " and post_smooth " + Arrays.toString(post)
                    + " need one count per level; the hierarchy " + hierarchy + " has " + j);
        }
        if (inChannels < 1 || outChannels < 1 || width < 1 || layers < 1) {
            throw new IllegalArgumentException("MgNO: in_channels, out_channels, width and layers must be >= 1, found " + inChannels
                    + ", " + outChannels + ", " + width + ", " + layers);
        }
        if (variant == Variant.NS && inChannels > 1 && outChannels > inChannels) {
            throw new IllegalArgumentException("MgNO ns variant adds the input (one channel, to every output channel) or its last "
                    + "out_channels channels to the output: out_channels " + outChannels + " must be <= in_channels " + inChannels);
        }
        if (!padding.equals("zeros") && !padding.equals("circular") && !padding.equals("reflect")) {
            throw new IllegalArgumentException("MgNO: padding must be zeros, circular or reflect, found '" + padding + "'");
        }
        pre = pre.clone();
        post = post.clone();
    }

    /** The reference's counts for J levels: pre 1, ..., 1, 2 and post 0, ..., 0. */
    public static int[] defaultPre(int levels) {
        int[] p = new int[levels];
        Arrays.fill(p, 1);
        p[levels - 1] = 2;
        return p;
    }

    public static int[] defaultPost(int levels) {
        return new int[levels];
    }

    @Override public int[] pre() { return pre.clone(); }

    @Override public int[] post() { return post.clone(); }
}
