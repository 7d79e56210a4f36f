package org.opforge.operators.fno.layers;

import java.util.Arrays;
import java.util.Locale;
import org.opforge.tensor.Tensor;

/**
 * neuralop's DomainPadding for non-periodic problems: the lifted field is zero-padded by
 * {@code p_j = round(fraction * n_j)} points along every spatial axis before the Fourier blocks and
 * cropped back after them, so the FFT's periodic wrap-around happens in the padding instead of
 * across the physical domain. "one-sided" pads at the end of each axis, "symmetric" at both ends.
 */
public final class DomainPadding {
    public enum Mode {
        ONE_SIDED, SYMMETRIC;

        public static Mode parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "one-sided", "one_sided" -> ONE_SIDED;
                case "symmetric" -> SYMMETRIC;
                default -> throw new IllegalArgumentException("domain_padding_mode: expected 'one-sided' or 'symmetric', found '" + s + "'");
            };
        }
    }

    private final double fraction;
    private final Mode mode;

    public DomainPadding(double fraction, Mode mode) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("domain_padding: expected a fraction in [0, 1), found " + fraction);
        this.fraction = fraction;
        this.mode = mode;
    }

    public boolean active() { return fraction > 0; }

    /** Points added along an axis of {@code n} points (at each end for symmetric padding). */
    public int amount(int n) { return (int) Math.round(fraction * n); }

    /** The padded grid for a physical grid. */
    public int[] padded(int[] grid) {
        int[] g = grid.clone();
        for (int k = 0; k < g.length; k++) g[k] += (mode == Mode.SYMMETRIC ? 2 : 1) * amount(grid[k]);
        return g;
    }

    public Tensor pad(Tensor x) {
        if (!active()) return x;
        int d = x.dim() - 2;
        int[] pads = new int[2 * d];
        for (int k = 0; k < d; k++) {
            int p = amount(x.size(x.dim() - 1 - k));
            pads[2 * k] = mode == Mode.SYMMETRIC ? p : 0;
            pads[2 * k + 1] = p;
        }
        return x.pad(pads, "zeros");
    }

    /** Crops a padded field back to {@code grid}. */
    public Tensor unpad(Tensor x, int[] grid) {
        if (!active()) return x;
        Tensor y = x;
        for (int k = 0; k < grid.length; k++) {
            int start = mode == Mode.SYMMETRIC ? amount(grid[k]) : 0;
            y = y.slice(2 + k, start, start + grid[k]);
        }
        if (!Arrays.equals(Arrays.copyOfRange(y.shape(), 2, y.dim()), grid)) throw new IllegalStateException("unpad: cropping failed");
        return y;
    }
}
