package org.opforge.bench;

import java.util.Locale;
import org.opforge.operators.deeponet.DeepOnet;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Backends;
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.tensor.nn.optim.Adam;

/**
 * The DeepONet training step of {@code shared/peers/deeponet_torch.py}, to run right before or after
 * it: unstacked DeepONet, branch [100, 40, 40], trunk [1, 40, 40], ReLU after the hidden layers and
 * the trunk's output, Glorot-normal weights, {@code G_i = b(u_i) . t(y_i) + b0} on B scattered
 * (u, y) pairs (default 10,000), MSE against random targets, Adam lr 1e-3. One step = zero grad +
 * forward + loss + backward + Adam update; inference = forward without a graph.
 *
 * <p>Usage: {@code DeepOnetBench [--batch B] [--steps S] [--quiet-wait SEC]} (defaults 10000, 200, 60).
 * Prints one JSON line with min/median/max milliseconds for "train" and "infer", like the peer script,
 * and, as the peer does, {@code foreign_cpu}: the CPU other processes used during the timed calls as a
 * fraction of wall time x cores. Like the peer, each case first waits (up to the quiet wait) for the
 * machine to go quiet and is measured again, up to 4 times, while others use more than 5%; the least
 * disturbed try is kept ({@link Quiet}).
 */
public final class DeepOnetBench {
    private DeepOnetBench() {}

    public static void main(String[] args) {
        int batch = 10000, steps = 200;
        double quietWait = 60;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--quiet-wait" -> quietWait = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--batch B, --steps S)");
            }
        }
        Steps st = new Steps(batch);
        String tr = time(st.train, steps, quietWait), in = time(st.infer, steps, quietWait);
        System.out.printf(Locale.ROOT, "{\"bench\":\"deeponet_opforge\",\"backend\":\"%s\",\"java\":\"%s\",\"batch\":%d,\"params\":%d,"
                        + "\"train\":%s,\"infer\":%s}%n", Backends.cpu().describe().replace("\"", "'"), System.getProperty("java.version"), batch,
                st.net.parameterCount(), tr, in);
        System.exit(0);
    }

    /**
     * The benchmark's model, data and its two timed calls: {@code train} (zero grad, forward, MSE, backward,
     * Adam) and {@code infer} (forward without a graph); also run by {@link PairedServer}.
     */
    static final class Steps {
        final DeepOnet net;
        final Runnable train, infer;

        Steps(int batch) {
            Rng rng = new Rng(0);
            net = new DeepOnet(DeepOnet.Spec.of(100, 1, new int[] {40, 40}, new int[] {40, 40}, "relu"), rng);
            Adam opt = new Adam(net, 1e-3);
            MSELoss mse = new MSELoss();
            Tensor u = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, batch, 100);
            Tensor y = Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, batch, 1);
            Tensor g = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, batch);
            // as SupervisedTrainer runs a step: its activations back to the pool at the end (StepScope)
            train = () -> {
                try (StepScope ignored = StepScope.begin()) {
                    opt.zeroGrad();
                    mse.apply(net.pairs(u, y), g).backward();
                    opt.step();
                }
            };
            infer = () -> {
                try (StepScope scope = StepScope.inference(); GradMode.Scope s = GradMode.noGrad()) {
                    net.pairs(u, y);
                }
            };
        }
    }

    private static String time(Runnable f, int reps, double quietWait) {
        Quiet.Timing t = Quiet.time(f, reps, Math.max(20, reps / 5), quietWait);
        return String.format(Locale.ROOT, "{\"med_ms\":%.3f,\"min_ms\":%.3f,\"max_ms\":%.3f,\"n\":%d,\"foreign_cpu\":%.3f,\"faults_per_call\":%.1f}",
                t.median(), t.min(), t.max(), reps, t.foreign(), t.faultsPerCall());
    }
}
