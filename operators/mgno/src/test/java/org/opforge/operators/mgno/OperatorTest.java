package org.opforge.operators.mgno;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OpForge;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.FlatJson;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;
import org.opforge.training.Metrics;

/** MgNO through the service API: factory and defaults, training, the grid rules, checkpoints and exact resume. */
class OperatorTest {
    /** A small architecture for a 16x16 grid (levels 16, 8, 4). */
    private static final Map<String, Object> SMALL = Map.of("width", 6, "layers", 2);

    /** Inputs a in {1, 4} on 4x4 blocks, targets a smooth nonlinear map of them (a 5-point average of 1/a, zero outside), n x n. */
    private static Tensor[] data(int samples, int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] a = new float[samples * n * n], y = new float[a.length];
        for (int s = 0; s < samples; s++) {
            float[] block = new float[(n / 4 + 1) * (n / 4 + 1)];
            for (int b = 0; b < block.length; b++) block[b] = r.nextBoolean() ? 4 : 1;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[(s * n + i) * n + j] = block[(i / 4) * (n / 4 + 1) + j / 4];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    int[][] at = {{i, j}, {i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}};
                    for (int[] q : at) if (q[0] >= 0 && q[0] < n && q[1] >= 0 && q[1] < n) sum += 1 / a[(s * n + q[0]) * n + q[1]];
                    y[(s * n + i) * n + j] = sum / 5;
                }
            }
        }
        return new Tensor[] {Tensor.of(a, samples, n, n), Tensor.of(y, samples, n, n)};
    }

    private static TrainingConfig config(int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(8).withLearningRate(5e-3).withWeightDecay(1e-4)
                .withOptions(Map.of("scheduler", "none"));
    }

    @Test
    void factoryIsAServiceWithTheReferenceDefaults() {
        OperatorFactory f = OpForge.operator("mgno");
        var d = f.configSchema().defaults();
        assertEquals(24, d.getInt("width"));
        assertEquals(4, d.getInt("layers"));
        assertEquals(0, d.getInt("levels"));
        assertEquals("zeros", d.getString("padding"));
        assertEquals("onecycle:2:100:0.2", d.getString("scheduler"));
        assertEquals(5e-4, d.getDouble("lr"));
        assertEquals(1e-4, d.getDouble("weight_decay"));
        assertEquals(8, d.getInt("batch_size"));
        assertEquals(500, d.getInt("epochs"));
        assertEquals("h1", d.getString("loss"));
        assertEquals("sum", d.getString("loss_reduction"));
        assertEquals(false, d.getBoolean("select_best"));
        assertEquals("channel", d.getString("normalize"));
        assertEquals(false, d.getBoolean("normalize_input"));
        // the peer's parameter count on a 32x32 grid (levels 32, 16, 8, 4): 363,267
        assertEquals(363_267, f.create(Map.of("grid", List.of(32, 32)), 0).parameterCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.create(Map.of("widht", 3), 0));
        assertTrue(e.getMessage().contains("widht"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.create(Map.of("levels", 3, "pre_smooth", List.of(1, 2)), 0));
        assertTrue(e.getMessage().contains("pre_smooth") && e.getMessage().contains("levels = 3"), e.getMessage());
    }

    @Test
    void trainsOnItsGridAndRefusesAnother() {
        Tensor[] d = data(48, 16, 1);
        TrainableOperator op = OpForge.operator("mgno").create(SMALL, 3);
        TrainingResult r = op.train(TrainingData.of(d[0], d[1]), config(6).withLearningRate(1e-2), ProgressListener.NONE);
        double first = r.history().get(0).trainLoss(), last = r.finalTrainLoss();
        assertTrue(last < 0.6 * first, "train loss " + first + " -> " + last);
        Tensor[] t = data(16, 16, 2);
        Tensor p = op.apply(t[0]);
        assertArrayEquals(new int[] {16, 16, 16}, p.shape());
        double l2 = Metrics.mean(Metrics.relativeL2(p, t[1]));
        // predicting the mean training field is the baseline a model that learned nothing reaches
        double baseline = Metrics.mean(Metrics.relativeL2(d[1].mean(0, true).expand(16, 16, 16), t[1]));
        assertTrue(l2 < 0.5 * baseline, "test relative L2 after 6 epochs: " + l2 + ", mean-field baseline " + baseline);
        Tensor[] other = data(2, 20, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(other[0]));
        assertTrue(e.getMessage().contains("16x16") && e.getMessage().contains("20x20"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> op.apply(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 16, 16)));
        assertTrue(e.getMessage().contains("in_channels=1") && e.getMessage().contains("[2, 3, 16, 16]"), e.getMessage());
    }

    @Test
    void aGridThatCannotHoldTheLevelsIsAnErrorNamingBoth() {
        Tensor[] d = data(4, 8, 1);
        TrainableOperator op = OpForge.operator("mgno").create(Map.of("width", 4, "layers", 1, "levels", 4), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> op.train(TrainingData.of(d[0], d[1]), config(1), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("8x8") && e.getMessage().contains("levels = 4") && e.getMessage().contains("1x1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpForge.operator("mgno").create(Map.of("grid", List.of(8, 8), "levels", 4), 0));
        assertTrue(e.getMessage().contains("holds at most 3 levels"), e.getMessage());
    }

    @Test
    void checkpointRoundTripAndExactResume(@TempDir Path dir) {
        Tensor[] d = data(24, 16, 4);
        TrainingData data = TrainingData.of(d[0], d[1]);
        OperatorFactory f = OpForge.operator("mgno");
        TrainableOperator straight = f.create(SMALL, 7);
        straight.train(data, config(3), ProgressListener.NONE);

        TrainableOperator first = f.create(SMALL, 7);
        first.train(data, config(2), ProgressListener.NONE);
        Path file = dir.resolve("mgno.h5");
        CheckpointStore.find().save(first.toCheckpoint(), file);
        Checkpoint c = CheckpointStore.find().load(file);
        assertEquals(List.of(16, 16), f.configSchema().resolve(FlatJson.read(c.attribute("config"))).getIntList("grid"), "training grid saved");
        NeuralOperator loaded = OpForge.load(c);
        Tensor x = d[0].slice(0, 0, 4);
        assertArrayEquals(first.apply(x).toFloatArray(), loaded.apply(x).toFloatArray(), "predictions after the round trip");
        TrainableOperator resumed = (TrainableOperator) loaded;
        resumed.train(data, config(1), ProgressListener.NONE);
        assertArrayEquals(straight.apply(x).toFloatArray(), resumed.apply(x).toFloatArray(), "2 + 1 epochs resumed = 3 epochs straight");
    }
}
