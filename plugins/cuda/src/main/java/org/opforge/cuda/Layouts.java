package org.opforge.cuda;

import java.util.Arrays;

/**
 * Host-side preparation of the kernels' by-value descriptors: merging axes (so most strided calls
 * become one or two long rows) and packing the int64 words of {@code Strided2} and {@code Reduction}
 * (common.cuh).
 */
final class Layouts {
    private Layouts() {}

    /** Highest rank a descriptor holds (MAXR in common.cuh). */
    static final int MAXR = 8;

    /**
     * Drops size-1 axes and merges an axis into its inner neighbour when, for both stride sets,
     * stride[outer] == stride[inner] * size[inner]. Returns {shape, strides0, strides1}.
     */
    static long[][] collapse(int[] shape, int[] s0, int[] s1) {
        int r = shape.length;
        long[] sh = new long[r], a = new long[r], b = new long[r];
        int n = 0;
        for (int ax = r - 1; ax >= 0; ax--) {
            if (shape[ax] == 1) continue;
            if (n > 0 && (long) s0[ax] == a[n - 1] * sh[n - 1] && (long) s1[ax] == b[n - 1] * sh[n - 1]) {
                sh[n - 1] *= shape[ax];
                continue;
            }
            sh[n] = shape[ax];
            a[n] = s0[ax];
            b[n] = s1[ax];
            n++;
        }
        long[][] out = new long[3][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = sh[n - 1 - i];
            out[1][i] = a[n - 1 - i];
            out[2][i] = b[n - 1 - i];
        }
        return out;
    }

    /** The 25 words of a Strided2 for {@code shape} with operand strides {@code s0}, {@code s1}. */
    static long[] strided2(String op, int[] shape, int[] s0, int[] s1) {
        if (s0.length != shape.length || s1.length != shape.length) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(s0) + ", "
                    + Arrays.toString(s1) + " differ in rank");
        }
        long[][] c = collapse(shape, s0, s1);
        int rank = c[0].length;
        if (rank > MAXR) {
            throw new IllegalArgumentException(op + ": after merging contiguous axes the layout " + Arrays.toString(shape) + " with strides "
                    + Arrays.toString(s0) + ", " + Arrays.toString(s1) + " still has rank " + rank + "; the CUDA kernels take at most " + MAXR);
        }
        long[] w = new long[1 + 3 * MAXR];
        w[0] = rank;
        for (int i = 0; i < rank; i++) {
            w[1 + i] = c[0][i];
            w[1 + MAXR + i] = c[1][i];
            w[1 + 2 * MAXR + i] = c[2][i];
        }
        return w;
    }

    /**
     * The 34 words of a Reduction of a contiguous tensor of {@code shape} over the flagged axes: size-1
     * axes dropped, neighbours with the same flag merged. {@code innerKept[0]} is set when the
     * innermost remaining axis is kept (threads then read neighbouring elements).
     */
    static long[] reduction(int[] shape, boolean[] axes, boolean[] innerKept) {
        if (axes.length != shape.length) {
            throw new IllegalArgumentException("reduce: " + axes.length + " axis flags for shape " + Arrays.toString(shape));
        }
        int r = shape.length;
        long[] size = new long[r];
        boolean[] red = new boolean[r];
        int n = 0;
        for (int ax = 0; ax < r; ax++) {
            if (shape[ax] == 1) continue;
            if (n > 0 && red[n - 1] == axes[ax]) {
                size[n - 1] *= shape[ax];
            } else {
                size[n] = shape[ax];
                red[n] = axes[ax];
                n++;
            }
        }
        long[] stride = new long[n];
        long s = 1;
        for (int i = n - 1; i >= 0; i--) {
            stride[i] = s;
            s *= size[i];
        }
        long[] w = new long[2 + 4 * MAXR];
        int kr = 0, rr = 0;
        for (int i = 0; i < n; i++) {
            if (red[i]) {
                if (rr == MAXR) throw tooMany(shape, axes);
                w[2 + 2 * MAXR + rr] = size[i];
                w[2 + 3 * MAXR + rr] = stride[i];
                rr++;
            } else {
                if (kr == MAXR) throw tooMany(shape, axes);
                w[1 + kr] = size[i];
                w[1 + MAXR + kr] = stride[i];
                kr++;
            }
        }
        w[0] = kr;
        w[1 + 2 * MAXR] = rr;
        innerKept[0] = n > 0 && !red[n - 1];
        return w;
    }

    private static IllegalArgumentException tooMany(int[] shape, boolean[] axes) {
        return new IllegalArgumentException("reduce: shape " + Arrays.toString(shape) + " reduced over " + Arrays.toString(axes)
                + " alternates kept and reduced axes more than " + MAXR + " times; the CUDA kernel takes at most " + MAXR + " of each");
    }
}
