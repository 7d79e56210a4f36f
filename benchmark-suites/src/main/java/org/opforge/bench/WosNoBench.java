package org.opforge.bench;

import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.operators.wosno.StarPoissonSet;
import org.opforge.operators.wosno.WosLabelSource;
import org.opforge.operators.wosno.WosNoExperiment;
import org.opforge.solvers.wos.WalkOnSpheres;
import org.opforge.tensor.Device;

/**
 * One WoS-NO training step with its share of the Walk-on-Spheres labels, as the peer
 * {@code shared/peers/train_wosno_torch.py --domain star} runs it: the GINO with the peer's sizes on
 * batches of 8 of the peer's star configuration (256 instances, 96 + 256 points), and one label
 * refresh (K = 10 walks at each of the 65,536 interior points) divided over the 32 steps of an
 * epoch. Steps are timed after a warm-up epoch; the refresh after a warm-up refresh. Also the
 * physics-informed step. Prints one JSON line (milliseconds per step).
 *
 * <p>Usage: {@code WosNoBench [--steps S] [--walks K]} (defaults 32, 10).
 */
public final class WosNoBench {
    private WosNoBench() {}

    private static OperatorFactory gino() {
        for (OperatorFactory f : ServiceLoader.load(OperatorFactory.class)) {
            if (f.name().equals("gino")) return f;
        }
        throw new IllegalStateException("no gino operator factory on the class path");
    }

    /** Milliseconds per step of {@code steps} steps of batch 8, after one warm-up epoch of the same length. */
    private static double stepMs(TrainableOperator op, StarPoissonSet set, int steps) {
        StarPoissonSet part = set.head(Math.min(set.samples(), 8 * steps));
        TrainingData data = TrainingData.of(part.inputs(), part.exact());
        TrainingConfig cfg = new TrainingConfig(1, 8, 2e-3, 1e-6, "adam", Device.CPU, 0, Map.of());
        op.train(data, cfg, ProgressListener.NONE);
        TrainingResult r = op.train(data, cfg, ProgressListener.NONE);
        return 1000 * r.seconds() / ((part.samples() + 7) / 8);
    }

    public static void main(String[] args) {
        int steps = 32, walks = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--walks" -> walks = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--steps S, --walks K)");
            }
        }
        StarPoissonSet train = WosNoExperiment.data(WosNoExperiment.Options.defaults(), 256, 0);
        WosLabelSource labels = new WosLabelSource(train, walks, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 1e-3,
                WosLabelSource.Refresh.ACCUMULATE, 1);
        labels.targets(1);
        double warm = labels.seconds();
        labels.targets(2);
        double refresh = labels.seconds() - warm;
        double wosMs = 1000 * refresh / 32;
        double network = stepMs(gino().create(Map.of(), 0), train, steps);
        double pinn = stepMs(gino().create(Map.of("loss", "poisson-pinn"), 0), train, Math.max(4, steps / 4));
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\": \"wosno_step\", \"walks\": %d, \"wos_refresh_s\": %.3f, \"wos_ms_per_step\": %.2f, \"network_ms_per_step\": %.2f, "
                        + "\"wos_step_total_ms\": %.2f, \"pinn_ms_per_step\": %.2f, \"wos_mean_steps\": %.2f, \"threads\": %d}",
                walks, refresh, wosMs, network, wosMs + network, pinn, labels.meanSteps(), Runtime.getRuntime().availableProcessors()));
    }
}
