package org.opforge.decomp;

import java.util.ArrayList;
import java.util.List;
import org.opforge.tensor.Rng;

/**
 * CP decomposition by alternating least squares (Kolda and Bader 2009, "Tensor decompositions and
 * applications", Fig. 3.3). For each mode n in turn, with the other factors fixed,
 * {@code U_n = argmin ||X_(n) - U_n (KR_{k != n} U_k)^T||}, whose normal equations are
 * {@code U_n V = M} with {@code V = hadamard_{k != n} U_k^T U_k} and the MTTKRP
 * {@code M = X_(n) KR_{k != n} U_k}; then the columns of U_n are normalized and their norms become the
 * weights. Sweeps stop when the relative error changes by less than the tolerance.
 */
public final class CpAls {
    private CpAls() {}

    public static DecompositionResult decompose(DenseTensor x, int rank, DecompositionOptions options) {
        if (rank < 1) throw new IllegalArgumentException("CP rank must be >= 1, found " + rank);
        int[] shape = x.shape();
        int n = shape.length;
        Rng rng = new Rng(options.seed());
        double[][] u = new double[n][];
        for (int k = 0; k < n; k++) u[k] = initialFactor(x, k, rank, options.cpInit(), rng);
        double[] w = new double[rank];
        java.util.Arrays.fill(w, 1);
        double norm = x.norm();
        if (norm == 0) {
            return DecompositionResult.of(x, toCp(new double[rank], u, shape, rank), 0, true);
        }
        double previous = Double.POSITIVE_INFINITY;
        int sweep = 0;
        boolean converged = false;
        while (sweep < options.maxIterations()) {
            sweep++;
            for (int m = 0; m < n; m++) {
                double[] v = gramHadamard(u, shape, rank, m);
                double[] mk = mttkrp(x, u, rank, m);
                double[] f = Matrices.solveRight(v, mk, shape[m], rank);
                normalizeColumns(f, shape[m], rank, w);
                u[m] = f;
            }
            double err = toCp(w, u, shape, rank).toTensor().relativeErrorTo(x);
            if (Math.abs(previous - err) < options.tolerance() || err < 1e-15) {
                converged = true;
                break;
            }
            previous = err;
        }
        return DecompositionResult.of(x, toCp(w, u, shape, rank), sweep, converged);
    }

    private static CpTensor toCp(double[] w, double[][] u, int[] shape, int rank) {
        List<DenseTensor> f = new ArrayList<>();
        for (int k = 0; k < shape.length; k++) f.add(DenseTensor.of(u[k], shape[k], rank));
        return new CpTensor(w, f);
    }

    private static double[] initialFactor(DenseTensor x, int mode, int rank, DecompositionOptions.CpInit init, Rng rng) {
        int rows = x.size(mode);
        if (init == DecompositionOptions.CpInit.SVD) {
            DenseTensor unf = TensorAlgebra.unfold(x, mode);
            return Matrices.leadingLeftVectors(unf.raw(), rows, unf.shape()[1], rank, rng);
        }
        double[] f = new double[rows * rank];
        long c = rng.advance(f.length);
        for (int i = 0; i < f.length; i++) f[i] = Rng.normal(rng.seed(), c + i);
        return f;
    }

    /** V = hadamard over k != mode of U_k^T U_k (R x R). */
    private static double[] gramHadamard(double[][] u, int[] shape, int rank, int mode) {
        double[] v = new double[rank * rank];
        java.util.Arrays.fill(v, 1);
        for (int k = 0; k < shape.length; k++) {
            if (k == mode) continue;
            double[] g = Matrices.mulTransA(u[k], u[k], shape[k], rank, rank);
            for (int i = 0; i < v.length; i++) v[i] *= g[i];
        }
        return v;
    }

    /**
     * M[i, r] = sum_{l, t} X[l, i, t] KL[l, r] KR[t, r] over the (L, I_n, T) view of X, where KL and KR are
     * the Khatri-Rao products of the factors before and after the mode: first the GEMM
     * {@code W_l = X[l] KR} per leading index, then the weighted sum over l. Costs about 2 numel R flops
     * instead of forming the full Khatri-Rao product of all other factors.
     */
    static double[] mttkrp(DenseTensor x, double[][] u, int rank, int mode) {
        int[] s = x.shape();
        int l = TensorAlgebra.prod(s, 0, mode), in = s[mode], t = TensorAlgebra.prod(s, mode + 1, s.length);
        double[] kl = new double[rank], kr = new double[rank];
        java.util.Arrays.fill(kl, 1);
        java.util.Arrays.fill(kr, 1);
        int rowsL = 1, rowsR = 1;
        for (int k = 0; k < mode; k++) {
            kl = TensorAlgebra.khatriRao(kl, rowsL, u[k], s[k], rank);
            rowsL *= s[k];
        }
        for (int k = mode + 1; k < s.length; k++) {
            kr = TensorAlgebra.khatriRao(kr, rowsR, u[k], s[k], rank);
            rowsR *= s[k];
        }
        double[] data = x.raw();
        double[] m = new double[in * rank];
        double[] block = new double[in * t];
        for (int a = 0; a < l; a++) {
            System.arraycopy(data, a * in * t, block, 0, in * t);
            double[] wl = Matrices.mul(block, kr, in, t, rank);
            for (int i = 0; i < in; i++) {
                for (int r = 0; r < rank; r++) m[i * rank + r] += kl[a * rank + r] * wl[i * rank + r];
            }
        }
        return m;
    }

    /** Divides each column by its norm, storing the norm in {@code w}; zero columns keep weight 0. */
    private static void normalizeColumns(double[] f, int rows, int rank, double[] w) {
        for (int r = 0; r < rank; r++) {
            double s = 0;
            for (int i = 0; i < rows; i++) s += f[i * rank + r] * f[i * rank + r];
            s = Math.sqrt(s);
            w[r] = s;
            if (s > 0) for (int i = 0; i < rows; i++) f[i * rank + r] /= s;
        }
    }
}
