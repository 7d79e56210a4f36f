package org.opforge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.operators.dgno.models.Dgno;
import org.opforge.operators.dgno.models.DgnoLoss;
import org.opforge.operators.dgno.models.InputModel;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.optim.Adam;
import org.opforge.training.UnitGaussianNormalizer;
import org.opforge.training.physics.DarcyWeakResidual;
import org.opforge.training.physics.WendlandQuadrature;

/**
 * One DGNO training step of the reference's piecewise-constant Darcy recipe (latent 128, encoder
 * [512, 256], MultiONets depth 5 / sum 4 / width 100 and 256 for a, 100 Wendland centres of radius
 * 1e-4 with the 7x7 disk rule, BCE weight 0.125, Adam 5e-4 with weight decay 1e-4, batch 25 of
 * 29 x 29 fields: the first of the peer's darcy_pwc_train_29.h5 beside the peers folder when it is there,
 * else random two-valued fields of the same kind) on the engine, in the shared-trunk mode
 * (forward-mode tangents) and optionally the per-sample autograd mode; with {@code --peer} the
 * PyTorch peer ../shared/peers/train_dgno_torch.py trains the same recipe for a few epochs in the
 * same run (its default shared-trunk mode, 2 threads) and its mean step time is set beside ours.
 *
 * <pre>java -cp ... org.opforge.bench.DgnoStepBench [--steps 20] [--repeat] [--peer] [--peer-epochs 3] [--quiet-wait 20]</pre>
 * Engine timings follow {@link Quiet}; the peer reports wall time / steps of its run
 * ({@code step_time_ms}, first step included) and its {@code foreign_cpu}.
 */
public final class DgnoStepBench {
    public static void main(String[] args) throws Exception {
        int steps = 20, peerEpochs = 3;
        double quietWait = 20;
        boolean peer = false, repeat = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--peer" -> peer = true;
                case "--repeat" -> repeat = true;
                case "--peer-epochs" -> peerEpochs = Integer.parseInt(args[++i]);
                case "--quiet-wait" -> quietWait = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path data = PeerRunner.peersDir().resolve("../data/darcy_pwc_train_29.h5").normalize();
        int batch = 25, n = 29;
        Tensor a;
        if (Files.isRegularFile(data)) {
            try (Dataset ds = DatasetSource.find().open(data)) {
                a = ds.read("x", 0, batch).to(DType.FLOAT32);
            }
            n = a.size(1);
        } else {
            // the same kind of input: two-valued fields {5, 10}
            a = Tensor.rand(new Rng(7), DType.FLOAT32, Device.CPU, 0, 1, batch, n, n).gt(Tensor.scalar(0.5)).mul(5.0).add(5.0);
        }
        Tensor normalised = UnitGaussianNormalizer.fit(a, UnitGaussianNormalizer.Mode.CHANNEL).encode(a);
        Tensor nodes = Dgno.gridPoints(n, DType.FLOAT32, Device.CPU);
        StringBuilder json = new StringBuilder("{\"bench\":\"dgno_java\",\"batch\":" + batch + ",\"grid\":" + n);
        List<Dgno.GradientMode> modes = repeat ? List.of(Dgno.GradientMode.SHARED, Dgno.GradientMode.REPEAT) : List.of(Dgno.GradientMode.SHARED);
        for (Dgno.GradientMode mode : modes) {
            Dgno net = new Dgno(new Dgno.Spec(n, 128, new int[] {512, 256}, 100, 256, 5, 4), new Rng(0));
            if (json.indexOf("params") < 0) json.append(",\"params\":").append(net.parameterCount());
            Adam opt = new Adam(net.namedParameters(), 5e-4, 0.9, 0.999, 1e-8, 1e-4, false);
            DgnoLoss loss = new DgnoLoss(new DarcyWeakResidual(new WendlandQuadrature(7), 1e-4, 100, 10.0), new InputModel.Bernoulli(5, 10), 0.125, 1.0, mode);
            Rng rng = new Rng(1);
            Tensor x = a, xn = normalised;
            Runnable step = () -> {
                try (StepScope ignored = StepScope.begin()) {
                    opt.zeroGrad();
                    loss.compute(net, x, xn, nodes, rng).total().backward();
                    opt.step();
                }
            };
            Quiet.Timing t = Quiet.time(step, steps, 3, quietWait);
            json.append(String.format(Locale.ROOT, ",\"train_%s\":{\"med_ms\":%.2f,\"mean_ms\":%.2f,\"min_ms\":%.2f,\"max_ms\":%.2f,\"n\":%d,"
                    + "\"foreign_cpu\":%.3f,\"faults_per_call\":%.1f}", mode.label(), t.median(), mean(t.ms()), t.min(), t.max(), t.ms().length, t.foreign(), t.faultsPerCall()));
        }
        json.append(",\"threads\":").append(Runtime.getRuntime().availableProcessors()).append('}');
        System.out.println(json);
        if (peer) runPeer(json.toString(), data, peerEpochs);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** The peer's recipe run on 250 fields (10 steps per epoch) and the ratios to its mean step. */
    private static void runPeer(String ours, Path data, int epochs) throws Exception {
        if (!Files.isRegularFile(data)) {
            System.out.println("{\"peer\":\"train_dgno_torch.py\",\"skipped\":\"needs " + data + "\"}");
            return;
        }
        Optional<String> peer = PeerRunner.run("train_dgno_torch.py", data.toString(), "--ntrain", "250", "--epochs", String.valueOf(epochs),
                "--f", "10", "--w-data", "0.125", "--seed", "0", "--threads", "2");
        if (peer.isEmpty()) return;
        String last = peer.get();
        ObjectMapper m = new ObjectMapper();
        JsonNode theirs = m.readTree(last), mine = m.readTree(ours);
        double peerMs = theirs.get("step_time_ms").asDouble();
        System.out.printf(Locale.ROOT, "{\"bench\":\"dgno_torch\",\"train_shared\":{\"mean_ms\":%.2f},\"steps\":%d,\"params\":%d,\"foreign_cpu\":%s,"
                        + "\"torch\":\"%s\"}%n", peerMs, epochs * 10, theirs.get("params").asLong(), theirs.get("foreign_cpu"),
                theirs.path("env").path("torch").asText());
        JsonNode t = mine.get("train_shared");
        System.out.printf(Locale.ROOT, "{\"ratio_engine_over_peer\":{\"train_shared_med\":%.3f,\"train_shared_mean\":%.3f}}%n",
                t.get("med_ms").asDouble() / peerMs, t.get("mean_ms").asDouble() / peerMs);
    }
}
