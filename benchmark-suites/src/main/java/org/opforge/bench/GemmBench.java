package org.opforge.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Backends;

/**
 * GEMM throughput of the tensor engine through {@link Tensor#matmul} (output allocation included,
 * as torch.mm; each call in an inference {@link StepScope}, so the output's storage is reused as PyTorch's
 * caching allocator reuses it), to compare with {@code shared/peers/gemm_fft_torch.py} run in the same session:
 * sgemm n x n @ n x n for n = 256, 512, 1024, 2048 (2 n^3 flops); bmm 4096 x (32x32 @ 32x32)
 * (2 m n k per matrix); the FNO complex channel mixing as a modes-major complex64 bmm
 * 144 x (20x32 @ 32x32) (8 flops per complex multiply-add).
 *
 * <p>Run with {@code --add-modules jdk.incubator.vector} for the SIMD micro-kernel (the first line
 * says which kernel is in use). Usage: {@code GemmBench [seconds per case]}. Prints, per case, the
 * GFLOP/s at the median and at the best call, and the page faults per timed call (about 0 once the heap
 * and the JIT have settled: {@link Quiet#settle}).
 */
public final class GemmBench {
    private GemmBench() {}

    private static Peak peak;

    /**
     * The machine's nominal fp32 peak: cores x float lanes per FMA x 2 flops per FMA x FMA pipes x clock.
     * The lanes are the engine's vector width, capped by the FMA datapath: AMD up to Zen 4 (family 0x19)
     * executes a 512-bit FMA as two 256-bit halves, so 8 lanes there ({@code -Dopforge.fmaBits} overrides).
     * The pipes are not visible from Java: {@code -Dopforge.fmaPipes} (default 2, as on Zen 4/5 and recent
     * Intel server cores). The clock is /proc/cpuinfo's first "cpu MHz" (the base clock; turbo lifts the
     * real peak above it).
     */
    record Peak(int cores, int lanes, int pipes, double mhz, String datapath) {
        static Peak measure() {
            double mhz = 0;
            String vendor = "";
            int family = 0;
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                    String v = line.indexOf(':') < 0 ? "" : line.substring(line.indexOf(':') + 1).trim();
                    if (line.startsWith("cpu MHz") && mhz == 0) mhz = Double.parseDouble(v);
                    if (line.startsWith("vendor_id") && vendor.isEmpty()) vendor = v;
                    if (line.startsWith("cpu family") && family == 0) family = Integer.parseInt(v);
                }
            } catch (java.io.IOException | RuntimeException e) {
                mhz = 0; // no /proc/cpuinfo: the peak is not printed as a number
            }
            // the engine's SIMD kernel names its vector width ("vector-512"); without SIMD one lane
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("vector-(\\d+)").matcher(Backends.cpu().describe());
            int vectorBits = m.find() ? Integer.parseInt(m.group(1)) : 32;
            boolean halfWidth = vendor.equals("AuthenticAMD") && family > 0 && family <= 0x19;
            int fmaBits = Integer.getInteger("opforge.fmaBits", halfWidth ? Math.min(256, vectorBits) : vectorBits);
            String datapath = fmaBits < vectorBits ? fmaBits + "-bit FMA datapath for " + vectorBits + "-bit vectors" : fmaBits + "-bit FMAs";
            return new Peak(Runtime.getRuntime().availableProcessors(), Math.max(1, Math.min(vectorBits, fmaBits) / 32),
                    Integer.getInteger("opforge.fmaPipes", 2), mhz, datapath);
        }

        double gflops() { return cores * lanes * 2.0 * pipes * mhz / 1e3; }

        @Override public String toString() {
            return String.format(Locale.ROOT, "fp32 peak %.1f GFLOP/s = %d cores x %d lanes (%s) x 2 (FMA) x %d FMA pipes x %.0f MHz",
                    gflops(), cores, lanes, datapath, pipes, mhz);
        }
    }

    public static void main(String[] args) {
        double budget = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        System.out.println(Backends.cpu().describe() + ", java " + System.getProperty("java.version"));
        peak = Peak.measure();
        System.out.println(peak);
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

    private static void report(String name, double flops, double budget, Supplier<Tensor> product) {
        // each product goes back to the pool when its call ends, as torch.mm's output to the caching allocator
        Runnable op = () -> {
            try (StepScope scope = StepScope.inference()) {
                product.get();
            }
        };
        // warm-up: let the JIT compile the kernels, then wait for the steady state (no compiling, no fresh pages)
        long warmEnd = System.nanoTime() + (long) (0.5e9 * budget);
        while (System.nanoTime() < warmEnd) op.run();
        long settle = System.nanoTime();
        Quiet.settle(op, Quiet.SETTLE_SECONDS);
        double settled = (System.nanoTime() - settle) * 1e-9;
        double[] times = new double[10000];
        int count = 0;
        long faults = Quiet.minorFaults();
        long end = System.nanoTime() + (long) (1e9 * budget);
        while ((count < 5 || System.nanoTime() < end) && count < times.length) {
            long t = System.nanoTime();
            op.run();
            times[count++] = (System.nanoTime() - t) * 1e-9;
        }
        double faultsPerCall = faults < 0 ? Double.NaN : (Quiet.minorFaults() - faults) / (double) count;
        double[] s = Arrays.copyOf(times, count);
        Arrays.sort(s);
        double med = s[count / 2], best = s[0];
        double share = peak.gflops() > 0 ? flops / med * 1e-9 / peak.gflops() : Double.NaN;
        System.out.println(String.format(Locale.ROOT, "%-32s n=%-5d med %8.3f ms  %7.1f GFLOP/s   best %8.3f ms  %7.1f GFLOP/s   %4.0f%% of peak   %.1f faults/call   settled in %.1f s",
                name, count, med * 1e3, flops / med * 1e-9, best * 1e3, flops / best * 1e-9, 100 * share, faultsPerCall, settled));
    }
}
