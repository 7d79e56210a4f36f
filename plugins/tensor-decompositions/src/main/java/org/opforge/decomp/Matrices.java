package org.opforge.decomp;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.opforge.tensor.Rng;

/**
 * Row-major dense matrix kernels for the decompositions. A matrix is a {@code double[]} of
 * {@code rows * cols} values; the SVD and linear solves are Hipparchus'.
 */
final class Matrices {
    private Matrices() {}

    /** C (m x n) = A (m x k) B (k x n). */
    static double[] mul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int p = 0; p < k; p++) {
                double x = a[i * k + p];
                if (x == 0) continue;
                int bp = p * n;
                for (int j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
            }
        }
        return c;
    }

    /** C (m x n) = A (m x k) B^T where B is (n x k). */
    static double[] mulTransB(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /** C (k x n) = A^T B where A is (m x k) and B (m x n). */
    static double[] mulTransA(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[k * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = a[i * k + p];
                if (x == 0) continue;
                int cp = p * n, bi = i * n;
                for (int j = 0; j < n; j++) c[cp + j] += x * b[bi + j];
            }
        }
        return c;
    }

    static double[] transpose(double[] a, int m, int n) {
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
        return t;
    }

    static RealMatrix toMatrix(double[] a, int m, int n) {
        double[][] rows = new double[m][n];
        for (int i = 0; i < m; i++) System.arraycopy(a, i * n, rows[i], 0, n);
        return new Array2DRowRealMatrix(rows, false);
    }

    static double[] fromMatrix(RealMatrix a, int m, int cols) {
        double[] out = new double[m * cols];
        for (int i = 0; i < m; i++) for (int j = 0; j < cols; j++) out[i * cols + j] = a.getEntry(i, j);
        return out;
    }

    /**
     * Thin SVD A = U diag(s) V^T of an m x n matrix, singular values in decreasing order. U is m x p and
     * V is n x p with p = min(m, n), both row-major.
     */
    record Svd(double[] u, double[] s, double[] v, int m, int n, int p) {
        /** The first {@code k} columns of U (m x k). */
        double[] leftVectors(int k) {
            double[] out = new double[m * k];
            for (int i = 0; i < m; i++) System.arraycopy(u, i * p, out, i * k, k);
            return out;
        }

        /** diag(s_1..s_k) V_k^T (k x n): what remains of A after projecting on the first k left vectors. */
        double[] scaledRightTransposed(int k) {
            double[] out = new double[k * n];
            for (int r = 0; r < k; r++) for (int j = 0; j < n; j++) out[r * n + j] = s[r] * v[j * p + r];
            return out;
        }
    }

    static Svd svd(double[] a, int m, int n) {
        // Hipparchus transposes internally when m < n; its U is m x p and V is n x p
        SingularValueDecomposition d = new SingularValueDecomposition(toMatrix(a, m, n));
        int p = Math.min(m, n);
        return new Svd(fromMatrix(d.getU(), m, p), d.getSingularValues(), fromMatrix(d.getV(), n, p), m, n, p);
    }

    /**
     * The leading {@code k} left singular vectors of an m x n matrix (m x k). When k exceeds min(m, n)
     * the missing columns are random unit vectors, as tensorly's svd initialization does.
     */
    static double[] leadingLeftVectors(double[] a, int m, int n, int k, Rng rng) {
        Svd d = svd(a, m, n);
        if (k <= d.p()) return d.leftVectors(k);
        double[] out = new double[m * k];
        double[] u = d.leftVectors(d.p());
        for (int i = 0; i < m; i++) System.arraycopy(u, i * d.p(), out, i * k, d.p());
        for (int r = d.p(); r < k; r++) {
            double norm = 0;
            for (int i = 0; i < m; i++) {
                double x = Rng.normal(rng.seed(), rng.advance(1));
                out[i * k + r] = x;
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) out[i * k + r] /= norm;
        }
        return out;
    }

    /**
     * Solves X G = B for X (m x r) with G symmetric r x r (the normal equations of CP-ALS), by LU, or
     * by the SVD pseudo-inverse when G is singular (a factor with a vanishing column).
     */
    static double[] solveRight(double[] g, double[] b, int m, int r) {
        RealMatrix gm = toMatrix(g, r, r);
        DecompositionSolver solver = new LUDecomposition(gm, 1e-13).getSolver();
        if (!solver.isNonSingular()) solver = new SingularValueDecomposition(gm).getSolver();
        // X G = B  <=>  G^T X^T = B^T, and G is symmetric
        RealMatrix xt = solver.solve(toMatrix(transpose(b, m, r), r, m));
        return transpose(fromMatrix(xt, r, m), r, m);
    }
}
