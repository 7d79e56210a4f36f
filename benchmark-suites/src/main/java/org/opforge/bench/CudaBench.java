package org.opforge.bench;

import java.util.Arrays;
import java.util.ServiceLoader;
import org.opforge.api.compute.ComputeBackendService;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.FftNorm;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Backends;
import org.opforge.tensor.nn.optim.Adam;

/**
 * The GPU figures of issue 9 on the CUDA backend (plugins/cuda), printed as one JSON line for
 * comparison with plugins/cuda/peer/cuda_torch.py run on the same machine:
 * <ul>
 *   <li>sgemm 4096 x 4096 x 4096 fp32 (2 n^3 flops);</li>
 *   <li>rfft2 + irfft2 on float32 (20, 32, 256, 256);</li>
 *   <li>an FNO-2D training step: width 64, 4 layers, 12 modes, fc 128, batch 32, 256 x 256, relative
 *       L2 summed over the batch, Adam (lr 1e-3, weight decay 1e-4), the model of {@link FnoStepBench}
 *       with its coordinate grid made on the input's device.</li>
 * </ul>
 * Each case reports min and median wall time (the device is synchronized by reading a scalar back)
 * and the peak device memory of the case: held by live tensors, and reserved from the driver (live
 * plus the allocator's cache, the figure comparable to PyTorch's max_memory_reserved).
 *
 * <p>The backend is found without a compile-time dependency on plugins/cuda: the opforge-cuda jar and
 * JCuda's two jars go on the class path (plugins/cuda/README.md has the command).
 *
 * <pre>java -cp ... org.opforge.bench.CudaBench [--reps 10] [--fno-steps 10] [--skip-fno]</pre>
 */
public final class CudaBench {
    private CudaBench() {}

    public static void main(String[] args) throws Exception {
        int reps = 10, fnoSteps = 10;
        boolean fno = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--fno-steps" -> fnoSteps = Integer.parseInt(args[++i]);
                case "--skip-fno" -> fno = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (--reps N, --fno-steps N, --skip-fno)");
            }
        }
        Backend be = null;
        String why = "no ComputeBackendService for a cuda device on the class path (add the opforge-cuda and jcuda jars)";
        for (ComputeBackendService s : ServiceLoader.load(ComputeBackendService.class)) {
            if (!s.device().kind().equals("cuda")) continue;
            if (s.available()) {
                be = s.backend();
                break;
            }
            why = s.description();
        }
        if (be == null) {
            System.err.println("CudaBench: CUDA is not available: " + why);
            System.exit(2);
        }
        Backends.register(be);
        Device cuda = be.device();
        StringBuilder json = new StringBuilder("{\"bench\":\"cuda_java\",\"device\":\"" + be.describe().replace("\"", "'") + "\"");

        // sgemm 4096
        int n = 4096;
        Rng rng = new Rng(0);
        Tensor a = Tensor.randn(rng, DType.FLOAT32, cuda, 0, 1, n, n), b = Tensor.randn(rng, DType.FLOAT32, cuda, 0, 1, n, n);
        Stats.reset(be);
        double[] t = time(() -> a.matmul(b).slice(0, 0, 1).slice(1, 0, 1).item(), reps);
        json.append(String.format(",\"sgemm_4096\":{\"min_ms\":%.3f,\"med_ms\":%.3f,\"tflops_med\":%.2f%s}", t[0], t[1],
                2.0 * n * n * n / (t[1] * 1e-3) / 1e12, Stats.peak(be)));

        // rfft2 + irfft2 (20, 32, 256, 256)
        Tensor x = Tensor.randn(rng, DType.FLOAT32, cuda, 0, 1, 20, 32, 256, 256);
        Stats.reset(be);
        t = time(() -> Spectral.irfft2(Spectral.rfft2(x, FftNorm.BACKWARD), 256, 256, FftNorm.BACKWARD).slice(0, 0, 1).sum().item(), reps);
        json.append(String.format(",\"rfft2+irfft2_20x32x256x256\":{\"min_ms\":%.3f,\"med_ms\":%.3f%s}", t[0], t[1], Stats.peak(be)));

        if (fno) {
            Rng mr = new Rng(0);
            FnoStepBench.Fno2d model = new FnoStepBench.Fno2d(64, 12, 4, mr);
            model.to(cuda);
            Adam opt = new Adam(model.namedParameters(), 1e-3, 0.9, 0.999, 1e-8, 1e-4, false);
            Tensor xs = Tensor.rand(mr, DType.FLOAT32, cuda, 0, 1, 32, 256, 256, 1);
            Tensor ys = Tensor.rand(mr, DType.FLOAT32, cuda, 0, 1, 32, 256, 256, 1);
            Stats.reset(be);
            t = time(() -> {
                FnoStepBench.step(model, opt, xs, ys);
                return model.parameters().get(0).slice(0, 0, 1).sum().item();
            }, fnoSteps);
            json.append(String.format(",\"fno2d_step_w64_m12_b32_256\":{\"min_ms\":%.1f,\"med_ms\":%.1f,\"samples_per_s_med\":%.1f%s}",
                    t[0], t[1], 32000 / t[1], Stats.peak(be)));
        }
        System.out.println(json.append('}'));
    }

    /** Memory statistics of the CUDA backend, read reflectively (no compile-time dependency on plugins/cuda). */
    static final class Stats {
        static void reset(Backend be) throws Exception {
            be.getClass().getMethod("resetPeakMemory").invoke(be);
        }

        static String peak(Backend be) throws Exception {
            long live = (Long) be.getClass().getMethod("peakMemoryInUse").invoke(be);
            long reserved = (Long) be.getClass().getMethod("peakMemoryReserved").invoke(be);
            return String.format(",\"peak_live_mib\":%.1f,\"peak_reserved_mib\":%.1f", live / 1048576.0, reserved / 1048576.0);
        }
    }

    interface Body {
        double run() throws Exception;
    }

    /** {min, median} milliseconds over {@code reps} runs after 3 warm-up runs; each run ends by reading a value back. */
    static double[] time(Body body, int reps) throws Exception {
        for (int i = 0; i < 3; i++) body.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return new double[] {t[0], t[reps / 2]};
    }
}
