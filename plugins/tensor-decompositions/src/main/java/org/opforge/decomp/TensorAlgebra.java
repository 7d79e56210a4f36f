package org.opforge.decomp;

import java.util.Arrays;
import java.util.List;

/**
 * Unfolding, folding, n-mode products and the Khatri-Rao product on float64 tensors, with tensorly's
 * conventions (which are those of numpy's C order).
 *
 * <p>Write a tensor of shape {@code (I_0, ..., I_{N-1})} as {@code (L, I_n, R)} with
 * {@code L = prod_{k<n} I_k} and {@code R = prod_{k>n} I_k}. Then
 * {@code unfold(X, n)[i, l*R + r] = X[l, i, r]}: the mode-n fibres become rows and the column index runs
 * over the other modes in their original order, last mode fastest (tensorly
 * {@code moveaxis(X, n, 0).reshape(I_n, -1)}).
 */
public final class TensorAlgebra {
    private TensorAlgebra() {}

    /** Mode-{@code n} unfolding, a matrix of shape {@code (I_n, prod_{k != n} I_k)}. */
    public static DenseTensor unfold(DenseTensor x, int mode) {
        int[] s = x.shape();
        x.checkMode(mode);
        int l = prod(s, 0, mode), in = s[mode], r = prod(s, mode + 1, s.length);
        double[] src = x.raw(), dst = new double[src.length];
        int cols = l * r;
        for (int a = 0; a < l; a++) {
            for (int i = 0; i < in; i++) {
                System.arraycopy(src, (a * in + i) * r, dst, i * cols + a * r, r);
            }
        }
        return DenseTensor.wrap(dst, in, cols);
    }

    /** Inverse of {@link #unfold}: the tensor of {@code shape} whose mode-{@code n} unfolding is {@code matrix}. */
    public static DenseTensor fold(DenseTensor matrix, int mode, int... shape) {
        if (mode < 0 || mode >= shape.length) {
            throw new IllegalArgumentException("fold: mode " + mode + " out of range for shape " + Arrays.toString(shape));
        }
        int l = prod(shape, 0, mode), in = shape[mode], r = prod(shape, mode + 1, shape.length);
        int[] ms = matrix.shape();
        if (ms.length != 2 || ms[0] != in || ms[1] != l * r) {
            throw new IllegalArgumentException("fold: a mode-" + mode + " unfolding of shape " + Arrays.toString(shape)
                    + " is (" + in + ", " + l * r + "), found " + Arrays.toString(ms));
        }
        double[] src = matrix.raw(), dst = new double[src.length];
        int cols = l * r;
        for (int a = 0; a < l; a++) {
            for (int i = 0; i < in; i++) {
                System.arraycopy(src, i * cols + a * r, dst, (a * in + i) * r, r);
            }
        }
        return DenseTensor.wrap(dst, shape);
    }

    /**
     * n-mode product {@code Y = X x_n M} with M of shape {@code (J, I_n)} (tensorly {@code mode_dot}):
     * {@code Y[..., j, ...] = sum_i M[j, i] X[..., i, ...]}, mode n of Y has size J. Equivalently
     * {@code unfold(Y, n) = M unfold(X, n)}.
     */
    public static DenseTensor modeDot(DenseTensor x, DenseTensor matrix, int mode) {
        int[] ms = matrix.shape();
        int[] s = x.shape();
        x.checkMode(mode);
        if (ms.length != 2 || ms[1] != s[mode]) {
            throw new IllegalArgumentException("modeDot: matrix for mode " + mode + " of a tensor of shape " + Arrays.toString(s)
                    + " must be (J, " + s[mode] + "), found " + Arrays.toString(ms));
        }
        return DenseTensor.wrap(modeDot(x.raw(), s, matrix.raw(), ms[0], mode, false), withSize(s, mode, ms[0]));
    }

    /**
     * {@code X x_n M^T} for M of shape {@code (I_n, J)}: the projection onto the columns of M that Tucker
     * uses to form its core.
     */
    public static DenseTensor modeDotTransposed(DenseTensor x, DenseTensor matrix, int mode) {
        int[] ms = matrix.shape();
        int[] s = x.shape();
        x.checkMode(mode);
        if (ms.length != 2 || ms[0] != s[mode]) {
            throw new IllegalArgumentException("modeDotTransposed: matrix for mode " + mode + " of a tensor of shape " + Arrays.toString(s)
                    + " must be (" + s[mode] + ", J), found " + Arrays.toString(ms));
        }
        return DenseTensor.wrap(modeDot(x.raw(), s, matrix.raw(), ms[1], mode, true), withSize(s, mode, ms[1]));
    }

    /**
     * Y[l, j, r] = sum_i M[j, i] X[l, i, r] over the (L, I_n, R) view; with {@code transposed} the matrix
     * is stored as (I_n, J) and M[j, i] reads m[i * J + j].
     */
    static double[] modeDot(double[] x, int[] shape, double[] m, int j, int mode, boolean transposed) {
        int l = prod(shape, 0, mode), in = shape[mode], r = prod(shape, mode + 1, shape.length);
        double[] y = new double[l * j * r];
        for (int a = 0; a < l; a++) {
            for (int q = 0; q < j; q++) {
                int yo = (a * j + q) * r;
                for (int i = 0; i < in; i++) {
                    double c = transposed ? m[i * j + q] : m[q * in + i];
                    if (c == 0) continue;
                    int xo = (a * in + i) * r;
                    for (int t = 0; t < r; t++) y[yo + t] += c * x[xo + t];
                }
            }
        }
        return y;
    }

    /**
     * Khatri-Rao (column-wise Kronecker) product of matrices {@code (I_k, R)}: shape
     * {@code (prod I_k, R)} with row {@code i_0 I_1...I_{K-1} + ... + i_{K-1}} equal to
     * {@code A_0[i_0, :] * ... * A_{K-1}[i_{K-1}, :]} (tensorly {@code khatri_rao}). An empty list gives
     * the 1 x R matrix of ones.
     */
    public static DenseTensor khatriRao(List<DenseTensor> matrices, int rank) {
        int rows = 1;
        double[] acc = new double[rank];
        Arrays.fill(acc, 1);
        for (DenseTensor m : matrices) {
            int[] ms = m.shape();
            if (ms.length != 2 || ms[1] != rank) {
                throw new IllegalArgumentException("khatriRao: every matrix must have " + rank + " columns, found shape " + Arrays.toString(ms));
            }
            acc = khatriRao(acc, rows, m.raw(), ms[0], rank);
            rows *= ms[0];
        }
        return DenseTensor.wrap(acc, rows, rank);
    }

    static double[] khatriRao(double[] a, int ra, double[] b, int rb, int rank) {
        double[] out = new double[ra * rb * rank];
        for (int i = 0; i < ra; i++) {
            for (int j = 0; j < rb; j++) {
                int o = (i * rb + j) * rank;
                for (int r = 0; r < rank; r++) out[o + r] = a[i * rank + r] * b[j * rank + r];
            }
        }
        return out;
    }

    static int prod(int[] s, int from, int to) {
        int p = 1;
        for (int k = from; k < to; k++) p = Math.multiplyExact(p, s[k]);
        return p;
    }

    static int[] withSize(int[] s, int mode, int size) {
        int[] t = s.clone();
        t[mode] = size;
        return t;
    }
}
