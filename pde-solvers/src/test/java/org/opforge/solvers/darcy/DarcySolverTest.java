package org.opforge.solvers.darcy;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DarcySolverTest {

    /** Manufactured solution u = sin(πx) sin(πy) with the smooth coefficient a = 1 + x + 2y². */
    private static double[] maxErrorAndIterations(int n, MultigridSolver.Method method) {
        double h = 1.0 / (n - 1);
        double[] a = new double[n * n];
        double[] f = new double[n * n];
        double[] exact = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = i * h;
                double y = j * h;
                double aa = 1 + x + 2 * y * y;
                double ax = 1;
                double ay = 4 * y;
                double u = Math.sin(Math.PI * x) * Math.sin(Math.PI * y);
                double ux = Math.PI * Math.cos(Math.PI * x) * Math.sin(Math.PI * y);
                double uy = Math.PI * Math.sin(Math.PI * x) * Math.cos(Math.PI * y);
                a[i * n + j] = aa;
                f[i * n + j] = -(ax * ux + ay * uy) + 2 * Math.PI * Math.PI * aa * u;
                exact[i * n + j] = u;
            }
        }
        DarcySolver.Solution s = new DarcySolver(method, 1e-12, 200).solve(n, a, f);
        double err = 0;
        for (int p = 0; p < n * n; p++) {
            err = Math.max(err, Math.abs(s.u()[p] - exact[p]));
        }
        return new double[] {err, s.iterations()};
    }

    @Test
    void smoothCoefficientConvergesAtSecondOrder() {
        int[] sizes = {17, 33, 65, 129};
        double[] errors = new double[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            double[] r = maxErrorAndIterations(sizes[k], MultigridSolver.Method.PCG);
            errors[k] = r[0];
            assertTrue(r[1] <= 20, "PCG took " + r[1] + " iterations at " + sizes[k]);
        }
        for (int k = 1; k < sizes.length; k++) {
            double order = Math.log(errors[k - 1] / errors[k]) / Math.log(2);
            assertEquals(2.0, order, 0.15, "observed order between " + sizes[k - 1] + " and " + sizes[k] + ": errors "
                    + java.util.Arrays.toString(errors));
        }
    }

    @Test
    void plainMultigridAgreesWithPcgOnNonPowerOfTwoGrids() {
        for (int n : new int[] {64, 50}) {
            double[] pcg = maxErrorAndIterations(n, MultigridSolver.Method.PCG);
            double[] mg = maxErrorAndIterations(n, MultigridSolver.Method.MULTIGRID);
            assertEquals(pcg[0], mg[0], 1e-9 + 1e-6 * pcg[0]);
            assertTrue(mg[1] <= 40, "V-cycles: " + mg[1]);
        }
    }

    @Test
    void jumpingCoefficientSolvesQuicklyAndMatrixIsSymmetric() {
        int n = 64;
        double[] a = new double[n * n];
        double[] f = new double[n * n];
        java.util.Random r = new java.util.Random(1);
        for (int p = 0; p < a.length; p++) {
            a[p] = r.nextBoolean() ? 12 : 3;
            f[p] = 1;
        }
        DarcySolver.Solution s = DarcySolver.defaults().solve(n, a, f);
        assertTrue(s.iterations() < 30, "iterations " + s.iterations());
        DarcyDiscretization d = new DarcyDiscretization(n, a, f);
        DarcyDiscretization.Coo coo = d.toCoo();
        java.util.Map<Long, Double> entries = new java.util.HashMap<>();
        for (int k = 0; k < coo.values().length; k++) {
            entries.put((long) coo.rows()[k] * coo.size() + coo.cols()[k], coo.values()[k]);
        }
        for (int k = 0; k < coo.values().length; k++) {
            assertEquals(coo.values()[k], entries.get((long) coo.cols()[k] * coo.size() + coo.rows()[k]), 1e-15);
        }
        // residual of the returned solution in the discrete system
        double[] interior = new double[d.unknowns()];
        for (int i = 1; i < n - 1; i++) {
            System.arraycopy(s.u(), i * n + 1, interior, (i - 1) * (n - 2), n - 2);
        }
        double[] au = new double[interior.length];
        d.apply(interior, au);
        double[] b = d.rhs();
        double num = 0;
        double den = 0;
        for (int p = 0; p < b.length; p++) {
            num += (au[p] - b[p]) * (au[p] - b[p]);
            den += b[p] * b[p];
        }
        assertTrue(Math.sqrt(num / den) < 1e-9);
    }

    @Test
    void badInputsAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DarcyDiscretization(2, new double[4], new double[4]));
        assertTrue(e.getMessage().contains("resolution"));
        double[] a = new double[9];
        java.util.Arrays.fill(a, 1);
        a[4] = -1;
        e = assertThrows(IllegalArgumentException.class, () -> new DarcyDiscretization(3, a, new double[9]));
        assertTrue(e.getMessage().contains("(1, 1)"), e.getMessage());
    }
}
