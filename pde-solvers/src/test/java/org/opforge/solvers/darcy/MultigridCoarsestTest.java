package org.opforge.solvers.darcy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.MatrixUtils;
import org.junit.jupiter.api.Test;

/**
 * The coarsest level's exact solve takes the Galerkin operator as the symmetric matrix it is in exact
 * arithmetic: a pair of couplings that cancelled to 0 on one side and to a subnormal on the other (what a
 * 10,000-field piecewise-constant Darcy generation met) made Cholesky refuse the matrix as non symmetric.
 */
class MultigridCoarsestTest {

    /** The 5-point Laplacian on an n x n grid of unknowns (zero Dirichlet around it), as a 9-point stencil. */
    private static Stencil9 laplacian(int n) {
        Stencil9 a = new Stencil9(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int row = i * n + j;
                a.s[9 * row + 4] = 4;
                if (i > 0) a.s[9 * row + 1] = -1;
                if (i < n - 1) a.s[9 * row + 7] = -1;
                if (j > 0) a.s[9 * row + 3] = -1;
                if (j < n - 1) a.s[9 * row + 5] = -1;
            }
        }
        return a;
    }

    @Test void couplingsThatCancelToAnUlpOnOneSideAreStillSolved() {
        int n = 3;
        Stencil9 a = laplacian(n);
        // the diagonal couplings of unknowns 0 and 4: exactly 0 from one side, a subnormal from the other
        a.s[9 * 4 + 0] = Double.MIN_VALUE * 7;
        DecompositionSolver solver = MultigridSolver.dense(a);
        double[] u = new double[n * n];
        for (int k = 0; k < u.length; k++) u[k] = Math.sin(k + 1.0);
        double[] f = new double[n * n];
        laplacian(n).apply(u, f);
        double[] x = solver.solve(MatrixUtils.createRealVector(f)).toArray();
        for (int k = 0; k < u.length; k++) assertEquals(u[k], x[k], 1e-12, "unknown " + k);
    }
}
