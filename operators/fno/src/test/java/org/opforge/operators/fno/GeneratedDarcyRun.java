package org.opforge.operators.fno;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opforge.api.OpForge;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.Config;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.operators.fno.models.FnoOperator;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;
import org.opforge.training.Metrics;

/**
 * The generated-Darcy experiments of issue 6 (not a unit test): Darcy data by the FNO paper's recipe
 * (pde-solvers' "darcy" problem: a in {3, 12} from a thresholded GRF, f = 1, zero Dirichlet
 * boundary) at one resolution, then several FNO-family operators trained on the same data and
 * compared: parameters, time per epoch, test relative L2 and H1, and peak live training memory.
 *
 * <pre>
 *   java ... GeneratedDarcyRun RES NTRAIN NTEST EPOCHS 'fno:modes=12' 'tfno:modes=12,rank=0.05' ...
 * </pre>
 * Data sets are cached as native HDF5 files in {@code target-f/} (seed 1 train, seed 2 test).
 * With {@code EPOCHS = 0} only the memory probe runs; {@code -Dseed=S} sets the seed of weights and batches.
 *
 * <p>Peak memory is measured in a separate probe of a few training steps: after each forward pass
 * (the autodiff graph then holds every activation) and after each backward pass a full GC runs and
 * the used heap is read; the maximum minus the heap before the model existed is reported.
 */
public final class GeneratedDarcyRun {
    /** Seed of the weights and batch order ({@code -Dseed=S}, default 0); the data sets are the same for every seed. */
    private static final long SEED = Long.getLong("seed", 0);

    public static void main(String[] args) throws Exception {
        int res = Integer.parseInt(args[0]), ntrain = Integer.parseInt(args[1]), ntest = Integer.parseInt(args[2]);
        int epochs = Integer.parseInt(args[3]);
        Tensor[] train = data(res, ntrain, 1), test = data(res, ntest, 2);
        List<String> rows = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            String spec = args[i];
            String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
            Map<String, Object> over = new LinkedHashMap<>();
            if (spec.contains(":")) {
                for (String kv : spec.substring(spec.indexOf(':') + 1).split(",")) {
                    if (!kv.isBlank()) over.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1).replace(';', ','));
                }
            }
            over.putIfAbsent("epochs", epochs);
            rows.add(run(name, over, train, test));
        }
        System.out.println();
        System.out.println("| operator | config | params | s/epoch | test L2 | test H1 | peak live MiB |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String run(String name, Map<String, Object> over, Tensor[] train, Tensor[] test) {
        OperatorFactory f = OpForge.operator(name);
        Config cfg = f.configSchema().resolve(over);
        double peak = peakMemoryMiB(f, over, cfg, train);
        TrainableOperator op = f.create(over, SEED);
        System.out.printf(Locale.ROOT, "%s %s: %d parameters, peak live training memory %.1f MiB%n", name, over, op.parameterCount(), peak);
        if (cfg.getInt("epochs") == 0) {
            return String.format(Locale.ROOT, "| %s | %s | %d | - | - | - | %.1f |", name, over, op.parameterCount(), peak);
        }
        TrainingConfig tc = new TrainingConfig(cfg.getInt("epochs"), cfg.getInt("batch_size"), cfg.getDouble("lr"), cfg.getDouble("weight_decay"),
                cfg.getString("optimizer"), Device.CPU, SEED, Map.of("scheduler", cfg.getString("scheduler")));
        TrainingResult r = op.train(TrainingData.of(train[0], train[1]), tc, new ProgressListener() {
            @Override public void onEpoch(EpochReport e) {
                System.out.printf(Locale.ROOT, "  epoch %3d/%d  train rel L2 %.5f  %.1f s%n", e.epoch(), e.epochs(), e.trainLoss(), e.seconds());
            }
        });
        Tensor p = op.apply(test[0]);
        double l2 = Metrics.mean(Metrics.relativeL2(p, test[1])), h1 = Metrics.mean(Metrics.h1(p, test[1], 2));
        double perEpoch = r.seconds() / r.history().size();
        System.out.printf(Locale.ROOT, "  -> test L2 %.4f, H1 %.4f, %.1f s/epoch%n", l2, h1, perEpoch);
        return String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.4f | %.4f | %.1f |", name, over, op.parameterCount(), perEpoch, l2, h1, peak);
    }

    /** Peak live heap of a few training steps (see the class comment). */
    private static double peakMemoryMiB(OperatorFactory f, Map<String, Object> over, Config cfg, Tensor[] train) {
        var mem = ManagementFactory.getMemoryMXBean();
        int batch = Math.min(cfg.getInt("batch_size"), train[0].size(0));
        Tensor x = train[0].slice(0, 0, batch), y = train[1].slice(0, 0, batch);
        System.gc();
        long base = mem.getHeapMemoryUsage().getUsed();
        FnoOperator op = (FnoOperator) f.create(over, 0);
        long peak = base;
        // a normalizer and an optimizer as in training: train one step, then probe steps by hand
        op.train(TrainingData.of(x, y), TrainingConfig.defaults().withEpochs(1).withBatchSize(batch), ProgressListener.NONE);
        var opt = org.opforge.training.Optimizers.create("adam", op.network().namedParameters(), 1e-3, 0);
        long[] probe = {peak};
        Runnable afterForward = () -> {
            System.gc();
            probe[0] = Math.max(probe[0], mem.getHeapMemoryUsage().getUsed());
        };
        for (int s = 0; s < 2; s++) {
            opt.zeroGrad();
            op.trainingStep(x, y, afterForward);
            peak = probe[0];
            opt.step();
            System.gc();
            peak = Math.max(peak, mem.getHeapMemoryUsage().getUsed());
        }
        return (peak - base) / (1024.0 * 1024.0);
    }

    /** The data set at {@code res} with {@code n} samples of seed {@code seed}, generated once and cached. */
    static Tensor[] data(int res, int n, long seed) throws Exception {
        Path file = Path.of("target-f", "darcy_fno_r" + res + "_n" + n + "_s" + seed + ".h5");
        DatasetSource src = DatasetSource.find();
        if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            GeneratedData g = DataGeneration.generate("darcy", Map.of("resolution", res), n, seed, 2, null);
            Map<String, Tensor> fields = new LinkedHashMap<>();
            for (String k : List.of("a", "u")) {
                GeneratedData.Field fd = g.field(k);
                fields.put(k, Tensor.of(fd.data(), fd.shape()));
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            src.write(file, DatasetContent.of(fields).withAttributes(Map.of("input", "a", "target", "u", "seed", seed, "recipe", "FNO Darcy, pde-solvers darcy problem")));
            System.out.printf(Locale.ROOT, "generated %s in %.1f s%n", file, (System.nanoTime() - t0) / 1e9);
        }
        try (Dataset d = src.open(file)) {
            return new Tensor[] {d.readAll("a"), d.readAll("u")};
        }
    }
}
