package org.opforge.operators.fno;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.opforge.api.OpForge;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.Config;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;
import org.opforge.training.Metrics;

/**
 * The Darcy-16 accuracy experiment (not a unit test): trains an FNO-family operator with its
 * defaults (or {@code key=value} overrides) on {@code darcy_train_16.h5} exactly as
 * {@code opforge train --operator NAME --data darcy_train_16.h5} does, evaluates mean relative L2 and
 * H1 on {@code darcy_test_16.h5}, and prints per-epoch losses, time per epoch and one JSON line.
 *
 * <pre>
 *   java -cp ... org.opforge.operators.fno.DarcyAccuracyRun [operator] [key=value ...] [--ntrain N] [--out ckpt.h5]
 * </pre>
 */
public final class DarcyAccuracyRun {
    public static void main(String[] args) throws Exception {
        String operator = "fno";
        Map<String, Object> overrides = new LinkedHashMap<>();
        int ntrain = -1;
        Path out = null;
        Path dataDir = Path.of(System.getProperty("data.dir", "benchmark-suites/data"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--ntrain")) ntrain = Integer.parseInt(args[++i]);
            else if (a.equals("--out")) out = Path.of(args[++i]);
            else if (a.equals("--data-dir")) dataDir = Path.of(args[++i]);
            else if (a.contains("=")) overrides.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            else operator = a;
        }
        OperatorFactory factory = OpForge.operator(operator);
        Config cfg = factory.configSchema().resolve(overrides);
        DatasetSource source = DatasetSource.find();
        Tensor x, y, xt, yt;
        try (Dataset train = source.open(dataDir.resolve("darcy_train_16.h5"));
             Dataset test = source.open(dataDir.resolve("darcy_test_16.h5"))) {
            int n = ntrain > 0 ? ntrain : train.samples();
            x = train.read(cfg.getString("data.input"), 0, n);
            y = train.read(cfg.getString("data.target"), 0, n);
            xt = test.readAll(cfg.getString("data.input"));
            yt = test.readAll(cfg.getString("data.target"));
        }
        long seed = 0;
        TrainableOperator op = factory.create(overrides, seed);
        TrainingConfig tc = new TrainingConfig(cfg.getInt("epochs"), cfg.getInt("batch_size"), cfg.getDouble("lr"),
                cfg.getDouble("weight_decay"), cfg.getString("optimizer"), Device.CPU, seed,
                Map.of("scheduler", cfg.getString("scheduler")));
        System.out.printf(Locale.ROOT, "%s: %d parameters, %d training samples %s, config %s%n", operator, op.parameterCount(),
                x.size(0), java.util.Arrays.toString(x.shape()), cfg.values());
        ProgressListener printer = new ProgressListener() {
            @Override public void onEpoch(EpochReport r) {
                System.out.printf(Locale.ROOT, "epoch %3d/%d  train rel L2 %.5f  %.2f s%n", r.epoch(), r.epochs(), r.trainLoss(), r.seconds());
            }
        };
        var result = op.train(TrainingData.of(x, y), tc, printer);
        long t0 = System.nanoTime();
        Tensor p = op.apply(xt);
        double evalSeconds = (System.nanoTime() - t0) / 1e9;
        double[] l2 = Metrics.relativeL2(p, yt);
        double[] h1 = Metrics.h1(p, yt, 2);
        Tensor ptr = op.apply(x);
        double trainL2 = Metrics.mean(Metrics.relativeL2(ptr, y));
        double epochSeconds = result.seconds() / result.history().size();
        System.out.printf(Locale.ROOT, "{\"operator\": \"%s\", \"params\": %d, \"epochs\": %d, \"ntrain\": %d, \"train_time_s\": %.1f, "
                        + "\"epoch_time_s\": %.3f, \"final_train_loss\": %.5f, \"train_l2\": %.5f, \"test\": {\"n\": %d, \"l2\": %.5f, "
                        + "\"h1\": %.5f, \"l2_max\": %.5f, \"eval_time_s\": %.3f}, \"threads\": %d}%n",
                operator, op.parameterCount(), result.history().size(), x.size(0), result.seconds(), epochSeconds,
                result.finalTrainLoss(), trainL2, xt.size(0), Metrics.mean(l2), Metrics.mean(h1), Metrics.max(l2), evalSeconds,
                Runtime.getRuntime().availableProcessors());
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            CheckpointStore.find().save(op.toCheckpoint(), out);
            // the path of `opforge eval`: a fresh operator from the file must predict exactly the same
            Tensor reloaded = OpForge.load(CheckpointStore.find().load(out)).apply(xt);
            System.out.println("checkpoint written to " + out + "; reloaded predictions identical: "
                    + java.util.Arrays.equals(p.toFloatArray(), reloaded.toFloatArray()));
        }
    }
}
