package org.opforge.operators.mgno.layers;

import org.opforge.tensor.Conv;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.ConvTranspose2d;
import org.opforge.tensor.nn.Module;

/**
 * Prolongation from a coarse grid to the next finer one: the transposed convolution
 * {@code conv_transpose2d(u, t.weight, stride 2, padding 1)} with a square kernel k, no bias (weight
 * {@code (C, C, k, k)}). A coarse side s maps to {@code 2 (s - 1) - 2 + k}: with k = 4 for an even
 * finer side n (s = n / 2) and k = 3 for an odd one (s = (n + 1) / 2) that is exactly n. A finer side
 * one more than that is reached with {@code output_padding} 1, one less by cropping the last row or
 * column (a grid of the other parity than the one the kernel was chosen for); the padding is never
 * periodic. State-dict key: {@code t.weight}.
 */
public final class Prolongation extends Module {
    private final int kernel;
    private final ConvTranspose2d t;

    public Prolongation(int channels, int kernel, Rng rng) {
        if (kernel != 3 && kernel != 4) throw new IllegalArgumentException("Prolongation: kernel must be 3 or 4, found " + kernel);
        this.kernel = kernel;
        t = registerModule("t", new ConvTranspose2d(channels, channels, kernel, 2, 1, 0, 1, 1, false, rng));
    }

    /** The kernel that maps ceil(n / 2) back to n exactly: 4 for even n, 3 for odd n. */
    public static int kernelFor(int fineSide) {
        return fineSide % 2 == 0 ? 4 : 3;
    }

    public int kernel() { return kernel; }

    /** u (B, C, s1, s2) to (B, C, size[0], size[1]). */
    public Tensor forward(Tensor u, int[] size) {
        int[] outPad = new int[2];
        boolean crop = false;
        for (int a = 0; a < 2; a++) {
            int base = 2 * (u.size(2 + a) - 1) - 2 + kernel;
            int extra = size[a] - base;
            if (extra > 1 || extra < -1) {
                throw new IllegalArgumentException("MgNO prolongation (kernel " + kernel + "): cannot map a coarse grid "
                        + u.size(2) + "x" + u.size(3) + " to " + size[0] + "x" + size[1] + " (it gives " + base + " on axis " + a + ")");
            }
            outPad[a] = Math.max(extra, 0);
            crop |= extra < 0;
        }
        Tensor y = Conv.convTranspose(u, t.param("weight"), null, new int[] {2, 2}, new int[] {1, 1}, outPad, new int[] {1, 1}, 1);
        if (crop) y = y.slice(2, 0, size[0]).slice(3, 0, size[1]);
        return y;
    }
}
