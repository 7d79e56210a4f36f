package org.opforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.config.Config;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.cli.bench.RunConfig;
import org.opforge.cli.bench.RunData;
import org.opforge.cli.bench.TestFiles;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/** invert's observations, its refusal of operators without an inverse, and reading physics-only training data. */
class InvertCommandTest {
    @TempDir Path dir;

    @Test
    void observationsAreDistinctInteriorNodesWithNoiseAtTheSnr() {
        int n = 17, b = 3, m = 100;
        Tensor u = Tensor.rand(new Rng(1), DType.FLOAT32, Device.CPU, 1, 2, b, n, n);
        Tensor[] o = InvertCommand.observe(u, m, 25, 7);
        assertArrayEquals(new int[] {m, 2}, o[0].shape());
        assertArrayEquals(new int[] {b, m}, o[1].shape());
        float[] p = o[0].toFloatArray(), obs = o[1].toFloatArray(), uv = u.toFloatArray();
        Set<Integer> seen = new HashSet<>();
        double signal = 0, noise = 0;
        for (int k = 0; k < m; k++) {
            int i = Math.round(p[2 * k] * (n - 1)), j = Math.round(p[2 * k + 1] * (n - 1));
            assertTrue(i > 0 && i < n - 1 && j > 0 && j < n - 1, "node (" + i + ", " + j + ") is not interior");
            assertTrue(seen.add(i * n + j), "node (" + i + ", " + j + ") drawn twice");
            for (int s = 0; s < b; s++) {
                double clean = uv[(s * n + i) * n + j];
                signal += clean * clean;
                noise += (obs[s * m + k] - clean) * (obs[s * m + k] - clean);
            }
        }
        double snr = 10 * Math.log10(signal / noise);
        assertEquals(25, snr, 1.5, "measured SNR " + snr + " dB");
        assertArrayEquals(obs, InvertCommand.observe(u, m, 25, 7)[1].toFloatArray(), "same seed, same observations");
    }

    @Test
    void anInvertOutputServesAsObservations() {
        Tensor[] o = InvertCommand.observe(Tensor.rand(new Rng(2), DType.FLOAT32, Device.CPU, 1, 2, 3, 9, 9), 20, 25, 1);
        Path f = dir.resolve("inv.h5");
        Map<String, Tensor> fields = new java.util.LinkedHashMap<>();
        fields.put("a", Tensor.zeros(DType.FLOAT32, Device.CPU, 3, 9, 9));
        fields.put("observations", o[1]);
        InvertCommand.write(f, fields, o[0], Map.of("input", "observations", "target", "a"));
        try (Dataset ds = DatasetSource.find().open(f)) {
            assertArrayEquals(o[0].toFloatArray(), InvertCommand.observationPoints(ds, f).toFloatArray());
            assertArrayEquals(o[1].toFloatArray(), ds.read("observations", 0, ds.samples()).toFloatArray());
        }
        Path bare = dir.resolve("bare.h5");
        InvertCommand.write(bare, Map.of("observations", o[1]), o[0], Map.of());
        try (Dataset ds = DatasetSource.find().open(bare)) {
            assertArrayEquals(o[0].toFloatArray(), InvertCommand.observationPoints(ds, bare).toFloatArray());
        }
        Path none = TestFiles.data(dir.resolve("none.h5"), 4, 8, 1);
        try (Dataset ds = DatasetSource.find().open(none)) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> InvertCommand.observationPoints(ds, none));
            assertTrue(e.getMessage().contains("none.h5") && e.getMessage().contains("coords/points"), e.getMessage());
        }
    }

    @Test
    void firstAndSamplesSelectARangeOfTheFile() {
        Path f = Path.of("d.h5");
        assertEquals(10, InvertCommand.count(0, 10, 200, f));
        assertEquals(20, InvertCommand.count(10, 20, 200, f));
        assertEquals(5, InvertCommand.count(195, 20, 200, f), "fewer at the file's end");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InvertCommand.count(200, 1, 200, f));
        assertTrue(e.getMessage().startsWith("--first: expected 0..199"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InvertCommand.count(0, 0, 200, f));
        assertTrue(e.getMessage().startsWith("--samples"), e.getMessage());
    }

    @Test
    void anOperatorWithoutInverseIsRefusedInOneLine() {
        Path train = TestFiles.data(dir.resolve("train.h5"), 16, 8, 1), model = dir.resolve("m.h5");
        OperatorCommandsTest.Result r = OperatorCommandsTest.run("train", "--operator", "test-affine", "--data", train.toString(), "--epochs", "1",
                "--no-progress", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        r = OperatorCommandsTest.run("invert", model.toString(), "--from", train.toString(), "--out", dir.resolve("a.h5").toString());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("does not solve inverse problems"), r.err());
    }

    @Test
    void physicsOnlyTrainingDataIsReadWithoutItsTarget() {
        Path file = TestFiles.data(dir.resolve("d.h5"), 4, 8, 2);
        Config physicsOnly = new Config(Map.of("data.input", "x", "data.target", "y", RunConfig.TRAIN_TARGETS, false));
        assertTrue(!RunConfig.trainTargets(physicsOnly));
        assertTrue(RunConfig.trainTargets(new Config(Map.of("data.input", "x"))));
        RunData d = RunData.readInputs(file, physicsOnly, 0);
        assertEquals(null, d.target());
        assertArrayEquals(new int[] {4, 0}, d.training(java.util.Optional.empty()).targets().shape());
    }
}
