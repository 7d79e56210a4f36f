package org.opforge.operators.wosno;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.opforge.solvers.Seeds;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.wos.WalkOnSpheres;
import org.opforge.tensor.Tensor;

class WosLabelSourceTest {
    private static final StarPoissonSet SET = StarPoissonSet.of(DataGeneration.generate("star-poisson",
            Map.of("geometry", "varying", "boundary_points", 6, "interior_points", 10), 3, 4, 1, null));

    @Test
    void labelsAreRunningMeansOfSeededWalksWithGOnTheBoundary() {
        WosLabelSource s = new WosLabelSource(SET, 8, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 1e-3, WosLabelSource.Refresh.ACCUMULATE, 11);
        float[] e1 = s.targets(1).toFloatArray();
        float[] e3 = s.targets(3).toFloatArray();
        assertEquals(24, s.walksPerPoint());
        float[] exact = SET.exact().toFloatArray();
        for (int i = 0; i < 3; i++) {
            WalkOnSpheres wos = SET.solver(i, 1e-3, 100_000);
            for (int p = 0; p < 16; p++) {
                int k = i * 16 + p;
                if (p < 6) {
                    assertEquals(exact[k], e3[k], 1e-6, "boundary label is g");
                    continue;
                }
                double x = SET.feature(i, p, 0);
                double y = SET.feature(i, p, 1);
                double sum = 0;
                for (int e = 0; e < 3; e++) {
                    long seed = Seeds.derive(Seeds.derive(Seeds.derive(11, i), p - 6), e);
                    double m = wos.estimate(x, y, 8, seed, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC).mean();
                    if (e == 0) assertEquals(m, e1[k], 1e-6);
                    sum += m;
                }
                assertEquals(sum / 3, e3[k], 1e-6);
            }
        }
        WosLabelSource fixed = new WosLabelSource(SET, 8, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 1e-3, WosLabelSource.Refresh.FIXED, 11);
        assertArrayEquals(e1, fixed.targets(1).toFloatArray());
        assertArrayEquals(e1, fixed.targets(5).toFloatArray());
        assertEquals(8, fixed.walksPerPoint());
    }

    @Test
    void labelsDoNotDependOnTheThreadCount() throws Exception {
        float[] many = new WosLabelSource(SET, 6, WalkOnSpheres.FirstStep.INDEPENDENT, 1e-3, WosLabelSource.Refresh.ACCUMULATE, 2).targets(2)
                .toFloatArray();
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            Tensor t = one.submit(() -> new WosLabelSource(SET, 6, WalkOnSpheres.FirstStep.INDEPENDENT, 1e-3, WosLabelSource.Refresh.ACCUMULATE, 2)
                    .targets(2)).get();
            assertArrayEquals(many, t.toFloatArray());
        } finally {
            one.shutdown();
        }
    }

    @Test
    void theExperimentTrainsThreeWaysAndReportsErrorsAndTimes() {
        String json = WosNoExperiment.run(WosNoExperiment.Options.parse("--ntrain", "8", "--ntest", "4", "--nb", "12", "--ni", "20", "--epochs", "2",
                "--batch", "4", "--walks", "4", "--set", "width=6", "--set", "modes=2", "--set", "latent=8", "--set", "radius=0.45",
                "--set", "gno_channels=4", "--set", "kernel_hidden=6", "--set", "projection_channels=8", "--set", "layers=1"));
        for (String key : new String[] {"\"wos\": {\"test\"", "\"exact\": {\"test\"", "\"pinn\": {\"test\"", "\"wos_s\"", "\"walks_final\": 8",
                "\"label_noise_epoch1_l2_interior\""}) {
            assertTrue(json.contains(key), key + " missing in " + json);
        }
        assertFalse(json.contains("null"), json);
    }
}
