package org.opforge.operators.fno;

import java.util.Arrays;
import org.opforge.tensor.Tensor;

/**
 * Multigrid domain decomposition of Kossaifi et al. (MG-TFNO), as neuralop's
 * {@code MultigridPatching2D} / {@code MGPatchingDataProcessor}: a 2-D field is cut into
 * {@code n x n} patches, {@code n = 2^L}, that a model processes independently (in the batch axis);
 * each patch carries coarser context as extra channels, and the outputs are stitched back.
 *
 * <p>For an input {@code x (B, C, H, W)} with {@code h = H/n}, {@code w = W/n} and padding
 * {@code p = round(fraction * H)} (and {@code q = round(fraction * W)}), {@link #patch} returns
 * {@code (B n^2, C (L+1), h + 2p, w + 2q)}, patch {@code (i, j)} of sample b at batch index
 * {@code b n^2 + i n + j}:
 * <ul>
 * <li>level 0: rows {@code i h - p .. i h + h + p - 1} (and columns alike) of x, indices taken
 * periodically (circular padding);</li>
 * <li>level l = 1..L: the same window size on {@code x[::2^l, ::2^l]} (size {@code H_l = ceil(H/2^l)}),
 * starting at row {@code i s_l - P_l} with stride {@code s_l = floor(h / 2^l)} and
 * {@code P_l = ceil((h + (n-1) s_l - H_l) / 2) + p}, again periodic: a window 2^l times larger
 * than the patch, centred on it, at 2^l times coarser resolution.</li>
 * </ul>
 * {@link #unpatch} crops the padding of model outputs {@code (B n^2, C', h + 2p, w + 2q)} and
 * stitches the patches to {@code (B, C', H, W)}; {@link #split} cuts targets into unpadded patches
 * {@code (B n^2, C', h, w)}. {@code stitch(split(y)) == y} exactly, and
 * {@code unpatch(level-0 channels of patch(x)) == x}. All operations are differentiable index
 * selections and reshapes. Levels 0 with padding 0 is the identity.
 */
public final class MultigridPatching {
    private final int levels;
    private final double paddingFraction;

    public MultigridPatching(int levels, double paddingFraction) {
        if (levels < 0 || levels > 6) throw new IllegalArgumentException("levels: expected 0 to 6, found " + levels);
        if (!(paddingFraction >= 0 && paddingFraction < 1)) {
            throw new IllegalArgumentException("padding_fraction: expected a value in [0, 1), found " + paddingFraction);
        }
        this.levels = levels;
        this.paddingFraction = paddingFraction;
    }

    public int levels() { return levels; }

    public double paddingFraction() { return paddingFraction; }

    /** Patches per axis, {@code 2^levels}. */
    public int patchesPerAxis() { return 1 << levels; }

    /** Patches per sample, {@code 4^levels}. */
    public int patchesPerSample() { return patchesPerAxis() * patchesPerAxis(); }

    /** Channels of a patch made from a field of {@code channels} channels: one copy per level. */
    public int patchChannels(int channels) { return channels * (levels + 1); }

    /** Padding added to each side of a patch along an axis of the full field of size {@code n}. */
    public int padding(int n) { return (int) Math.round(paddingFraction * n); }

    /** Side lengths {@code (h + 2p, w + 2q)} of the padded patches of a {@code (H, W)} field. */
    public int[] patchShape(int height, int width) {
        check(height, width);
        int n = patchesPerAxis();
        return new int[] {height / n + 2 * padding(height), width / n + 2 * padding(width)};
    }

    /** Padded multigrid patches of {@code x (B, C, H, W)}: {@code (B n^2, C (L+1), h + 2p, w + 2q)}. */
    public Tensor patch(Tensor x) {
        requireField("patch", x);
        int h = x.size(2), w = x.size(3);
        check(h, w);
        int n = patchesPerAxis();
        int ph = padding(h), pw = padding(w);
        int sh = h / n, sw = w / n;
        Tensor[] perLevel = new Tensor[levels + 1];
        for (int l = 0; l <= levels; l++) {
            int sub = 1 << l;
            Tensor xl = l == 0 ? x : x.slice(2, 0, h, sub).slice(3, 0, w, sub);
            int[] rows = windows(xl.size(2), sh, ph, n, l);
            int[] cols = windows(xl.size(3), sw, pw, n, l);
            perLevel[l] = toBatch(xl.indexSelect(2, rows).indexSelect(3, cols), n, sh + 2 * ph, sw + 2 * pw);
        }
        return perLevel.length == 1 ? perLevel[0] : Tensor.cat(1, perLevel);
    }

    /** Unpadded level-0 patches of {@code y (B, C, H, W)}: {@code (B n^2, C, h, w)}. */
    public Tensor split(Tensor y) {
        requireField("split", y);
        int b = y.size(0), c = y.size(1), h = y.size(2), w = y.size(3);
        check(h, w);
        int n = patchesPerAxis();
        return y.reshape(b, c, n, h / n, n, w / n).permute(0, 2, 4, 1, 3, 5).reshape(b * n * n, c, h / n, w / n);
    }

    /** Reassembles unpadded patches {@code (B n^2, C, h, w)} into {@code (B, C, n h, n w)}. */
    public Tensor stitch(Tensor patches) {
        requireField("stitch", patches);
        int n = patchesPerAxis();
        int total = patches.size(0);
        if (total % (n * n) != 0) {
            throw new IllegalArgumentException("stitch: " + total + " patches is not a multiple of " + (n * n) + " patches per sample");
        }
        int b = total / (n * n), c = patches.size(1), h = patches.size(2), w = patches.size(3);
        return patches.reshape(b, n, n, c, h, w).permute(0, 3, 1, 4, 2, 5).reshape(b, c, n * h, n * w);
    }

    /** Crops the padding of model outputs on padded patches and stitches them to fields of size {@code (H, W)}. */
    public Tensor unpatch(Tensor outputs, int height, int width) {
        return stitch(crop(outputs, height, width));
    }

    /**
     * Crops the padding of model outputs on padded patches of a {@code (H, W)} field:
     * {@code (M, C, h + 2p, w + 2q) -> (M, C, h, w)}, for any number M of patches.
     */
    public Tensor crop(Tensor outputs, int height, int width) {
        requireField("crop", outputs);
        int[] ps = patchShape(height, width);
        if (outputs.size(2) != ps[0] || outputs.size(3) != ps[1]) {
            throw new IllegalArgumentException("unpatch: outputs have patch size " + outputs.size(2) + " x " + outputs.size(3)
                    + ", patches of a " + height + " x " + width + " field are " + ps[0] + " x " + ps[1]);
        }
        int ph = padding(height), pw = padding(width);
        int n = patchesPerAxis();
        return outputs.slice(2, ph, ph + height / n).slice(3, pw, pw + width / n);
    }

    /**
     * Indices along one axis of the level-l field (size {@code size}) for the n windows of
     * {@code patch + 2 pad} points, concatenated, taken periodically.
     */
    private int[] windows(int size, int patch, int pad, int n, int level) {
        int len = patch + 2 * pad;
        int stride, start0;
        if (level == 0) {
            stride = patch;
            start0 = -pad;
        } else {
            stride = patch >> level;
            start0 = -(ceilDiv(patch + (n - 1) * stride - size, 2) + pad);
        }
        int[] idx = new int[n * len];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < len; k++) idx[i * len + k] = Math.floorMod(start0 + i * stride + k, size);
        }
        return idx;
    }

    private static int ceilDiv(int a, int b) { return -Math.floorDiv(-a, b); }

    /** {@code (B, C, n P, n Q)} whose axes hold n windows each -> {@code (B n^2, C, P, Q)}. */
    private static Tensor toBatch(Tensor t, int n, int p, int q) {
        int b = t.size(0), c = t.size(1);
        return t.reshape(b, c, n, p, n, q).permute(0, 2, 4, 1, 3, 5).reshape(b * n * n, c, p, q);
    }

    private void check(int h, int w) {
        int n = patchesPerAxis();
        if (h % n != 0 || w % n != 0 || h / n < 1) {
            throw new IllegalArgumentException("multigrid patching with " + levels + " levels cuts each axis into " + n
                    + " patches: the grid " + h + " x " + w + " must be divisible by " + n);
        }
    }

    private static void requireField(String op, Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException(op + ": expected a 2-D field (B, C, H, W), found shape " + Arrays.toString(x.shape()));
    }

    @Override
    public String toString() {
        return "MultigridPatching(levels=" + levels + ", padding_fraction=" + paddingFraction + ")";
    }
}
