package org.opforge.tensor.spectral;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;

/**
 * float32 transforms on enough lanes to take the SIMD path and the chunk layouts of the CPU kernels:
 * the last axis (lanes are rows, a partial last chunk) and inner axes of 16, 17, 33 and 65 columns
 * (chunks are column blocks of one outer index, most of them wider than the valid columns), for even,
 * odd, mixed-radix and Bluestein lengths; c2c forward / inverse / pruned / padded, r2c full and
 * truncated with both weightings, c2r, each against the definition in double.
 */
class FftFloat32LayoutTest {
    private static final float TOL = 4e-6f;

    private static double[] random(Random r, int size) {
        double[] d = new double[size];
        for (int i = 0; i < size; i++) d[i] = (float) r.nextGaussian();
        return d;
    }

    private static float[] f32(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static void close(String what, double[] expected, double[] got) {
        double err = NaiveDft.maxDiff(expected, got), scale = Math.max(1e-30, NaiveDft.maxAbs(expected));
        assertTrue(err <= TOL * scale, what + ": max error " + err + " exceeds " + TOL + " x " + scale);
    }

    @Test
    void everyAxisLayoutMatchesTheDefinition() {
        int[][] layouts = {{37, 1}, {3, 16}, {3, 17}, {2, 33}, {2, 65}};
        for (int[] lay : layouts) {
            for (int n : new int[] {8, 12, 17, 32, 63, 64}) {
                check(lay[0], n, lay[1], new Random(31L * n + lay[1]));
            }
        }
    }

    private static void check(int outer, int n, int inner, Random r) {
        String at = "(" + outer + ", " + n + ", " + inner + ")";
        double[] x = random(r, 2 * outer * n * inner);
        Tensor t = Tensor.of(f32(x), DType.COMPLEX64, Device.CPU, outer, n, inner);
        close("c2c " + at, NaiveDft.dft(x, outer, n, inner, -1, 1), Spectral.c2c(t, 1, n, n, 0, false, false, 1).toDoubleArray());
        close("inverse c2c " + at, NaiveDft.dft(x, outer, n, inner, +1, 0.5), Spectral.c2c(t, 1, n, n, 0, false, true, 0.5).toDoubleArray());
        int lo = (n + 2) / 3, hi = n / 4, kept = lo + hi;
        double[] full = NaiveDft.dft(x, outer, n, inner, -1, 1);
        double[] pruned = new double[2 * outer * kept * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < kept; j++) {
                int k = j < lo ? j : n - hi + (j - lo);
                System.arraycopy(full, 2 * (o * n + k) * inner, pruned, 2 * (o * kept + j) * inner, 2 * inner);
            }
        }
        close("pruned c2c " + at, pruned, Spectral.c2c(t, 1, n, lo, hi, false, false, 1).toDoubleArray());
        double[] spectrum = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < kept; j++) {
                int k = j < lo ? j : n - hi + (j - lo);
                System.arraycopy(x, 2 * (o * kept + j) * inner, spectrum, 2 * (o * n + k) * inner, 2 * inner);
            }
        }
        double[] keptIn = Arrays.copyOf(x, 2 * outer * kept * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < kept; j++) {
                int k = j < lo ? j : n - hi + (j - lo);
                System.arraycopy(spectrum, 2 * (o * n + k) * inner, keptIn, 2 * (o * kept + j) * inner, 2 * inner);
            }
        }
        Tensor kt = Tensor.of(f32(keptIn), DType.COMPLEX64, Device.CPU, outer, kept, inner);
        close("padded c2c " + at, NaiveDft.dft(spectrum, outer, n, inner, +1, 1),
                Spectral.c2c(kt, 1, n, lo, hi, true, true, 1).toDoubleArray());

        double[] re = random(r, outer * n * inner);
        Tensor rt = Tensor.of(f32(re), outer, n, inner);
        double[] fr = NaiveDft.dft(NaiveDft.complexOf(re), outer, n, inner, -1, 1);
        int bins = n / 2 + 1;
        close("r2c " + at, NaiveDft.firstBins(fr, outer, n, inner, bins), Spectral.r2c(rt, 1, bins, false, 1).toDoubleArray());
        // truncated, with the weights 2 on the bins that stand for a conjugate pair
        int few = Math.max(1, bins / 2);
        double[] weighted = NaiveDft.firstBins(fr, outer, n, inner, few);
        for (int o = 0; o < outer; o++) {
            for (int k = 1; k < few; k++) {
                if (2 * k == n) continue;
                for (int c = 0; c < 2 * inner; c++) weighted[2 * (o * few + k) * inner + c] *= 2;
            }
        }
        close("truncated weighted r2c " + at, weighted, Spectral.r2c(rt, 1, few, true, 1).toDoubleArray());
        double[] z = random(r, 2 * outer * bins * inner);
        Tensor zt = Tensor.of(f32(z), DType.COMPLEX64, Device.CPU, outer, bins, inner);
        close("c2r " + at, NaiveDft.irfft(z, outer, bins, inner, n, 1.0 / n), Spectral.c2r(zt, 1, n, true, 1.0 / n).toDoubleArray());
    }

    @Test
    void lanesPastTheValidOnesDoNotLeakIntoResults() {
        // fill the per-thread scratch with NaN through a wide transform, then run narrow ones
        int n = 64;
        float[] nan = new float[2 * 4 * n * 48];
        Arrays.fill(nan, Float.NaN);
        Spectral.c2c(Tensor.of(nan, DType.COMPLEX64, Device.CPU, 4, n, 48), 1, n, n, 0, false, false, 1);
        Spectral.r2c(Tensor.of(Arrays.copyOf(nan, 4 * n * 48), 4, n, 48), 1, n / 2 + 1, false, 1);
        check(1, n, 33, new Random(1));
        check(5, n, 1, new Random(2));
    }
}
