package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.OpForge;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.tensor.Tensor;

/**
 * Training stopped after epoch 2, saved to HDF5 and resumed from the file continues exactly as an
 * uninterrupted run: weights, normalizers, Adam's moments (restored because the checkpoint names its
 * optimizer) and the epoch count travel through the file; the batch order depends on (seed, epoch) only.
 */
class ResumeTest {
    private static final Map<String, Object> TINY = Map.of("width", 8, "modes", "4", "layers", 2, "projection_channels", 16);

    @Test
    void aRunResumedFromACheckpointFileIsBitwiseTheUninterruptedOne(@TempDir Path dir) {
        Tensor[] d = Darcy.read("darcy_train_16.h5", 24);
        TrainingData data = TrainingData.of(d[0], d[1]);
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(8).withLearningRate(5e-3);
        List<EpochReport> full = OpForge.operator("fno").create(TINY, 3).train(data, cfg.withEpochs(4), ProgressListener.NONE).history();

        TrainableOperator first = OpForge.operator("fno").create(TINY, 3);
        first.train(data, cfg.withEpochs(2), ProgressListener.NONE);
        Path file = dir.resolve("fno.h5");
        CheckpointStore.find().save(first.toCheckpoint(), file);
        Checkpoint c = CheckpointStore.find().load(file);
        assertEquals("adam", c.attribute("optimizer_name"));
        assertEquals("2", c.attribute("epoch"));
        List<EpochReport> rest = ((TrainableOperator) OpForge.load(c)).train(data, cfg.withEpochs(2), ProgressListener.NONE).history();
        assertEquals(3, rest.get(0).epoch(), "epochs are numbered on");
        for (int e = 0; e < 2; e++) assertEquals(full.get(2 + e).trainLoss(), rest.get(e).trainLoss(), 0.0, "epoch " + (3 + e));
        // control: another optimizer starts without the moments and leaves the uninterrupted path
        List<EpochReport> fresh = ((TrainableOperator) OpForge.load(c)).train(data, cfg.withEpochs(1).withOptimizer("adamw"),
                ProgressListener.NONE).history();
        assertNotEquals(full.get(2).trainLoss(), fresh.get(0).trainLoss());
    }

    @Test
    void aScheduledRunStoppedAfterACheckpointAndResumedWithTheResumeOptionIsBitwiseTheUninterruptedOne() {
        Tensor[] d = Darcy.read("darcy_train_16.h5", 24);
        TrainingData data = TrainingData.of(d[0], d[1]);
        // cosine depends on the run's length: the resumed schedule must span all 4 epochs and start at epoch 3
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(8).withLearningRate(5e-3).withOptions(Map.of("scheduler", "cosine"));
        TrainableOperator uninterrupted = OpForge.operator("fno").create(TINY, 3);
        Checkpoint[] afterSecond = {null};
        List<EpochReport> full = uninterrupted.train(data, cfg.withEpochs(4), new ProgressListener() {
            @Override public void onEpoch(EpochReport r) {
                if (r.epoch() == 2) afterSecond[0] = uninterrupted.toCheckpoint();
            }
        }).history();
        assertEquals("2", afterSecond[0].attribute("epoch"));

        TrainingConfig resume = cfg.withEpochs(2).withOptions(Map.of("scheduler", "cosine", "resume", "true"));
        List<EpochReport> rest = ((TrainableOperator) OpForge.load(afterSecond[0])).train(data, resume, ProgressListener.NONE).history();
        assertEquals(List.of(3, 4), rest.stream().map(EpochReport::epoch).toList());
        for (int e = 0; e < 2; e++) assertEquals(full.get(2 + e).trainLoss(), rest.get(e).trainLoss(), 0.0, "epoch " + (3 + e));
        // control: without the option the schedule restarts over the 2 new epochs, at the full learning rate
        List<EpochReport> restarted = ((TrainableOperator) OpForge.load(afterSecond[0])).train(data, cfg.withEpochs(2), ProgressListener.NONE)
                .history();
        assertNotEquals(full.get(3).trainLoss(), restarted.get(1).trainLoss());
        // a plateau schedule keeps state a checkpoint does not hold: refused, naming the schedule
        IllegalArgumentException plateau = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ((TrainableOperator) OpForge.load(afterSecond[0])).train(data,
                        cfg.withEpochs(1).withOptions(Map.of("scheduler", "plateau:0.5:2", "resume", "true")), ProgressListener.NONE));
        org.junit.jupiter.api.Assertions.assertTrue(plateau.getMessage().contains("plateau"), plateau.getMessage());
    }
}
