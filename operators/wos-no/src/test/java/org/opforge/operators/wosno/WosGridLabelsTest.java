package org.opforge.operators.wosno;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.solvers.Seeds;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.wos.WalkOnSpheres;

/** Online Walk-on-Spheres labels at the inside nodes of a masked star-poisson grid. */
class WosGridLabelsTest {
    private static final int RES = 12;
    private static final StarPoissonGrid GRID = StarPoissonGrid.of(DataGeneration.generate("star-poisson",
            Map.of("layout", "grid", "geometry", "varying", "resolution", RES, "boundary_points", 32), 3, 8, 1, null));

    @Test
    void insideNodesGetSeededRunningMeansAndOutsideNodesZero() {
        WosLabelSource s = WosLabelSource.onGrid(GRID, 4, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 1e-3, WosLabelSource.Refresh.ACCUMULATE, 3);
        float[] e1 = s.targets(1).toFloatArray();
        float[] e2 = s.targets(2).toFloatArray();
        assertArrayEquals(new int[] {3, RES, RES}, s.targets(2).shape());
        float[] mask = GRID.mask().toFloatArray();
        for (int i = 0; i < 3; i++) {
            int[] inside = GRID.insideNodes(i);
            assertTrue(inside.length > RES, "sample " + i + " has " + inside.length + " inside nodes");
            WalkOnSpheres wos = GRID.solver(i, 1e-3, 100_000);
            for (int q = 0; q < RES * RES; q++) {
                int k = i * RES * RES + q;
                if (mask[k] == 0) {
                    assertEquals(0f, e2[k], "outside node " + q + " of sample " + i);
                }
            }
            // node p of the label source is the p-th inside node: its walks are seeded by (sample, p, refresh)
            for (int p : new int[] {0, inside.length / 2, inside.length - 1}) {
                int q = inside[p];
                double x = GRID.coordinate(q % RES), y = GRID.coordinate(q / RES);
                double m0 = wos.estimate(x, y, 4, Seeds.derive(Seeds.derive(Seeds.derive(3, i), p), 0), WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC).mean();
                double m1 = wos.estimate(x, y, 4, Seeds.derive(Seeds.derive(Seeds.derive(3, i), p), 1), WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC).mean();
                assertEquals(m0, e1[i * RES * RES + q], 1e-6);
                assertEquals((m0 + m1) / 2, e2[i * RES * RES + q], 1e-6);
            }
        }
    }

    @Test
    void labelsAreUnbiasedAndConvergeToTheExactSolutionAtInsideNodes() {
        WosLabelSource s = WosLabelSource.onGrid(GRID, 4, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 1e-3, WosLabelSource.Refresh.ACCUMULATE, 5);
        float[] exact = GRID.exact().toFloatArray();
        float[] mask = GRID.mask().toFloatArray();
        double[] first = errors(s.targets(1).toFloatArray(), exact, mask);
        double[] late = errors(s.targets(16).toFloatArray(), exact, mask);
        assertEquals(64, s.walksPerPoint());
        // RMS error falls as 1/sqrt(K): 16 times the walks, a quarter of the error (0.4 leaves room for the noise of the estimate)
        assertTrue(late[1] < 0.4 * first[1], "RMS error after 4 walks " + first[1] + ", after 64 " + late[1]);
        // no bias: the mean error over all inside nodes is within 3 standard errors of 0 (errors independent across nodes)
        double se = late[1] / Math.sqrt(late[2]);
        assertTrue(Math.abs(late[0]) < 3 * se, "mean error " + late[0] + " against its standard error " + se);
        assertTrue(late[1] < 0.1, "RMS error after 64 walks " + late[1]);
    }

    /** {mean error, RMS error, count} over the inside nodes. */
    private static double[] errors(float[] labels, float[] exact, float[] mask) {
        double sum = 0, sq = 0;
        int n = 0;
        for (int k = 0; k < labels.length; k++) {
            if (mask[k] == 0) continue;
            double d = labels[k] - exact[k];
            sum += d;
            sq += d * d;
            n++;
        }
        return new double[] {sum / n, Math.sqrt(sq / n), n};
    }
}
