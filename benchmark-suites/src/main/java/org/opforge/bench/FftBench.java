package org.opforge.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.jtransforms.fft.FloatFFT_2D;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.FftNorm;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * FFT figures of the tensor engine at FNO sizes, to compare with {@code shared/peers/gemm_fft_torch.py}
 * (PyTorch / PocketFFT) taken in the same session:
 * <ul>
 *   <li>rfft2 + irfft2 on float32 (20, 32, 64, 64) with the engine's FFT, and with JTransforms 3.2
 *       (FloatFFT_2D per image, images spread over the cores, its own pool at one thread);</li>
 *   <li>SpectralConv2d (batch 20, width 32, 64 x 64, 12 x 12 modes) forward and forward + backward,
 *       through {@link Spectral#spectralConv2d} (transforms of the kept block only) and through the
 *       reference code's composition (full rfft2, corner slices, mixing, zero-filled spectrum, full
 *       irfft2) built from the same engine's ops.</li>
 * </ul>
 * Usage: {@code FftBench [reps]}. Prints one line per case: min and median milliseconds per call.
 */
public final class FftBench {
    private FftBench() {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int b = 20, c = 32, h = 64, w = 64, m = 12;
        Rng rng = new Rng(42);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, b, c, h, w);
        System.out.println("cores " + Runtime.getRuntime().availableProcessors() + ", java " + System.getProperty("java.version"));

        try (GradMode.Scope ignored = GradMode.noGrad()) {
            report("own rfft2+irfft2 (20,32,64,64) f32", reps,
                    () -> Spectral.irfft2(Spectral.rfft2(x, FftNorm.BACKWARD), h, w, FftNorm.BACKWARD));
            report("own rfft2 (20,32,64,64) f32", reps, () -> Spectral.rfft2(x, FftNorm.BACKWARD));
        }
        jtransforms(x.toFloatArray(), b * c, h, w, reps);

        double scale = 1.0 / (c * c);
        Tensor w1 = Tensor.complex(Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, scale, c, c, m, m),
                Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, scale, c, c, m, m)).detach().requiresGrad(true);
        Tensor w2 = Tensor.complex(Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, scale, c, c, m, m),
                Tensor.rand(rng, DType.FLOAT32, Device.CPU, 0, scale, c, c, m, m)).detach().requiresGrad(true);
        Tensor xg = x.detach().requiresGrad(true);
        Tensor up = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, b, c, h, w);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            report("spectralConv2d fwd (kept block)", reps, () -> Spectral.spectralConv2d(x, w1, w2));
            report("spectralConv2d fwd (reference composition)", reps, () -> reference(x, w1, w2, m));
        }
        report("spectralConv2d fwd+bwd (kept block)", reps, () -> {
            Spectral.spectralConv2d(xg, w1, w2).backward(up, false);
            clear(xg, w1, w2);
            return null;
        });
        report("spectralConv2d fwd+bwd (reference composition)", Math.max(3, reps / 4), () -> {
            reference(xg, w1, w2, m).backward(up, false);
            clear(xg, w1, w2);
            return null;
        });
        Tensor xf;
        Tensor wk = Tensor.cat(2, w1, w2).detach();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            xf = Spectral.c2c(Spectral.r2c(x, 3, m, false, 1), 2, h, m, m, false, false, 1);
            report("complexMulChannels (20,32,24,12)x(32,32,24,12)", reps, () -> Spectral.complexMulChannels(xf, wk));
        }
    }

    private static void clear(Tensor... ts) {
        for (Tensor t : ts) t.zeroGrad();
    }

    /** The reference code's SpectralConv2d: full transforms, corner slices, zero-filled spectrum. */
    static Tensor reference(Tensor x, Tensor w1, Tensor w2, int m) {
        int b = x.size(0), h = x.size(2), w = x.size(3), co = w1.size(1);
        Tensor xft = Spectral.rfft2(x, FftNorm.BACKWARD);
        Tensor lo = Spectral.complexMulChannels(xft.slice(2, 0, m).slice(3, 0, m), w1);
        Tensor hi = Spectral.complexMulChannels(xft.slice(2, h - m, h).slice(3, 0, m), w2);
        Tensor mid = Tensor.zeros(xft.dtype(), x.device(), b, co, h - 2 * m, m);
        Tensor block = Tensor.cat(2, lo, mid, hi);
        Tensor outFt = block.embed(new int[] {b, co, h, w / 2 + 1}, 3, 0, 1);
        return Spectral.irfft2(outFt, h, w, FftNorm.BACKWARD);
    }

    private static void jtransforms(float[] data, int images, int h, int w, int reps) {
        ConcurrencyUtils.setNumberOfThreads(1);
        FloatFFT_2D plan = new FloatFFT_2D(h, w);
        float[] out = new float[data.length];
        try {
            report("JTransforms rfft2+irfft2 (20,32,64,64) f32", reps, () -> {
                IntStream.range(0, images).parallel().forEach(i -> {
                    float[] a = Arrays.copyOfRange(data, i * h * w, (i + 1) * h * w);
                    plan.realForward(a);
                    plan.realInverse(a, true);
                    System.arraycopy(a, 0, out, i * h * w, h * w);
                });
                return null;
            });
        } finally {
            ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
        }
    }

    private static void report(String name, int reps, java.util.function.Supplier<Object> body) {
        for (int i = 0; i < Math.max(3, reps / 4); i++) body.get();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.println(String.format(Locale.ROOT, "%-52s min %8.2f ms  med %8.2f ms  (n=%d)", name, ms[0], ms[reps / 2], reps));
    }
}
