package org.opforge.decomp.factorized;

import java.util.Arrays;
import java.util.List;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/**
 * Differentiable building blocks of the factorized weights, written only with tensor ops that record
 * their gradients (reshape, permute, transpose, matmul, mul), so they work for real and complex dtypes
 * and on any device.
 */
public final class Contractions {
    private Contractions() {}

    /**
     * n-mode product {@code Y = T x_n M} with M of shape {@code (J, I_n)} (tensorly {@code mode_dot}):
     * mode n is moved last, the tensor is viewed as a {@code (prod others, I_n)} matrix, multiplied by
     * {@code M^T}, and the axes are moved back.
     */
    public static Tensor modeDot(Tensor t, Tensor m, int mode) {
        int[] s = t.shape();
        int n = s.length;
        if (mode < 0 || mode >= n) throw new IllegalArgumentException("modeDot: mode " + mode + " out of range for shape " + Arrays.toString(s));
        int[] ms = m.shape();
        if (ms.length != 2 || ms[1] != s[mode]) {
            throw new IllegalArgumentException("modeDot: matrix for mode " + mode + " of shape " + Arrays.toString(s)
                    + " must be (J, " + s[mode] + "), found " + Arrays.toString(ms));
        }
        int[] perm = new int[n];
        int[] inverse = new int[n];
        int[] moved = new int[n];
        for (int i = 0, j = 0; i < n; i++) if (i != mode) perm[j++] = i;
        perm[n - 1] = mode;
        for (int i = 0; i < n; i++) {
            inverse[perm[i]] = i;
            moved[i] = s[perm[i]];
        }
        moved[n - 1] = ms[0];
        Tensor y = t.permute(perm).reshape(-1, s[mode]).matmul(m.transpose(0, 1));
        return y.reshape(moved).permute(inverse);
    }

    /**
     * Khatri-Rao product of matrices {@code (I_k, R)}: {@code (prod I_k, R)}, row index in C order over
     * the matrices (tensorly {@code khatri_rao}); an empty list gives a {@code (1, R)} tensor of ones.
     */
    public static Tensor khatriRao(List<Tensor> matrices, int rank, DType dtype, org.opforge.tensor.Device device) {
        if (matrices.isEmpty()) return Tensor.full(dtype, device, 1, 1, rank);
        Tensor acc = matrices.get(0);
        for (int k = 1; k < matrices.size(); k++) {
            Tensor m = matrices.get(k);
            int rows = acc.size(0), mk = m.size(0);
            acc = acc.reshape(rows, 1, rank).mul(m.reshape(1, mk, rank)).reshape(rows * mk, rank);
        }
        return acc;
    }

    /**
     * Reference channel mixing with a dense weight: {@code y[b, o, m] = sum_i x[b, i, m] W[i, o, m]},
     * as one batched matrix product over the flattened modes m: {@code (M, B, I) @ (M, I, O)}.
     */
    public static Tensor contractDense(Tensor x, Tensor w) {
        int[] ws = w.shape();
        Shape sh = Shape.check(x, ws);
        Tensor xr = x.reshape(sh.b, sh.in, sh.m).permute(2, 0, 1);
        Tensor wr = w.reshape(sh.in, sh.out, sh.m).permute(2, 0, 1);
        return xr.matmul(wr).permute(1, 2, 0).reshape(sh.outShape);
    }

    /** Sizes of a contraction of x (B, I, modes) with a weight (I, O, modes). */
    static final class Shape {
        final int b, in, out, m;
        final int[] outShape;

        private Shape(int b, int in, int out, int m, int[] outShape) {
            this.b = b;
            this.in = in;
            this.out = out;
            this.m = m;
            this.outShape = outShape;
        }

        static Shape check(Tensor x, int[] weightShape) {
            int[] xs = x.shape();
            if (weightShape.length < 2) {
                throw new IllegalArgumentException("contract: the weight must be (I, O, modes...), found shape " + Arrays.toString(weightShape));
            }
            boolean ok = xs.length == weightShape.length && xs[1] == weightShape[0];
            for (int k = 2; ok && k < xs.length; k++) ok = xs[k] == weightShape[k];
            if (!ok) {
                throw new IllegalArgumentException("contract: input must be (B, " + weightShape[0] + ", "
                        + Arrays.toString(Arrays.copyOfRange(weightShape, 2, weightShape.length)).replaceAll("[\\[\\]]", "")
                        + ") for a weight of shape " + Arrays.toString(weightShape) + ", found " + Arrays.toString(xs));
            }
            int m = 1;
            for (int k = 2; k < xs.length; k++) m *= xs[k];
            int[] out = xs.clone();
            out[1] = weightShape[1];
            return new Shape(xs[0], xs[1], weightShape[1], m, out);
        }
    }
}
