package org.opforge.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opforge.operators.mgno.models.Hierarchy;
import org.opforge.operators.mgno.models.Mgno;
import org.opforge.operators.mgno.models.MgnoSpec;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.HsLoss;
import org.opforge.tensor.nn.optim.Adam;

/**
 * The MgNO training step and inference of scripts/mgno_torch.py on the engine: the reference's Darcy
 * model (width 24, 4 layers, zero padding, automatic levels, pre 1,...,1,2, post 0), batch 8, the
 * spectral H1 loss summed over the batch, Adam (lr 5e-4, weight decay 1e-4). Prints median step and
 * inference times per resolution, the process CPU time per call (all threads: on a shared machine the
 * wall time also measures the other jobs, the CPU time much less so) and the heap high-water mark; with
 * {@code --peer} runs the PyTorch script in the same run and prints the ratios engine / PyTorch.
 *
 * <pre>java -cp ... org.opforge.bench.MgnoStepBench [--res 32 64] [--steps 15] [--peer] [--quiet-wait 60]</pre>
 */
public final class MgnoStepBench {
    private static final int BATCH = 8, WIDTH = 24, LAYERS = 4;

    public static void main(String[] args) throws Exception {
        List<Integer> res = new ArrayList<>();
        int steps = 15;
        double quietWait = 60;
        boolean peer = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--res" -> { while (i + 1 < args.length && !args[i + 1].startsWith("--")) res.add(Integer.parseInt(args[++i])); }
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--peer" -> peer = true;
                case "--quiet-wait" -> quietWait = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (res.isEmpty()) res = List.of(32);
        Rng rng = new Rng(0);
        StringBuilder json = new StringBuilder("{\"bench\":\"mgno_java\",\"batch\":" + BATCH + ",\"width\":" + WIDTH + ",\"layers\":" + LAYERS);
        HsLoss loss = new HsLoss(2);
        for (int s : res) {
            Hierarchy h = Hierarchy.of(s, s, 0);
            MgnoSpec spec = new MgnoSpec(MgnoSpec.Variant.DARCY, 1, 1, WIDTH, LAYERS, h, MgnoSpec.defaultPre(h.levels()),
                    MgnoSpec.defaultPost(h.levels()), "zeros");
            Mgno model = new Mgno(spec, rng);
            Adam opt = new Adam(model.namedParameters(), 5e-4, 0.9, 0.999, 1e-8, 1e-4, false);
            Tensor x = Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, BATCH, 1, s, s);
            Tensor y = Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, BATCH, s, s);
            Runnable train = () -> {
                try (StepScope ignored = StepScope.begin()) {
                    opt.zeroGrad();
                    loss.apply(model.forward(x).squeeze(1), y).backward();
                    opt.step();
                }
            };
            Runnable infer = () -> {
                try (StepScope scope = StepScope.inference(); GradMode.Scope g = GradMode.noGrad()) {
                    model.forward(x);
                }
            };
            FnoStepBench.resetPeaks();
            Quiet.Timing t = Quiet.time(train, steps, 3, quietWait);
            Quiet.Timing f = Quiet.time(infer, steps, 3, quietWait);
            // process CPU time per step: on a shared machine the wall time measures the other jobs too
            json.append(String.format(Locale.ROOT, ",\"train_cpu_%d\":{\"med_ms\":%.2f}", s, cpuMillisPerCall(train, steps)));
            json.append(String.format(Locale.ROOT, ",\"infer_cpu_%d\":{\"med_ms\":%.2f}", s, cpuMillisPerCall(infer, steps)));
            json.append(String.format(Locale.ROOT, ",\"params_%d\":%d", s, model.parameterCount()));
            json.append(String.format(Locale.ROOT, ",\"train_%d\":%s", s, timing(t)));
            json.append(String.format(Locale.ROOT, ",\"infer_%d\":%s", s, timing(f)));
            json.append(String.format(Locale.ROOT, ",\"peak_heap_mb_%d\":%.1f", s, FnoStepBench.peakHeap() / 1048576.0));
        }
        json.append(String.format(",\"gc_ms\":%d,\"threads\":%d}", FnoStepBench.gcMillis(), Runtime.getRuntime().availableProcessors()));
        System.out.println(json);
        if (peer) {
            Path script = Path.of(System.getProperty("opforge.scripts", "scripts")).resolve("mgno_torch.py").toAbsolutePath();
            List<String> peerArgs = new ArrayList<>(List.of("--steps", String.valueOf(steps), "--quiet-wait", String.valueOf(quietWait),
                    "--res"));
            res.forEach(r -> peerArgs.add(String.valueOf(r)));
            PeerRunner.runAndCompare(script.toString(), json.toString(), peerArgs.toArray(new String[0]));
        }
    }

    /** Mean process CPU time (all threads) of {@code calls} calls, in ms, after one warm-up call. */
    static double cpuMillisPerCall(Runnable f, int calls) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        f.run();
        long t0 = os.getProcessCpuTime();
        for (int i = 0; i < calls; i++) f.run();
        return (os.getProcessCpuTime() - t0) / 1e6 / calls;
    }

    private static String timing(Quiet.Timing t) {
        return String.format(Locale.ROOT, "{\"med_ms\":%.2f,\"min_ms\":%.2f,\"max_ms\":%.2f,\"n\":%d,\"samples_per_s_med\":%.2f,"
                + "\"foreign_cpu\":%.3f,\"faults_per_call\":%.1f}", t.median(), t.min(), t.max(), t.ms().length, BATCH * 1000 / t.median(), t.foreign(), t.faultsPerCall());
    }
}
