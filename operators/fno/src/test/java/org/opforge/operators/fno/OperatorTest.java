package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OpForge;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.Conv;
import org.opforge.tensor.Tensor;

/** The operators through the service API: factories, training, checkpoints, resolution changes. */
class OperatorTest {
    /** A small, fast architecture for the tests; the defaults are exercised by {@link DarcyAccuracyRun}. */
    private static final Map<String, Object> SMALL = Map.of("width", 12, "modes", "6", "layers", 3, "projection_channels", 32);

    private static TrainingConfig config(int epochs, int batch) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(batch).withLearningRate(5e-3);
    }

    @Test
    void factoriesAreServicesWithSchemasAndDefaults() {
        List<String> names = new ArrayList<>();
        for (OperatorFactory f : OpForge.operators()) names.add(f.name());
        assertTrue(names.containsAll(List.of("fno", "tfno", "mg-tfno")), names.toString());
        OperatorFactory fno = OpForge.operator("fno");
        var d = fno.configSchema().defaults();
        assertEquals(32, d.getInt("width"));
        assertEquals(List.of(8), d.getIntList("modes"));
        assertEquals(4, d.getInt("layers"));
        assertEquals("pointwise", d.getString("normalize"));
        assertEquals("step:30:0.5", d.getString("scheduler"));
        assertEquals(5e-3, d.getDouble("lr"));
        assertEquals(32, d.getInt("batch_size"));
        assertEquals("x", d.getString("data.input"));
        assertEquals("tucker", OpForge.operator("tfno").configSchema().defaults().getString("factorization"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fno.create(Map.of("widht", 3), 0));
        assertTrue(e.getMessage().contains("widht"), e.getMessage());
        // the peer's parameter count: 1,057,281 real scalars
        assertEquals(1_057_281, fno.create(Map.of(), 0).parameterCount());
    }

    @Test
    void shortDarcyTrainingLowersTheLossClearly() {
        Tensor[] d = Darcy.read("darcy_train_16.h5", 200);
        TrainableOperator op = OpForge.operator("fno").create(SMALL, 1);
        List<EpochReport> seen = new ArrayList<>();
        ProgressListener l = new ProgressListener() {
            @Override public void onEpoch(EpochReport r) { seen.add(r); }
        };
        TrainingResult r = op.train(TrainingData.of(d[0], d[1]), config(3, 20), l);
        assertEquals(3, seen.size());
        double first = r.history().get(0).trainLoss(), last = r.finalTrainLoss();
        assertTrue(last < 0.75 * first, "train loss " + first + " -> " + last);
        Tensor[] t = Darcy.read("darcy_test_16.h5", 50);
        double l2 = org.opforge.training.Metrics.mean(org.opforge.training.Metrics.relativeL2(op.apply(t[0]), t[1]));
        assertTrue(l2 < 0.5, "test relative L2 after 3 epochs: " + l2);
    }

    @Test
    void checkpointRoundTripGivesIdenticalPredictions(@TempDir Path dir) {
        Tensor[] d = Darcy.read("darcy_train_16.h5", 40);
        for (String name : List.of("fno", "tfno", "mg-tfno")) {
            OperatorFactory f = OpForge.operator(name);
            // mg-tfno's 8 x 8 patches (+ padding 1) hold at most 4 modes
            Map<String, Object> cfg = new java.util.HashMap<>(SMALL);
            if (name.equals("mg-tfno")) cfg.put("modes", "4");
            TrainableOperator op = f.create(cfg, 2);
            op.train(TrainingData.of(d[0], d[1]), config(1, 20), ProgressListener.NONE);
            Tensor before = op.apply(d[0]);
            Path file = dir.resolve(name + ".h5");
            CheckpointStore.find().save(op.toCheckpoint(), file);
            Checkpoint c = CheckpointStore.find().load(file);
            assertEquals(name, c.attribute("operator"));
            assertTrue(c.tensors().containsKey("normalizer/input/mean") && c.tensors().containsKey("normalizer/target/std"), c.tensors().keySet().toString());
            assertTrue(c.tensors().keySet().stream().anyMatch(k -> k.startsWith("optimizer/")), "optimizer state saved");
            assertEquals("1", c.attribute("epoch"));
            NeuralOperator loaded = OpForge.load(c);
            assertEquals(op.parameterCount(), loaded.parameterCount());
            assertArrayEquals(before.toFloatArray(), loaded.apply(d[0]).toFloatArray(), name + ": predictions after loading");
        }
    }

    @Test
    void evaluatesAtAnotherResolutionWithResampledNormalizers() {
        Tensor[] d = Darcy.read("darcy_train_16.h5", 60);
        TrainableOperator op = OpForge.operator("fno").create(SMALL, 3);
        op.train(TrainingData.of(d[0], d[1]), config(2, 20), ProgressListener.NONE);
        Tensor x16 = d[0].slice(0, 0, 4);
        Tensor x32 = Conv.interpolate(x16.unsqueeze(1), new int[] {32, 32}, "bilinear", true).squeeze(1);
        Tensor y32 = op.apply(x32);
        assertArrayEquals(new int[] {4, 32, 32}, y32.shape());
        // the 32-point prediction sampled at the 16-point nodes stays near the 16-point prediction
        Tensor y16 = op.apply(x16);
        Tensor back = Conv.interpolate(y32.unsqueeze(1), new int[] {16, 16}, "bilinear", true).squeeze(1);
        double rel = org.opforge.training.Metrics.mean(org.opforge.training.Metrics.relativeL2(back, y16));
        assertTrue(rel < 0.5, "relative difference between resolutions " + rel);
        // too coarse for 6 modes: a clear error naming the modes and the grid
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(Tensor.zeros(1, 10, 10)));
        assertTrue(e.getMessage().contains("modes [6, 6]") && e.getMessage().contains("[10, 10]"), e.getMessage());
    }

    @Test
    void mgTfnoPatchGroupsTrainLikeAllPatchesAtOnce() {
        Tensor[] d = Darcy.read("darcy_train_16.h5", 10);
        // 2 levels: 16 patches of 4 x 4 (+ padding 1) per sample; batches of 4 samples are 64 patches,
        // in groups of 5 the last group of each batch is partial
        Map<String, Object> base = new java.util.HashMap<>(SMALL);
        base.put("modes", "3");
        base.put("levels", 2);
        TrainingConfig sgd = config(2, 4).withOptimizer("sgd").withLearningRate(0.05);
        List<float[]> params = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        for (int group : new int[] {0, 5}) {
            Map<String, Object> cfg = new java.util.HashMap<>(base);
            cfg.put("patch_batch", group);
            org.opforge.operators.fno.models.FnoOperator op = (org.opforge.operators.fno.models.FnoOperator) OpForge.operator("mg-tfno").create(cfg, 4);
            // grid coordinates are patched with the field: (1 + 2) channels at each of the 3 levels
            assertEquals(9, op.network().spec().inChannels());
            TrainingResult r = op.train(TrainingData.of(d[0], d[1]), sgd, ProgressListener.NONE);
            losses.add(r.finalTrainLoss());
            List<Float> all = new ArrayList<>();
            for (Tensor t : op.network().namedParameters().values()) for (float v : t.toFloatArray()) all.add(v);
            float[] flat = new float[all.size()];
            for (int i = 0; i < flat.length; i++) flat[i] = all.get(i);
            params.add(flat);
        }
        assertEquals(losses.get(0), losses.get(1), 1e-6 * losses.get(0), "training loss with and without patch groups");
        float[] a = params.get(0), b = params.get(1);
        double diff = 0, norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            norm = Math.max(norm, Math.abs(a[i]));
        }
        assertTrue(diff < 1e-5 * norm, "parameters after 2 epochs differ by " + diff + " (largest " + norm + ")");
    }

    @Test
    void shapesThatDoNotFitAreNamed() {
        TrainableOperator op = OpForge.operator("fno").create(SMALL, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(Tensor.zeros(2, 16)));
        assertTrue(e.getMessage().contains("[2, 16]") && e.getMessage().contains("dims=2"), e.getMessage());
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class, () -> op.train(
                TrainingData.of(Tensor.zeros(4, 16, 16), Tensor.zeros(4, 16, 16)), config(1, 2).withOptions(Map.of("bogus", "1")), ProgressListener.NONE));
        assertTrue(o.getMessage().contains("bogus"), o.getMessage());
    }
}
