package org.opforge.tensor.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.FftNorm;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/**
 * The FFT kernels against the O(n^2) definition in float64: every length 1..40 (all small radices,
 * the direct radix 7/11/13 butterflies and Bluestein for 17, 19, 23, ...), powers of two and three, a
 * large prime, along a strided axis so the lane gather / scatter is exercised too.
 */
class FftAccuracyTest {
    private static final int OUTER = 3, INNER = 2;

    static Stream<Integer> lengths() {
        return Stream.concat(IntStream.rangeClosed(1, 40).boxed(), Stream.of(64, 97, 100, 128, 243, 1000));
    }

    private static double[] random(Random r, int size) {
        double[] d = new double[size];
        for (int i = 0; i < size; i++) d[i] = r.nextGaussian();
        return d;
    }

    private static Tensor complex128(double[] z, int... shape) {
        return Tensor.of(z, DType.COMPLEX128, Device.CPU, shape);
    }

    /** Error bound of a float64 FFT relative to the output scale (rounding grows like log n). */
    private static void close(String what, double[] expected, double[] got, double tol) {
        double err = NaiveDft.maxDiff(expected, got), scale = Math.max(1e-300, NaiveDft.maxAbs(expected));
        assertTrue(err <= tol * scale, what + ": max error " + err + " exceeds " + tol + " x " + scale);
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("lengths")
    void complexForwardInverseAndRoundTrip(int n) {
        Random r = new Random(n);
        double[] x = random(r, 2 * OUTER * n * INNER);
        Tensor t = complex128(x, OUTER, n, INNER);
        double[] fwd = Spectral.fft(t, 1, FftNorm.BACKWARD).toDoubleArray();
        close("fft", NaiveDft.dft(x, OUTER, n, INNER, -1, 1), fwd, 1e-13);
        double[] inv = Spectral.ifft(t, 1, FftNorm.BACKWARD).toDoubleArray();
        close("ifft", NaiveDft.dft(x, OUTER, n, INNER, +1, 1.0 / n), inv, 1e-13);
        double[] back = Spectral.ifft(Spectral.fft(t, 1, FftNorm.ORTHO), 1, FftNorm.ORTHO).toDoubleArray();
        close("ifft(fft(x)) ortho", x, back, 1e-13);
        // the last axis (contiguous lanes) too
        Tensor row = complex128(x, OUTER * INNER, n);
        close("fft last axis", NaiveDft.dft(x, OUTER * INNER, n, 1, -1, 1), Spectral.fft(row, -1, FftNorm.BACKWARD).toDoubleArray(), 1e-13);
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("lengths")
    void realForwardAndInverse(int n) {
        Random r = new Random(1000 + n);
        double[] x = random(r, OUTER * n * INNER);
        Tensor t = Tensor.of(x, OUTER, n, INNER);
        int bins = n / 2 + 1;
        double[] full = NaiveDft.dft(NaiveDft.complexOf(x), OUTER, n, INNER, -1, 1);
        double[] got = Spectral.rfft(t, 1, FftNorm.BACKWARD).toDoubleArray();
        close("rfft", NaiveDft.firstBins(full, OUTER, n, INNER, bins), got, 1e-13);
        // bin 0 and (even n) bin n/2 are exactly real
        assertEquals(0.0, got[1]);
        if (n % 2 == 0) assertEquals(0.0, got[2 * (bins - 1) * INNER + 1]);
        // irfft of a general (non-Hermitian) spectrum, as numpy: Im of bin 0 and n/2 ignored
        double[] z = random(r, 2 * OUTER * bins * INNER);
        Tensor zt = complex128(z, OUTER, bins, INNER);
        close("irfft", NaiveDft.irfft(z, OUTER, bins, INNER, n, 1.0 / n), Spectral.irfft(zt, n, 1, FftNorm.BACKWARD).toDoubleArray(), 1e-13);
        close("irfft(rfft(x))", x, Spectral.irfft(Spectral.rfft(t, 1, FftNorm.FORWARD), n, 1, FftNorm.FORWARD).toDoubleArray(), 1e-13);
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("lengths")
    void prunedTransformsMatchTheKeptBinsOfTheFullOne(int n) {
        Random r = new Random(2000 + n);
        double[] x = random(r, 2 * OUTER * n * INNER);
        int lo = (n + 2) / 3, hi = n / 3;
        Tensor t = complex128(x, OUTER, n, INNER);
        double[] full = NaiveDft.dft(x, OUTER, n, INNER, -1, 0.5);
        double[] kept = Spectral.c2c(t, 1, n, lo, hi, false, false, 0.5).toDoubleArray();
        double[] expected = new double[kept.length];
        for (int o = 0; o < OUTER; o++) {
            for (int j = 0; j < lo + hi; j++) {
                int k = j < lo ? j : n - hi + (j - lo);
                System.arraycopy(full, 2 * (o * n + k) * INNER, expected, 2 * (o * (lo + hi) + j) * INNER, 2 * INNER);
            }
        }
        close("pruned c2c", expected, kept, 1e-13);
        // synthesis from the kept bins = inverse transform of the zero-filled spectrum
        double[] spectrum = new double[x.length];
        for (int o = 0; o < OUTER; o++) {
            for (int j = 0; j < lo + hi; j++) {
                int k = j < lo ? j : n - hi + (j - lo);
                System.arraycopy(kept, 2 * (o * (lo + hi) + j) * INNER, spectrum, 2 * (o * n + k) * INNER, 2 * INNER);
            }
        }
        Tensor kt = complex128(kept, OUTER, lo + hi, INNER);
        close("padded c2c", NaiveDft.dft(spectrum, OUTER, n, INNER, +1, 2.0),
                Spectral.c2c(kt, 1, n, lo, hi, true, true, 2.0).toDoubleArray(), 1e-13);
        // truncated one-sided transform
        double[] re = random(r, OUTER * n * INNER);
        int bins = Math.max(1, (n / 2 + 1) / 2);
        double[] fr = NaiveDft.dft(NaiveDft.complexOf(re), OUTER, n, INNER, -1, 1);
        close("truncated r2c", NaiveDft.firstBins(fr, OUTER, n, INNER, bins),
                Spectral.r2c(Tensor.of(re, OUTER, n, INNER), 1, bins, false, 1).toDoubleArray(), 1e-13);
    }

    @Test
    void multiDimensionalTransformsAreSuccessiveOneDimensionalOnes() {
        Random r = new Random(7);
        int[][] shapes = {{2, 6, 10}, {3, 7, 5, 9}, {2, 4, 6, 5, 8}};
        for (int[] s : shapes) {
            int dims = s.length - 1 >= 3 ? 3 : s.length - 1;
            int numel = 1;
            for (int v : s) numel *= v;
            double[] x = random(r, numel);
            // reference: rfft on the last axis then full DFTs on the others, all by definition
            int last = s[s.length - 1], bins = last / 2 + 1;
            int outerLast = numel / last;
            double[] z = NaiveDft.firstBins(NaiveDft.dft(NaiveDft.complexOf(x), outerLast, last, 1, -1, 1), outerLast, last, 1, bins);
            int[] zs = s.clone();
            zs[s.length - 1] = bins;
            for (int k = 1; k < dims; k++) {
                int a = s.length - 1 - k;
                int outer = 1, inner = 1;
                for (int i = 0; i < a; i++) outer *= zs[i];
                for (int i = a + 1; i < zs.length; i++) inner *= zs[i];
                z = NaiveDft.dft(z, outer, zs[a], inner, -1, 1);
            }
            Tensor xt = Tensor.of(x, s);
            Tensor zt = Spectral.rfftn(xt, dims, FftNorm.BACKWARD);
            assertArrayEquals(zs, zt.shape());
            close("rfftn " + dims + "-D", z, zt.toDoubleArray(), 1e-13);
            int[] sizes = java.util.Arrays.copyOfRange(s, s.length - dims, s.length);
            close("irfftn(rfftn) " + dims + "-D", x, Spectral.irfftn(zt, sizes, FftNorm.BACKWARD).toDoubleArray(), 1e-13);
            Tensor c = Spectral.fftn(xt, dims, FftNorm.ORTHO);
            close("ifftn(fftn) " + dims + "-D", NaiveDft.complexOf(x), Spectral.ifftn(c, dims, FftNorm.ORTHO).toDoubleArray(), 1e-13);
        }
    }

    @Test
    void float32TransformsAreAccurateToSinglePrecision() {
        Random r = new Random(11);
        for (int n : new int[] {8, 12, 17, 64, 97, 100, 1000}) {
            double[] x = random(r, OUTER * n * INNER);
            float[] xf = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) x[i];
                x[i] = xf[i];
            }
            double[] ref = NaiveDft.firstBins(NaiveDft.dft(NaiveDft.complexOf(x), OUTER, n, INNER, -1, 1), OUTER, n, INNER, n / 2 + 1);
            Tensor z = Spectral.rfft(Tensor.of(xf, OUTER, n, INNER), 1, FftNorm.BACKWARD);
            assertEquals(DType.COMPLEX64, z.dtype());
            close("float32 rfft n=" + n, ref, z.toDoubleArray(), 2e-6);
            close("float32 irfft(rfft) n=" + n, x, Spectral.irfft(z, n, 1, FftNorm.BACKWARD).toDoubleArray(), 2e-6);
        }
    }

    @Test
    void normModesScaleAsNumpy() {
        Random r = new Random(3);
        int n = 12;
        double[] x = random(r, n);
        Tensor t = Tensor.of(x, n);
        double[] b = Spectral.rfft(t, 0, FftNorm.BACKWARD).toDoubleArray();
        double[] f = Spectral.rfft(t, 0, FftNorm.FORWARD).toDoubleArray();
        double[] o = Spectral.rfft(t, 0, FftNorm.ORTHO).toDoubleArray();
        for (int i = 0; i < b.length; i++) {
            assertEquals(b[i] / n, f[i], 1e-14);
            assertEquals(b[i] / Math.sqrt(n), o[i], 1e-14);
        }
    }
}
