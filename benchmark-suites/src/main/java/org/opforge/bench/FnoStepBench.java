package org.opforge.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.cpu.CpuBackend;
import org.opforge.tensor.nn.Conv2d;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.SpectralConv2d;
import org.opforge.tensor.nn.optim.Adam;

/**
 * The FNO-2D training step of ../shared/peers/fno2d_torch.py on the engine: the same architecture
 * (width 32, 4 layers, 12x12 modes, fc 128), batch 20, relative L2 summed over the batch, Adam
 * (lr 1e-3, weight decay 1e-4). Prints the median step and inference times per resolution, the heap
 * high-water mark and GC time, and with {@code --peer} runs the PyTorch script in the same run and
 * prints the ratios.
 *
 * <pre>java -cp ... org.opforge.bench.FnoStepBench [--res 64 85] [--steps 15] [--long 200] [--peer] [--quiet-wait 60]</pre>
 * {@code --long N} trains N steps at the first resolution and prints the heap after every 20 steps, to
 * show that it stays flat after warm-up. Timings follow the peer's noise rules ({@link Quiet}: wait for
 * a quiet machine, up to four attempts, the least disturbed kept, its {@code foreign_cpu} printed);
 * {@code --quiet-wait} bounds each wait in seconds (the peer's default is 60, and it gets the same value).
 */
public final class FnoStepBench {
    /** The peer's FNO-2D, on any device (the coordinate grid joins the input on its device); CudaBench uses it too. */
    static final class Fno2d extends Module {
        final int layers;

        Fno2d(int width, int modes, int layers, Rng rng) {
            this.layers = layers;
            registerModule("fc0", new Linear(3, width, rng));
            for (int l = 0; l < layers; l++) {
                registerModule("conv" + l, new SpectralConv2d(width, width, modes, modes, rng));
                registerModule("w" + l, new Conv2d(width, width, 1, rng));
            }
            registerModule("fc1", new Linear(width, 128, rng));
            registerModule("fc2", new Linear(128, 1, rng));
        }

        Tensor forward(Tensor a) {
            int b = a.size(0), h = a.size(1), w = a.size(2);
            Tensor gx = Tensor.linspace(0, 1, h).to(a.device()).reshape(1, h, 1, 1).expand(b, h, w, 1);
            Tensor gy = Tensor.linspace(0, 1, w).to(a.device()).reshape(1, 1, w, 1).expand(b, h, w, 1);
            Tensor x = ((Linear) child("fc0")).forward(Tensor.cat(3, a, gx, gy)).permute(0, 3, 1, 2);
            for (int l = 0; l < layers; l++) {
                x = ((SpectralConv2d) child("conv" + l)).forward(x).add(((Conv2d) child("w" + l)).forward(x));
                if (l < layers - 1) x = x.gelu();
            }
            x = ((Linear) child("fc1")).forward(x.permute(0, 2, 3, 1)).gelu();
            return ((Linear) child("fc2")).forward(x);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--live")) {
            live(args.length > 1 ? Integer.parseInt(args[1]) : 64);
            return;
        }
        if (args.length > 0 && args[0].equals("--memory")) {
            memory(args.length > 1 ? Integer.parseInt(args[1]) : 64, args.length > 2 ? Integer.parseInt(args[2]) : 10);
            return;
        }
        List<Integer> res = new ArrayList<>();
        int steps = 15, longSteps = 0;
        double quietWait = 60;
        boolean peer = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--res" -> { while (i + 1 < args.length && !args[i + 1].startsWith("--")) res.add(Integer.parseInt(args[++i])); }
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--long" -> longSteps = Integer.parseInt(args[++i]);
                case "--peer" -> peer = true;
                case "--quiet-wait" -> quietWait = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (res.isEmpty()) res = List.of(64, 85);
        Rng rng = new Rng(0);
        Fno2d model = new Fno2d(32, 12, 4, rng);
        Adam opt = new Adam(model.namedParameters(), 1e-3, 0.9, 0.999, 1e-8, 1e-4, false);
        StringBuilder json = new StringBuilder("{\"bench\":\"fno2d_java\",\"params_real\":" + model.parameterCount());
        for (int s : res) {
            Tensor x = Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, 20, s, s, 1);
            Tensor y = Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, 20, s, s, 1);
            Runnable train = () -> step(model, opt, x, y);
            Runnable infer = () -> {
                try (StepScope scope = StepScope.inference(); GradMode.Scope g = GradMode.noGrad()) {
                    model.forward(x);
                }
            };
            resetPeaks();
            Quiet.Timing t = Quiet.time(train, steps, 5, quietWait);
            Quiet.Timing f = Quiet.time(infer, steps, 5, quietWait);
            json.append(String.format(Locale.ROOT, ",\"train_%d\":%s", s, timing(t)));
            json.append(String.format(Locale.ROOT, ",\"infer_%d\":%s", s, timing(f)));
            json.append(String.format(",\"peak_heap_mb_%d\":%.1f", s, peakHeap() / 1048576.0));
        }
        json.append(String.format(",\"gc_ms\":%d,\"threads\":%d}", gcMillis(), Runtime.getRuntime().availableProcessors()));
        System.out.println(json);
        if (longSteps > 0) longRun(model, opt, rng, res.get(0), longSteps);
        if (peer) {
            List<String> peerArgs = new ArrayList<>(List.of("--steps", String.valueOf(steps), "--quiet-wait",
                    String.valueOf(quietWait), "--res"));
            res.forEach(r -> peerArgs.add(String.valueOf(r)));
            PeerRunner.runAndCompare("fno2d_torch.py", json.toString(), peerArgs.toArray(new String[0]));
        }
    }

    /** One training step as SupervisedTrainer runs it, the activations back to the pool at its end (StepScope). */
    static void step(Fno2d model, Adam opt, Tensor x, Tensor y) {
        try (StepScope ignored = StepScope.begin()) {
            opt.zeroGrad();
            Tensor p = model.forward(x);
            int b = p.size(0);
            Tensor d = p.sub(y).reshape(b, -1).square().sum(1, false).sqrt();
            Tensor n = y.reshape(b, -1).square().sum(1, false).sqrt();
            d.div(n).sum().backward();
            opt.step();
        }
    }

    private static void longRun(Fno2d model, Adam opt, Rng rng, int s, int steps) {
        Tensor x = Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, 20, s, s, 1);
        Tensor y = Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, 20, s, s, 1);
        long gc0 = gcMillis();
        long t0 = System.nanoTime();
        StringBuilder heap = new StringBuilder(), pooled = new StringBuilder();
        for (int i = 1; i <= steps; i++) {
            step(model, opt, x, y);
            if (i % 20 == 0) {
                System.gc();
                heap.append(heap.length() == 0 ? "" : ",").append(usedHeap() / 1048576);
                pooled.append(pooled.length() == 0 ? "" : ",").append(CpuBackend.pooledBytes() / 1048576);
            }
        }
        // the heap after GC includes the released storage the pool keeps for the next step
        System.out.printf("{\"bench\":\"fno2d_java_long\",\"res\":%d,\"steps\":%d,\"ms_per_step\":%.1f,"
                        + "\"gc_ms\":%d,\"heap_used_after_gc_mb_every_20_steps\":[%s],\"of_which_pooled_mb\":[%s]}%n",
                s, steps, (System.nanoTime() - t0) / 1e6 / steps, gcMillis() - gc0, heap, pooled);
    }

    private static String timing(Quiet.Timing t) {
        return String.format(Locale.ROOT, "{\"med_ms\":%.2f,\"min_ms\":%.2f,\"max_ms\":%.2f,\"n\":%d,\"samples_per_s_med\":%.2f,"
                + "\"foreign_cpu\":%.3f,\"faults_per_call\":%.1f}", t.median(), t.min(), t.max(), t.ms().length, 20000 / t.median(), t.foreign(), t.faultsPerCall());
    }

    /**
     * {@code --memory [RES] [STEPS]}: the resident memory a training run needs, measured as the PyTorch
     * counterpart ({@code scripts/fno2d_memory_torch.py}) measures it: the process's peak resident set
     * (VmHWM) over 3 warm-up and STEPS training steps at RES x RES, minus its resident set once the
     * runtime and the engine are loaded but before the model and data exist, with the mean step time, the
     * collector's time and the bytes of tensor storage allocated per step, fresh from the heap and reused
     * from storage the backward pass released. Run it in a JVM of its own.
     */
    private static void memory(int s, int steps) {
        Tensor.zeros(DType.FLOAT32, Device.CPU, 4).add(Tensor.zeros(DType.FLOAT32, Device.CPU, 4)).sum().item();
        System.gc();
        long base = procStatusKb("VmRSS");
        Training run = Training.warm(s, FnoStepBench::resetPeaks);
        long gc0 = gcMillis(), t0 = System.nanoTime();
        long[] a0 = CpuBackend.allocatedBytes();
        for (int i = 0; i < steps; i++) run.step();
        double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        long[] a1 = CpuBackend.allocatedBytes();
        long peak = procStatusKb("VmHWM");
        System.out.printf(Locale.ROOT, "{\"bench\":\"fno2d_java_memory\",\"res\":%d,\"steps\":%d,\"rss_base_mb\":%.1f,\"rss_peak_mb\":%.1f,"
                        + "\"peak_over_base_mb\":%.1f,\"heap_peak_mb\":%.1f,\"max_heap_mb\":%.1f,\"step_ms\":%.1f,\"gc_ms\":%d,"
                        + "\"fresh_mb_per_step\":%.1f,\"reused_mb_per_step\":%.1f}%n", s, steps,
                base / 1024.0, peak / 1024.0, (peak - base) / 1024.0, peakHeap() / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0,
                stepMs, gcMillis() - gc0, (a1[0] - a0[0]) / 1048576.0 / steps, (a1[1] - a0[1]) / 1048576.0 / steps);
    }

    /**
     * {@code --live [RES]}: the peak bytes of tensor storage live during one training step at RES x RES
     * after 3 warm-up steps ({@link LiveBytes}), the measure {@code scripts/fno2d_memory_torch.py --live}
     * takes of PyTorch's step with its profiler.
     */
    private static void live(int s) {
        Training run = Training.warm(s, () -> { });
        long peak = LiveBytes.peakOf(run::step);
        System.out.printf(Locale.ROOT, "{\"bench\":\"fno2d_java_live\",\"res\":%d,\"peak_live_mb\":%.1f}%n", s, peak / 1048576.0);
    }

    /** The peer's model, optimizer and a batch of 20 random RES x RES fields, as the memory measures use them. */
    private record Training(Fno2d model, Adam opt, Tensor x, Tensor y) {
        /** Built from seed 0; {@code beforeWarmUp} runs once everything exists, then 3 warm-up steps. */
        static Training warm(int s, Runnable beforeWarmUp) {
            Rng rng = new Rng(0);
            Fno2d model = new Fno2d(32, 12, 4, rng);
            Training t = new Training(model, new Adam(model.namedParameters(), 1e-3, 0.9, 0.999, 1e-8, 1e-4, false),
                    Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, 20, s, s, 1), Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, 1, 20, s, s, 1));
            beforeWarmUp.run();
            for (int i = 0; i < 3; i++) t.step();
            return t;
        }

        void step() { FnoStepBench.step(model, opt, x, y); }
    }

    /** A kB field of /proc/self/status (Linux), or -1. */
    private static long procStatusKb(String field) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
    }

    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }

    static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, g.getCollectionTime());
        return ms;
    }
}
