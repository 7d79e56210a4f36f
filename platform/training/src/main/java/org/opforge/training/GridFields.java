package org.opforge.training;

import java.util.Arrays;
import org.opforge.tensor.Tensor;

/**
 * The layout checks of grid operators (FNO, MgNO, ...), whose batches of fields are
 * {@code [N, *grid]} when the operator has one channel, or {@code [N, C, *grid]}, with {@code dims}
 * grid axes. The messages name the operator, the configuration keys and the shape found.
 */
public final class GridFields {
    private GridFields() {}

    /**
     * Checks the layout of a batch of input or target fields and returns its grid shape.
     *
     * @param what        "input" or "target", for the message
     * @param channelsKey the configuration key of the channel count ({@code in_channels}, {@code out_channels})
     * @throws IllegalArgumentException when the rank or the channel count does not fit
     */
    public static int[] check(String operator, int dims, String channelsKey, int channels, String what, Tensor x) {
        int[] s = x.shape();
        boolean ok = (s.length == dims + 1 && channels == 1) || (s.length == dims + 2 && s[1] == channels);
        if (!ok) {
            throw new IllegalArgumentException(operator + " with dims=" + dims + " and " + channelsKey + "=" + channels + " takes " + what + " fields "
                    + (channels == 1 ? "[N, *grid] or " : "") + "[N, " + channels + ", *grid] with " + dims + " grid axes; found shape " + Arrays.toString(s));
        }
        return Arrays.copyOfRange(s, s.length - dims, s.length);
    }

    /** Whether a batch of fields that passed {@link #check} has a channel axis. */
    public static boolean hasChannelAxis(int dims, Tensor x) {
        return x.dim() == dims + 2;
    }

    /**
     * Checks that inputs and targets lie on the same grid (an operator mapping fields to fields).
     *
     * @throws IllegalArgumentException naming both shapes
     */
    public static void checkSameGrid(String operator, int dims, Tensor inputs, Tensor targets) {
        int[] xs = inputs.shape(), ys = targets.shape();
        if (!Arrays.equals(Arrays.copyOfRange(xs, xs.length - dims, xs.length), Arrays.copyOfRange(ys, ys.length - dims, ys.length))) {
            throw new IllegalArgumentException(operator + " maps fields to fields on the same grid; inputs " + Arrays.toString(xs)
                    + " and targets " + Arrays.toString(ys) + " differ");
        }
    }

    /**
     * A field on the nodes of the unit square at points by its nearest node, {@code a[round(x1 (n-1)), round(x2 (n-1))]}
     * (indices clamped to the grid): fields {@code (B, n, n)} and points {@code (P, 2)} give {@code (B, P)}, no gradient.
     */
    public static Tensor nearestNode(Tensor field, Tensor points) {
        int b = field.size(0), n = field.size(1);
        double[] x = points.toDoubleArray();
        int p = points.size(0);
        int[] idx = new int[p];
        for (int k = 0; k < p; k++) {
            int i = Math.max(0, Math.min(n - 1, (int) Math.floor(x[2 * k] * (n - 1) + 0.5)));
            int j = Math.max(0, Math.min(n - 1, (int) Math.floor(x[2 * k + 1] * (n - 1) + 0.5)));
            idx[k] = i * n + j;
        }
        return field.detach().reshape(b, n * field.size(2)).indexSelect(1, idx);
    }
}
