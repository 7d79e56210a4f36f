package org.opforge.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Backends;

/**
 * GEMM throughput of the tensor engine through {@link Tensor#matmul} (output allocation included,
 * as torch.mm), to compare with {@code shared/peers/gemm_fft_torch.py} run in the same session:
 * sgemm n x n @ n x n for n = 256, 512, 1024, 2048 (2 n^3 flops); bmm 4096 x (32x32 @ 32x32)
 * (2 m n k per matrix); the FNO complex channel mixing as a modes-major complex64 bmm
 * 144 x (20x32 @ 32x32) (8 flops per complex multiply-add).
 *
 * <p>Run with {@code --add-modules jdk.incubator.vector} for the SIMD micro-kernel (the first line
 * says which kernel is in use). Usage: {@code GemmBench [seconds per case]}. Prints, per case, the
 * GFLOP/s at the median and at the best call.
 */
public final class GemmBench {
    private GemmBench() {}

    public static void main(String[] args) {
        double budget = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        System.out.println(Backends.cpu().describe() + ", java " + System.getProperty("java.version"));
        Rng rng = new Rng(1);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int n : new int[] {256, 512, 1024, 2048}) {
                Tensor a = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, n, n);
                Tensor b = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, n, n);
                report("sgemm_" + n, 2.0 * n * n * n, budget, () -> a.matmul(b));
            }
            Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 4096, 32, 32);
            Tensor y = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 4096, 32, 32);
            report("bmm_4096x32x32x32", 2.0 * 32 * 32 * 32 * 4096, budget, () -> x.matmul(y));
            Tensor xm = Tensor.randn(rng, DType.COMPLEX64, Device.CPU, 0, 1, 144, 20, 32);
            Tensor wm = Tensor.randn(rng, DType.COMPLEX64, Device.CPU, 0, 1, 144, 32, 32);
            report("cbmm_modes_major_b20_c32_m12", 8.0 * 20 * 32 * 32 * 144, budget, () -> xm.matmul(wm));
        }
        System.exit(0);
    }

    private static void report(String name, double flops, double budget, Supplier<Tensor> op) {
        // warm-up: let the JIT compile the kernels
        long warmEnd = System.nanoTime() + (long) (0.5e9 * budget);
        while (System.nanoTime() < warmEnd) op.get();
        double[] times = new double[10000];
        int count = 0;
        long end = System.nanoTime() + (long) (1e9 * budget);
        while ((count < 5 || System.nanoTime() < end) && count < times.length) {
            long t = System.nanoTime();
            op.get();
            times[count++] = (System.nanoTime() - t) * 1e-9;
        }
        double[] s = Arrays.copyOf(times, count);
        Arrays.sort(s);
        double med = s[count / 2], best = s[0];
        System.out.println(String.format(Locale.ROOT, "%-32s n=%-5d med %8.3f ms  %7.1f GFLOP/s   best %8.3f ms  %7.1f GFLOP/s",
                name, count, med * 1e3, flops / med * 1e-9, best * 1e3, flops / best * 1e-9));
    }
}
