package org.opforge.operators.wosno;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.solvers.Seeds;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
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

    /**
     * Training and test files of the point layout (another generator's draws, such as the peer's) run the same
     * experiment: files holding this generator's own draws give the same errors to the last digit.
     */
    @Test
    void filesOfTheSameDrawsGiveTheSameRun(@TempDir Path dir) {
        String[] small = {"--ntrain", "8", "--ntest", "4", "--nb", "12", "--ni", "20", "--epochs", "2", "--batch", "4", "--walks", "4",
            "--modes", "wos,exact", "--seed", "3", "--set", "width=6", "--set", "modes=2", "--set", "latent=8", "--set", "radius=0.45",
            "--set", "gno_channels=4", "--set", "kernel_hidden=6", "--set", "projection_channels=8", "--set", "layers=1"};
        WosNoExperiment.Options o = WosNoExperiment.Options.parse(small);
        Path train = dir.resolve("train.h5"), test = dir.resolve("test.h5");
        write(train, WosNoExperiment.generated(o, 8, 3));
        write(test, WosNoExperiment.generated(o, 4, 3 + 1_000_003L));
        String generated = WosNoExperiment.run(o);
        String[] withFiles = java.util.Arrays.copyOf(small, small.length + 4);
        System.arraycopy(new String[] {"--train-file", train.toString(), "--test-file", test.toString()}, 0, withFiles, small.length, 4);
        String fromFiles = WosNoExperiment.run(WosNoExperiment.Options.parse(withFiles));
        assertEquals(errors(generated), errors(fromFiles));
        assertEquals(4, errors(generated).size(), generated);

        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> WosNoExperiment.Options.parse("--train-file", train.toString()));
        assertTrue(alone.getMessage().contains("--test-file"), alone.getMessage());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class, () -> WosNoExperiment.run(WosNoExperiment.Options.parse(
                "--ntrain", "9", "--train-file", train.toString(), "--test-file", test.toString(), "--modes", "exact")));
        assertTrue(tooFew.getMessage().contains("train.h5") && tooFew.getMessage().contains("at least 9"), tooFew.getMessage());
    }

    private static java.util.List<String> errors(String json) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(l2|l2_interior)\": ([-0-9.eE]+)").matcher(json);
        while (m.find()) out.add(m.group(0));
        return out;
    }

    private static void write(Path file, GeneratedData data) {
        Map<String, Tensor> fields = new java.util.LinkedHashMap<>();
        for (GeneratedData.Field f : data.fields()) fields.put(f.name(), Tensor.of(f.data(), f.shape()));
        DatasetSource.find().write(file, new DatasetContent(fields, Map.of(), data.attributes(), false));
    }
}
