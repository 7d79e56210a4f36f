package org.opforge.solvers.darcy;

import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.opforge.meshes.MultigridHierarchy;

/**
 * Galerkin geometric multigrid for a symmetric positive definite 5- or 9-point operator on a
 * square interior grid, used alone (V-cycle iteration) or as the preconditioner of conjugate
 * gradients.
 *
 * <p>Levels follow {@link MultigridHierarchy#dirichlet}: the transfers are its bilinear
 * prolongation {@code P} and restriction {@code P^T}, and each coarse operator is
 * {@code A_c = P^T A P}, so coefficient jumps are seen by every level through the fine operator.
 * A V(ν,ν)-cycle smooths with ν forward lexicographic Gauss-Seidel sweeps before the coarse
 * correction and ν backward sweeps after it, and solves the coarsest level exactly (Cholesky):
 * that cycle is a symmetric positive definite operator, as preconditioned CG requires.
 * One solver instance belongs to one thread (it owns work vectors).
 */
public final class MultigridSolver {
    /** How {@link #solve} iterates. */
    public enum Method {
        /** Conjugate gradients preconditioned by one V-cycle per iteration. */
        PCG,
        /** Stationary V-cycle iteration. */
        MULTIGRID
    }

    private final MultigridHierarchy hierarchy;
    private final Stencil9[] ops;
    private final double[][] u;
    private final double[][] f;
    private final double[][] r;
    private final DecompositionSolver coarsest;
    private final int sweeps;

    /**
     * @param fine the fine-level operator (square interior grid)
     * @param sweeps smoothing sweeps before and after the coarse correction (at least 1)
     */
    MultigridSolver(Stencil9 fine, int sweeps) {
        if (fine.nx != fine.ny) {
            throw new IllegalArgumentException("multigrid expects a square interior grid, got " + fine.nx + "x" + fine.ny);
        }
        if (sweeps < 1) {
            throw new IllegalArgumentException("smoothing sweeps must be at least 1, got " + sweeps);
        }
        this.sweeps = sweeps;
        hierarchy = MultigridHierarchy.dirichlet(new int[] {fine.nx, fine.ny}, 3);
        int levels = hierarchy.levels();
        ops = new Stencil9[levels];
        ops[0] = fine;
        for (int l = 1; l < levels; l++) {
            ops[l] = galerkin(ops[l - 1]);
        }
        u = new double[levels][];
        f = new double[levels][];
        r = new double[levels][];
        for (int l = 0; l < levels; l++) {
            int size = ops[l].size();
            u[l] = new double[size];
            f[l] = new double[size];
            r[l] = new double[size];
        }
        coarsest = dense(ops[levels - 1]);
    }

    /** A solver for the Darcy matrix with V(1,1) cycles. */
    public static MultigridSolver forDarcy(DarcyDiscretization d) {
        return new MultigridSolver(d.matrix(), 1);
    }

    public int levels() {
        return ops.length;
    }

    /**
     * Solves {@code A x = b} to {@code ||b - A x|| <= tol ||b||}.
     *
     * @param x initial guess on entry, solution on exit
     * @param maxIterations iteration cap; exceeding it is reported in the result, not thrown
     */
    public Result solve(double[] b, double[] x, Method method, double tol, int maxIterations) {
        int n = ops[0].size();
        if (b.length != n || x.length != n) {
            throw new IllegalArgumentException("expected vectors of length " + n + ", got b=" + b.length + ", x=" + x.length);
        }
        if (!(tol > 0)) {
            throw new IllegalArgumentException("tolerance must be positive, got " + tol);
        }
        return method == Method.PCG ? pcg(b, x, tol, maxIterations) : vcycles(b, x, tol, maxIterations);
    }

    private Result vcycles(double[] b, double[] x, double tol, int maxIterations) {
        Stencil9 a = ops[0];
        double[] res = new double[b.length];
        double bnorm = norm(b);
        if (bnorm == 0) {
            java.util.Arrays.fill(x, 0);
            return new Result(0, 0, true);
        }
        a.residual(x, b, res);
        double rel = norm(res) / bnorm;
        int it = 0;
        while (rel > tol && it < maxIterations) {
            // x += V(res): the cycle approximates A^{-1} res
            double[] corr = precondition(res);
            for (int i = 0; i < x.length; i++) {
                x[i] += corr[i];
            }
            a.residual(x, b, res);
            rel = norm(res) / bnorm;
            it++;
        }
        return new Result(it, rel, rel <= tol);
    }

    private Result pcg(double[] b, double[] x, double tol, int maxIterations) {
        Stencil9 a = ops[0];
        int n = b.length;
        double[] res = new double[n];
        double[] p = new double[n];
        double[] ap = new double[n];
        double bnorm = norm(b);
        if (bnorm == 0) {
            java.util.Arrays.fill(x, 0);
            return new Result(0, 0, true);
        }
        a.residual(x, b, res);
        double rel = norm(res) / bnorm;
        if (rel <= tol) {
            return new Result(0, rel, true);
        }
        double[] z = precondition(res).clone();
        System.arraycopy(z, 0, p, 0, n);
        double rz = dot(res, z);
        int it = 0;
        while (it < maxIterations) {
            a.apply(p, ap);
            double alpha = rz / dot(p, ap);
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                res[i] -= alpha * ap[i];
            }
            it++;
            rel = norm(res) / bnorm;
            if (rel <= tol) {
                break;
            }
            z = precondition(res);
            double rzNew = dot(res, z);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 0; i < n; i++) {
                p[i] = z[i] + beta * p[i];
            }
        }
        return new Result(it, rel, rel <= tol);
    }

    /** One V-cycle applied to {@code rhs} from a zero guess; returns the finest work vector (overwritten by the next call). */
    private double[] precondition(double[] rhs) {
        System.arraycopy(rhs, 0, f[0], 0, rhs.length);
        java.util.Arrays.fill(u[0], 0);
        cycle(0);
        return u[0];
    }

    private void cycle(int l) {
        if (l == ops.length - 1) {
            double[] sol = coarsest.solve(MatrixUtils.createRealVector(f[l])).toArray();
            System.arraycopy(sol, 0, u[l], 0, sol.length);
            return;
        }
        Stencil9 a = ops[l];
        for (int s = 0; s < sweeps; s++) {
            a.gaussSeidel(u[l], f[l], true);
        }
        a.residual(u[l], f[l], r[l]);
        hierarchy.restrict(l, r[l], f[l + 1]);
        java.util.Arrays.fill(u[l + 1], 0);
        cycle(l + 1);
        hierarchy.prolongAdd(l, u[l + 1], u[l]);
        for (int s = 0; s < sweeps; s++) {
            a.gaussSeidel(u[l], f[l], false);
        }
    }

    /**
     * {@code P^T A P} with the 1-D interpolation of {@link MultigridHierarchy} in each direction: fine
     * interior index {@code a} (0-based) takes coarse {@code a/2} with weight 1 when {@code a} is odd, and
     * coarse {@code a/2 - 1}, {@code a/2} with weight 1/2 each when it is even (missing ones are boundary).
     */
    private static Stencil9 galerkin(Stencil9 fine) {
        int m = fine.nx;
        int mc = m / 2;
        Stencil9 coarse = new Stencil9(mc, mc);
        int[] ci = new int[2];
        double[] wi = new double[2];
        int[] cj = new int[2];
        double[] wj = new double[2];
        int[] qi = new int[2];
        double[] vi = new double[2];
        int[] qj = new int[2];
        double[] vj = new double[2];
        for (int i = 0; i < m; i++) {
            int ni = weights(i, mc, ci, wi);
            for (int j = 0; j < m; j++) {
                int nj = weights(j, mc, cj, wj);
                int p = i * m + j;
                for (int o = 0; o < 9; o++) {
                    double apq = fine.s[9 * p + o];
                    if (apq == 0) {
                        continue;
                    }
                    int qi0 = i + o / 3 - 1;
                    int qj0 = j + o % 3 - 1;
                    int mi = weights(qi0, mc, qi, vi);
                    int mj = weights(qj0, mc, qj, vj);
                    for (int a1 = 0; a1 < ni; a1++) {
                        for (int a2 = 0; a2 < nj; a2++) {
                            int row = ci[a1] * mc + cj[a2];
                            double w = wi[a1] * wj[a2] * apq;
                            for (int b1 = 0; b1 < mi; b1++) {
                                for (int b2 = 0; b2 < mj; b2++) {
                                    int di = qi[b1] - ci[a1];
                                    int dj = qj[b2] - cj[a2];
                                    coarse.s[9 * row + 3 * (di + 1) + (dj + 1)] += w * vi[b1] * vj[b2];
                                }
                            }
                        }
                    }
                }
            }
        }
        return coarse;
    }

    /** Coarse neighbours of fine interior index {@code a} and their interpolation weights; returns how many. */
    private static int weights(int a, int mc, int[] idx, double[] w) {
        if ((a & 1) == 1) {
            idx[0] = a >> 1;
            w[0] = 1;
            return 1;
        }
        int k = a >> 1;
        int count = 0;
        if (k >= 1) {
            idx[count] = k - 1;
            w[count++] = 0.5;
        }
        if (k <= mc - 1) {
            idx[count] = k;
            w[count++] = 0.5;
        }
        return count;
    }

    /**
     * The coarsest operator as a dense matrix, factored by Cholesky. It is symmetrized first, (A + A^T) / 2: the
     * Galerkin products P^T A P sum the two halves of a pair in different orders, and where a pair of entries
     * cancels to almost nothing one may come out 0 and the other a few ulps, which Cholesky's relative symmetry
     * test (tolerance times the larger entry) refused as "non symmetric" (a 10,000-field generation of
     * piecewise-constant Darcy stopped at one such field).
     */
    static DecompositionSolver dense(Stencil9 a) {
        int n = a.size();
        RealMatrix m = MatrixUtils.createRealMatrix(n, n);
        double[] e = new double[n];
        double[] col = new double[n];
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(e, 0);
            e[j] = 1;
            a.apply(e, col);
            for (int i = 0; i < n; i++) {
                m.setEntry(i, j, col[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = 0.5 * (m.getEntry(i, j) + m.getEntry(j, i));
                m.setEntry(i, j, v);
                m.setEntry(j, i, v);
            }
        }
        return new CholeskyDecomposition(m, 1e-10, 0).getSolver();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Outcome of a solve: iterations taken, final relative residual, whether the tolerance was met. */
    public record Result(int iterations, double relativeResidual, boolean converged) {
    }
}
