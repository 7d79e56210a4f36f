package org.opforge.operators.wosno;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.TrainableWithLabels;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.solvers.wos.WalkOnSpheres;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;

/**
 * WoS-NO's comparison: one point operator (GINO by default, found as an {@link OperatorFactory}
 * service) trained three ways from the same initialisation on a star-poisson family: on online
 * Walk-on-Spheres labels ({@code wos}: relative L2 against the running mean), on the exact solution
 * ({@code exact}), and physics-informed ({@code pinn}); each evaluated against the exact solution on
 * test instances drawn from another seed (with a varying geometry, stars it never saw). The defaults
 * are the WoS-NO peer's configuration ({@code shared/peers/train_wosno_torch.py --domain star}).
 *
 * <pre>
 *   java ... org.opforge.operators.wosno.WosNoExperiment [--geometry fixed|varying] [--modes wos,exact,pinn]
 *       [--ntrain 256] [--ntest 64] [--nb 96] [--ni 256] [--walks 10] [--first-step stratified-antithetic]
 *       [--refresh accumulate|fixed] [--eps 1e-3] [--epochs 40] [--batch 8] [--lr 2e-3] [--wd 1e-6] [--seed 0]
 *       [--operator gino] [--set key=value ...] [--log-every N (training loss and test error every N epochs, to stderr)]
 *       [--train-file TRAIN.h5 --test-file TEST.h5 (star-poisson files of the point layout instead of generated draws)]
 * </pre>
 * Prints one JSON line: per mode the test errors (relative L2 over all points, over the interior, its
 * maximum, MSE), network seconds per step and per epoch, WoS seconds (separately), label noise.
 */
public final class WosNoExperiment {
    private WosNoExperiment() {}

    /** The experiment's settings; {@link #parse} reads them from command-line flags. */
    public record Options(String geometry, double c1, double c2, int ntrain, int ntest, int nb, int ni, int walks,
                          WalkOnSpheres.FirstStep firstStep, WosLabelSource.Refresh refresh, double epsilon, int epochs, int batch,
                          double lr, double weightDecay, long seed, List<String> modes, String operator, Map<String, String> config,
                          int logEvery, String trainFile, String testFile) {
        public static Options defaults() {
            return new Options("fixed", 0.1, 0.05, 256, 64, 96, 256, 10, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC,
                    WosLabelSource.Refresh.ACCUMULATE, 1e-3, 40, 8, 2e-3, 1e-6, 0, List.of("wos", "exact", "pinn"), "gino", Map.of(), 0,
                    null, null);
        }

        public static Options parse(String... args) {
            Options o = defaults();
            Map<String, String> set = new LinkedHashMap<>();
            String geometry = o.geometry;
            double c1 = o.c1, c2 = o.c2, eps = o.epsilon, lr = o.lr, wd = o.weightDecay;
            int ntrain = o.ntrain, ntest = o.ntest, nb = o.nb, ni = o.ni, walks = o.walks, epochs = o.epochs, batch = o.batch, log = 0;
            long seed = o.seed;
            WalkOnSpheres.FirstStep first = o.firstStep;
            WosLabelSource.Refresh refresh = o.refresh;
            List<String> modes = o.modes;
            String operator = o.operator, trainFile = null, testFile = null;
            for (int k = 0; k < args.length; k++) {
                String a = args[k];
                if (k + 1 >= args.length) throw new IllegalArgumentException("flag " + a + " needs a value");
                String v = args[++k];
                switch (a) {
                    case "--geometry" -> geometry = v;
                    case "--c1" -> c1 = Double.parseDouble(v);
                    case "--c2" -> c2 = Double.parseDouble(v);
                    case "--ntrain" -> ntrain = Integer.parseInt(v);
                    case "--ntest" -> ntest = Integer.parseInt(v);
                    case "--nb" -> nb = Integer.parseInt(v);
                    case "--ni" -> ni = Integer.parseInt(v);
                    case "--walks" -> walks = Integer.parseInt(v);
                    case "--first-step" -> first = WalkOnSpheres.FirstStep.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
                    case "--refresh" -> refresh = WosLabelSource.Refresh.valueOf(v.toUpperCase(Locale.ROOT));
                    case "--eps" -> eps = Double.parseDouble(v);
                    case "--epochs" -> epochs = Integer.parseInt(v);
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--lr" -> lr = Double.parseDouble(v);
                    case "--wd" -> wd = Double.parseDouble(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--modes" -> modes = List.of(v.split(","));
                    case "--operator" -> operator = v;
                    case "--log-every" -> log = Integer.parseInt(v);
                    case "--train-file" -> trainFile = v;
                    case "--test-file" -> testFile = v;
                    case "--set" -> {
                        int eq = v.indexOf('=');
                        if (eq < 1) throw new IllegalArgumentException("--set expects key=value, found '" + v + "'");
                        set.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown flag '" + a + "'");
                }
            }
            for (String m : modes) {
                if (!List.of("wos", "exact", "pinn").contains(m)) {
                    throw new IllegalArgumentException("--modes: expected wos, exact or pinn, found '" + m + "'");
                }
            }
            if ((trainFile == null) != (testFile == null)) {
                throw new IllegalArgumentException("--train-file and --test-file go together, found only " + (trainFile == null ? "--test-file" : "--train-file"));
            }
            return new Options(geometry, c1, c2, ntrain, ntest, nb, ni, walks, first, refresh, eps, epochs, batch, lr, wd, seed, modes, operator,
                    set, log, trainFile, testFile);
        }
    }

    /** Generates {@code n} samples of the family with data seed {@code dataSeed}. */
    public static StarPoissonSet data(Options o, int n, long dataSeed) {
        return StarPoissonSet.of(generated(o, n, dataSeed));
    }

    /** {@link #data} as generated, to be written to a file. */
    static GeneratedData generated(Options o, int n, long dataSeed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("geometry", o.geometry());
        p.put("c1", o.c1());
        p.put("c2", o.c2());
        p.put("boundary_points", o.nb());
        p.put("interior_points", o.ni());
        p.put("point_seed", (int) o.seed());
        return DataGeneration.generate("star-poisson", p, n, dataSeed, Runtime.getRuntime().availableProcessors(), null);
    }

    /**
     * The first {@code n} samples of a star-poisson file of the point layout (another generator's draws, such as
     * the peer's, written in this layout: {@code benchmark-suites/scripts/wosno_peer_data.py}).
     */
    static StarPoissonSet read(String file, int n) {
        try (Dataset d = DatasetSource.find().open(Path.of(file))) {
            if (!"star-poisson".equals(String.valueOf(d.attributes().get("problem")))) {
                throw new IllegalArgumentException(file + ": expected a star-poisson data set of the point layout, found problem '"
                        + d.attributes().get("problem") + "'");
            }
            if (d.samples() < n) throw new IllegalArgumentException(file + ": expected at least " + n + " samples, found " + d.samples());
            return StarPoissonSet.read(d, n);
        }
    }

    private static OperatorFactory factory(String name) {
        for (OperatorFactory f : ServiceLoader.load(OperatorFactory.class)) {
            if (f.name().equals(name)) return f;
        }
        throw new IllegalArgumentException("no operator factory '" + name + "' on the class path");
    }

    /** Relative L2 per sample, then {mean, max}, and the MSE, against {@code exact} over points {@code from..P}. */
    static double[] errors(Tensor prediction, Tensor exact, int from) {
        float[] p = prediction.toFloatArray();
        float[] u = exact.toFloatArray();
        int n = exact.size(0);
        int pts = exact.size(1);
        double sum = 0, max = 0, se = 0;
        for (int i = 0; i < n; i++) {
            double num = 0, den = 0;
            for (int q = from; q < pts; q++) {
                double d = p[i * pts + q] - u[i * pts + q];
                num += d * d;
                den += (double) u[i * pts + q] * u[i * pts + q];
                se += d * d;
            }
            double r = Math.sqrt(num / Math.max(den, 1e-24));
            sum += r;
            max = Math.max(max, r);
        }
        return new double[] {sum / n, max, se / ((double) n * (pts - from))};
    }

    /** Runs the modes and returns the JSON line. */
    public static String run(Options o) {
        long t0 = System.nanoTime();
        StarPoissonSet train = o.trainFile() == null ? data(o, o.ntrain(), o.seed()) : read(o.trainFile(), o.ntrain());
        StarPoissonSet test = o.testFile() == null ? data(o, o.ntest(), o.seed() + 1_000_003L) : read(o.testFile(), o.ntest());
        double dataSeconds = (System.nanoTime() - t0) / 1e9;
        OperatorFactory factory = factory(o.operator());
        TrainingConfig cfg = new TrainingConfig(o.epochs(), o.batch(), o.lr(), o.weightDecay(), "adam", Device.CPU, o.seed(), Map.of());
        TrainingData data = TrainingData.of(train.inputs(), train.exact());
        int steps = o.epochs() * ((o.ntrain() + o.batch() - 1) / o.batch());
        StringBuilder runs = new StringBuilder();
        long params = -1;
        for (String mode : o.modes()) {
            Map<String, Object> config = new LinkedHashMap<>(o.config());
            config.put("loss", mode.equals("pinn") ? "poisson-pinn" : "rel_l2");
            TrainableOperator op = factory.create(config, o.seed());
            params = op.parameterCount();
            TrainableOperator trained = op;
            ProgressListener log = o.logEvery() <= 0 ? ProgressListener.NONE : new ProgressListener() {
                @Override public void onEpoch(EpochReport r) {
                    if (r.epoch() % o.logEvery() == 0) {
                        // the test error along the way, so that a run cut short still compares modes at equal epochs
                        double[] e = errors(trained.apply(test.inputs()), test.exact(), 0);
                        System.err.printf(Locale.ROOT, "%s epoch %d loss %.5f test_l2 %.4f %.1fs%n", mode, r.epoch(), r.trainLoss(), e[0],
                                r.seconds());
                    }
                }
            };
            TrainingResult result;
            WosLabelSource labels = null;
            String noise0 = "null";
            if (mode.equals("wos")) {
                if (!(op instanceof TrainableWithLabels withLabels)) {
                    throw new IllegalArgumentException("operator '" + o.operator() + "' cannot train on labels redrawn every epoch");
                }
                labels = new WosLabelSource(train, o.walks(), o.firstStep(), o.epsilon(), o.refresh(), o.seed() + 7919);
                noise0 = fmt(errors(labels.targets(1), train.exact(), train.boundaryPoints())[0]);
                result = withLabels.train(data, labels, cfg, log);
            } else {
                result = op.train(data, cfg, log);
            }
            Tensor pred = op.apply(test.inputs());
            double[] all = errors(pred, test.exact(), 0);
            double[] interior = errors(pred, test.exact(), test.boundaryPoints());
            double net = result.seconds();
            if (runs.length() > 0) runs.append(", ");
            runs.append('"').append(mode).append("\": {\"test\": {\"n\": ").append(o.ntest()).append(", \"l2\": ").append(fmt(all[0]))
                    .append(", \"l2_interior\": ").append(fmt(interior[0])).append(", \"l2_max\": ").append(fmt(all[1])).append(", \"mse\": ")
                    .append(fmt(all[2])).append("}, \"final_train_loss\": ").append(fmt(result.finalTrainLoss()))
                    .append(", \"network_s\": ").append(fmt(net)).append(", \"network_ms_per_step\": ").append(fmt(1000 * net / steps))
                    .append(", \"epoch_s\": ").append(fmt(net / o.epochs()));
            if (labels != null) {
                runs.append(", \"wos_s\": ").append(fmt(labels.seconds())).append(", \"wos_ms_per_step\": ")
                        .append(fmt(1000 * labels.seconds() / steps)).append(", \"walks_final\": ").append(labels.walksPerPoint())
                        .append(", \"wos_mean_steps\": ").append(fmt(labels.meanSteps())).append(", \"label_noise_epoch1_l2_interior\": ")
                        .append(noise0).append(", \"label_noise_final_l2_interior\": ")
                        .append(fmt(errors(labels.targets(o.epochs()), train.exact(), train.boundaryPoints())[0]));
            }
            runs.append('}');
            System.err.printf(Locale.ROOT, "%s: test l2 %.4f (interior %.4f), network %.1f s%s%n", mode, all[0], interior[0], net,
                    labels == null ? "" : String.format(Locale.ROOT, ", WoS %.1f s", labels.seconds()));
        }
        return "{\"experiment\": \"wosno\", \"operator\": \"" + o.operator() + "\", \"params\": " + params + ", \"config\": {\"geometry\": \""
                + o.geometry() + "\", \"c1\": " + o.c1() + ", \"c2\": " + o.c2() + ", \"ntrain\": " + o.ntrain() + ", \"ntest\": " + o.ntest()
                + ", \"nb\": " + o.nb() + ", \"ni\": " + o.ni() + ", \"walks\": " + o.walks() + ", \"first_step\": \""
                + o.firstStep().name().toLowerCase(Locale.ROOT) + "\", \"refresh\": \"" + o.refresh().name().toLowerCase(Locale.ROOT)
                + "\", \"eps\": " + o.epsilon() + ", \"epochs\": " + o.epochs() + ", \"batch\": " + o.batch() + ", \"lr\": " + o.lr()
                + ", \"wd\": " + o.weightDecay() + ", \"seed\": " + o.seed() + ", \"set\": \"" + o.config() + "\"}, \"data_s\": "
                + fmt(dataSeconds) + ", \"threads\": " + Runtime.getRuntime().availableProcessors() + ", \"runs\": {" + runs + "}}";
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    public static void main(String[] args) {
        try {
            System.out.println(run(Options.parse(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("wosno: " + e.getMessage());
            System.exit(2);
        }
    }
}
