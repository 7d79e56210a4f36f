package org.opforge.operators.deeponet;

import org.opforge.api.config.FlatJson;
import io.jhdf.HdfFile;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OpForge;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Module;
import org.opforge.training.Metrics;

/**
 * The accuracy experiments of issue 7 (a program, not a unit test): train a DeepONet-family operator
 * with its factory defaults (plus {@code key=value} overrides) on {@code antiderivative_train.h5},
 * evaluate the mean relative L2 error on {@code antiderivative_test.h5}, save and reload the
 * checkpoint and check the reloaded predictions are identical. Prints one JSON line.
 *
 * <pre>
 *   AntiderivativeExperiment OPERATOR TRAIN.h5 TEST.h5 [--seed S] [--log K] [--init STATE.h5] [key=value ...]
 *   AntiderivativeExperiment deeponet    benchmark-suites/data/antiderivative_train.h5 benchmark-suites/data/antiderivative_test.h5
 *   AntiderivativeExperiment pi-deeponet benchmark-suites/data/antiderivative_train.h5 benchmark-suites/data/antiderivative_test.h5
 * </pre>
 * The physics-informed operator never sees the training file's {@code s}: it is not passed to it.
 *
 * <p>{@code --init STATE.h5} starts from given weights instead of the seed's: one dataset per state-dict
 * key at the file's root ({@code branch.0.weight, ..., b0}), as {@code src/test/resources/peer/deeponet_identical_init.py}
 * writes the PyTorch peer's initial weights, so both trainings can be compared step by step from
 * identical weights ({@code --log K} prints the loss before the update of every K-th step, as the
 * script's trajectory does). The sizes are then taken from the data at creation.
 */
public final class AntiderivativeExperiment {
    private AntiderivativeExperiment() {}

    public static void main(String[] args) throws Exception {
        String operator = args[0];
        Path train = Path.of(args[1]), test = Path.of(args[2]);
        long seed = 0;
        int log = 0;
        Path init = null;
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--seed")) seed = Long.parseLong(args[++i]);
            else if (args[i].equals("--log")) log = Integer.parseInt(args[++i]);
            else if (args[i].equals("--init")) init = Path.of(args[++i]);
            else {
                String[] kv = args[i].split("=", 2);
                overrides.put(kv[0], kv[1]);
            }
        }
        OperatorFactory factory = OpForge.operator(operator);
        if (init != null) {
            // the network must exist before training to receive the weights: sizes from the training file
            try (Dataset d = DatasetSource.find().open(train)) {
                Tensor y0 = d.readAll(String.valueOf(overrides.getOrDefault(Family.DATA_POINTS, "y")));
                overrides.putIfAbsent(Family.SENSORS, d.readAll(String.valueOf(overrides.getOrDefault(Family.DATA_INPUT, "u"))).size(1));
                overrides.putIfAbsent(Family.COORD_DIM, y0.dim() == 1 ? 1 : y0.size(y0.dim() - 1));
                if (operator.equals("deeponet")) overrides.putIfAbsent(Family.OUTPUTS, 1);
            }
        }
        TrainableOperator op = factory.create(overrides, seed);
        DeepOnetOperator dop = (DeepOnetOperator) op;
        if (init != null) {
            Module net = dop.network().orElseThrow(() -> new IllegalStateException(operator + ": network not built at creation"));
            net.loadStateDict(readState(init));
        }
        DatasetSource source = DatasetSource.find();
        Tensor u, s, y, ut, st, yt;
        String in = dop.config().getString(Family.DATA_INPUT), out = dop.config().getString(Family.DATA_TARGET),
                pts = dop.config().getString(Family.DATA_POINTS);
        try (Dataset d = source.open(train); Dataset t = source.open(test)) {
            u = d.readAll(in);
            s = d.readAll(out);
            y = d.readAll(pts);
            ut = t.readAll(in);
            st = t.readAll(out);
            yt = t.readAll(pts);
        }
        boolean physics = dop.family() == Family.PHYSICS && dop.config().getDouble(Family.DATA_WEIGHT) == 0;
        // no labelled outputs for the physics-informed run: the targets slot holds zeros of the right shape
        TrainingData data = TrainingData.of(u, physics ? Tensor.zerosLike(s) : s).withPoints(y);
        TrainingConfig cfg = dop.trainingConfig(seed);
        int every = log;
        long t0 = System.nanoTime();
        TrainingResult result = op.train(data, cfg, new ProgressListener() {
            @Override public void onEpoch(EpochReport r) {
                if (every > 0 && r.epoch() % every == 0) {
                    System.err.printf(Locale.ROOT, "epoch %d loss %.8e %.1fs%n", r.epoch(), r.trainLoss(), (System.nanoTime() - t0) / 1e9);
                }
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        Tensor pred = op.apply(ut, yt);
        double[] l2 = Metrics.relativeL2(pred, st);
        double[] l2Train = Metrics.relativeL2(op.apply(u, y), s);

        Path ckFile = Files.createTempDirectory("deeponet-exp").resolve("model.h5");
        CheckpointStore store = CheckpointStore.find();
        store.save(op.toCheckpoint(), ckFile);
        NeuralOperator loaded = OpForge.load(store.load(ckFile));
        double diff = loaded.apply(ut, yt).sub(pred).abs().max(new int[] {0, 1}, false).item();

        System.out.printf(Locale.ROOT, "{\"operator\":\"%s\",\"seed\":%d,\"params\":%d,\"epochs\":%d,\"train_time_s\":%.2f,\"step_time_ms\":%.3f,"
                        + "\"final_train_loss\":%.4e,\"train_l2\":%.5f,\"test\":{\"file\":\"%s\",\"n\":%d,\"l2\":%.5f,\"l2_max\":%.5f,\"mse\":%.4e},"
                        + "\"reload_max_abs_diff\":%.3e,\"config\":%s}%n",
                operator, seed, op.parameterCount(), cfg.epochs(), seconds, seconds / result.history().size() * 1e3, result.finalTrainLoss(),
                Metrics.mean(l2Train), test.getFileName(), st.size(0), Metrics.mean(l2), Metrics.max(l2), Metrics.mse(pred, st), diff,
                FlatJson.write(dop.config().values()));
        System.exit(0);
    }

    /** Every dataset at the root of {@code file} as a float32 tensor of its shape (0-d for a scalar). */
    static Map<String, Tensor> readState(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (HdfFile h = new HdfFile(file)) {
            for (Map.Entry<String, Node> e : h.getChildren().entrySet()) {
                if (!(e.getValue() instanceof io.jhdf.api.Dataset d)) continue;
                Object data = d.getData();
                float[] f = new float[Math.toIntExact(d.getSize())];
                int[] k = {0};
                flatten(data, f, k);
                out.put(e.getKey(), Tensor.of(f, DType.FLOAT32, Device.CPU, d.getDimensions()));
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no datasets at the root (expected state-dict keys such as branch.0.weight)");
        return out;
    }

    private static void flatten(Object data, float[] out, int[] k) {
        if (data instanceof Number n) {
            out[k[0]++] = n.floatValue();
        } else {
            for (int i = 0; i < Array.getLength(data); i++) flatten(Array.get(data, i), out, k);
        }
    }
}
