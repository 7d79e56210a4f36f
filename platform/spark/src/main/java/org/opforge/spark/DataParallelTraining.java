package org.opforge.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.api.OpForge;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingResult;
import org.opforge.cli.bench.Json;
import org.opforge.cli.bench.OperatorRun;
import org.opforge.tensor.Tensor;
import org.opforge.training.GradientReduction;

/**
 * One replica of synchronous data-parallel training, independent of Spark: every replica builds the
 * operator from the run's seed (or, after a failure, from the progress checkpoint), trains with
 * {@code reduction} installed so the shared trainer averages the gradients every step, and rank 0
 * writes the progress checkpoint after every epoch.
 */
public final class DataParallelTraining {
    private DataParallelTraining() {}

    /**
     * Trains this replica and returns a JSON summary: rank, loss history, steps, seconds training
     * and in the all-reduce, and the SHA-256 of the final weights (equal on every replica).
     */
    public static String replica(OperatorRun.Spec spec, GradientReduction reduction, Path progress) {
        OperatorFactory factory = OpForge.operator(spec.operator());
        OperatorRun.Prepared p = OperatorRun.prepare(spec, factory);
        TrainableOperator model;
        int done = 0;
        if (Files.isRegularFile(progress)) {
            Checkpoint c = CheckpointStore.find().load(progress);
            done = Integer.parseInt(c.attributes().getOrDefault(SparkScaleOut.EPOCHS_DONE, "0"));
            model = (TrainableOperator) OpForge.load(c);
        } else {
            model = factory.create(p.config().values(), spec.seed());
        }
        int epochs = p.training().epochs();
        int first = done;
        List<Object> history = new ArrayList<>();
        long[] steps = {0};
        TrainableOperator m = model;
        ProgressListener listener = new ProgressListener() {
            int finished = first;

            @Override public void onStep(long step, long total) { steps[0]++; }

            @Override public void onEpoch(EpochReport r) {
                finished++;
                history.add(java.util.Arrays.asList(finished, num(r.trainLoss()), num(r.validationLoss()), r.seconds()));
                if (reduction.rank() == 0) {
                    Checkpoint c = m.toCheckpoint();
                    Map<String, String> attrs = new LinkedHashMap<>(c.attributes());
                    attrs.put(SparkScaleOut.EPOCHS_DONE, Integer.toString(finished));
                    CheckpointStore.find().save(new Checkpoint(attrs, c.tensors()), progress);
                }
            }
        };
        long t0 = System.nanoTime();
        double before = reduction instanceof RingAllReduce ring ? ring.seconds() : 0;
        if (epochs > done) {
            TrainingResult ignored = GradientReduction.run(reduction,
                    () -> m.train(p.trainData().training(p.validationData()), p.training().withEpochs(epochs - first), listener));
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rank", reduction.rank());
        out.put("history", history);
        out.put("steps", steps[0]);
        out.put("train_seconds", trainSeconds);
        out.put("allreduce_seconds", reduction instanceof RingAllReduce ring ? ring.seconds() - before : 0.0);
        out.put("parameters", model.parameterCount());
        out.put("weights_sha256", sha256(model));
        return Json.compact(out);
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** SHA-256 over the float bits of every checkpoint tensor, in checkpoint order. */
    static String sha256(TrainableOperator model) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Tensor> e : model.toCheckpoint().tensors().entrySet()) {
                if (e.getKey().startsWith("optimizer/")) continue;
                d.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                float[] v = e.getValue().toFloatArray();
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                d.update(b.array());
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
