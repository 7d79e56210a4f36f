package org.opforge.tensor;

import java.util.Arrays;

/** Static helpers on row-major shapes (int arrays). */
public final class Shapes {
    private Shapes() {}

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Contiguous row-major strides in elements. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** NumPy broadcasting of two shapes; the error names the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " do not broadcast (axis " + i + " of the result: " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read a contiguous tensor of {@code shape} broadcast to {@code target} (0 on expanded axes). */
    public static int[] broadcastStrides(int[] shape, int[] target) {
        int[] own = strides(shape);
        int[] s = new int[target.length];
        int off = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            if (i < off) s[i] = 0;
            else s[i] = shape[i - off] == 1 && target[i] != 1 ? 0 : own[i - off];
        }
        return s;
    }

    /** Normalizes a possibly negative axis index against {@code rank}. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    public static int[] concat(int[] a, int... b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
