package org.opforge.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.config.Config;
import org.opforge.api.training.TrainingConfig;
import org.opforge.tensor.Tensor;

class RunConfigTest {
    @TempDir Path dir;

    @Test
    void laterLayersWinAndTheFileRolesComeBeforeThem() {
        Path file = TestFiles.write(dir.resolve("c.yaml"), "lr: 0.5\ndata:\n  target: v\nepochs: 7\n");
        Config c = RunConfig.resolve("test-affine", AffineOperatorFactory.SCHEMA, Map.of("input", "a", "target", "b"), List.of(
                new RunConfig.Layer("--config", RunConfig.readFile(file)),
                new RunConfig.Layer("--set", RunConfig.parseSets(List.of("epochs=9", "optimizer=sgd"))),
                new RunConfig.Layer("--epochs", Map.of("epochs", 11))));
        assertEquals("a", c.getString("data.input"), "roles over the schema default");
        assertEquals("v", c.getString("data.target"), "the config file (nested keys flattened) over the roles");
        assertEquals(0.5, c.getDouble("lr"));
        assertEquals("sgd", c.getString("optimizer"));
        assertEquals(11, c.getInt("epochs"), "--epochs last");
        assertEquals(8, c.getInt("batch_size"), "schema default");
        TrainingConfig t = RunConfig.training(c, 3, null, 30.0, 100);
        assertEquals(11, t.epochs());
        assertEquals(0.5, t.learningRate());
        assertEquals(3, t.seed());
        assertEquals(Map.of("scheduler", "none", "time_budget_s", "30.0"), t.options());
    }

    @Test
    void batchSizeZeroMeansTheFullBatch() {
        Config c = RunConfig.resolve("test-affine", AffineOperatorFactory.SCHEMA, Map.of(),
                List.of(new RunConfig.Layer("--set", Map.of("batch_size", "0"))));
        assertEquals(250, RunConfig.training(c, 0, "cpu", null, 250).batchSize());
    }

    @Test
    void errorsNameTheLayerAndTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunConfig.resolve("test-affine",
                AffineOperatorFactory.SCHEMA, Map.of(), List.of(new RunConfig.Layer("--config c.yaml", Map.of("width", 3)))));
        assertTrue(e.getMessage().startsWith("--config c.yaml: unknown key 'width' for operator 'test-affine'; known keys: data.input"), e.getMessage());
        Config c = RunConfig.resolve("test-affine", AffineOperatorFactory.SCHEMA, Map.of(), List.of(new RunConfig.Layer("--set", Map.of("lr", "-1"))));
        e = assertThrows(IllegalArgumentException.class, () -> RunConfig.training(c, 0, null, null, 10));
        assertEquals("lr: expected a positive number, found -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunConfig.parseSets(List.of("novalue")));
        Path bad = TestFiles.write(dir.resolve("bad.yaml"), "lr: [1,\n");
        e = assertThrows(IllegalArgumentException.class, () -> RunConfig.readFile(bad));
        assertTrue(e.getMessage().contains("bad.yaml:"), e.getMessage());
    }

    @Test
    void gridPointsSpanTheUnitCubeLastAxisFastest() {
        Tensor p = RunData.gridPoints(new int[] {3, 2}, 0, 1);
        assertArrayEquals(new int[] {6, 2}, p.shape());
        assertArrayEquals(new float[] {0, 0, 0, 1, 0.5f, 0, 0.5f, 1, 1, 0, 1, 1}, p.toFloatArray());
        // every other point of the last axis of a 3 x 5 grid: x = 0, 0.5, 1
        Tensor s = RunData.gridPoints(new int[] {3, 5}, 1, 2);
        assertArrayEquals(new int[] {9, 2}, s.shape());
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 0, 1}, java.util.Arrays.copyOf(s.toFloatArray(), 6));
    }
}
