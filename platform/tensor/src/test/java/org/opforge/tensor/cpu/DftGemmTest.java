package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Rng;

/**
 * The matrix-form DFTs of {@link DftGemm} against the defining sums evaluated in double, in float32
 * and float64, for even and odd lengths, one-sided bins with and without Hermitian weights, and
 * pruned analysis / padded synthesis with both signs.
 */
class DftGemmTest {
    private static final CpuBackend BE = CpuBackend.instance();

    private static double[] random(int size, long seed) {
        Rng r = new Rng(seed);
        double[] d = new double[size];
        for (int i = 0; i < size; i++) d[i] = r.nextNormal();
        return d;
    }

    private static double w(boolean herm, int k, int n) {
        return herm && k > 0 && 2 * k != n ? 2 : 1;
    }

    private static void assertClose(double[] want, double[] got, DType dt, String what) {
        double max = 0, err = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        double tol = dt.isDouble() ? 1e-12 : 2e-6;
        assertTrue(err <= tol * max, what + " " + dt + ": max error " + err + " for scale " + max);
    }

    @Test
    void realTransformsMatchTheDefinition() {
        int rows = 37;
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {64, 15}) {
                for (int bins : new int[] {1, 5, n / 2 + 1}) {
                    for (boolean herm : new boolean[] {false, true}) {
                        double scale = herm ? 1.0 / n : 0.5;
                        double[] x = random(rows * n, n * 31L + bins);
                        double[] want = new double[rows * 2 * bins];
                        for (int r = 0; r < rows; r++) {
                            for (int k = 0; k < bins; k++) {
                                double re = 0, im = 0;
                                for (int t = 0; t < n; t++) {
                                    double a = -2 * Math.PI * k * t / n;
                                    re += x[r * n + t] * Math.cos(a);
                                    im += x[r * n + t] * Math.sin(a);
                                }
                                want[r * 2 * bins + 2 * k] = scale * w(herm, k, n) * re;
                                want[r * 2 * bins + 2 * k + 1] = scale * w(herm, k, n) * im;
                            }
                        }
                        CpuBuffer in = CpuBackend.cb(BE.fromHost(x, dt)), out = CpuBackend.cb(BE.allocate(dt.toComplex(), (long) rows * bins));
                        DftGemm.r2c(in, out, rows, n, bins, herm, scale);
                        assertClose(want, BE.toHostDouble(out), dt, "r2c n=" + n + " bins=" + bins + " herm=" + herm);

                        double[] z = random(rows * 2 * bins, n * 17L + bins);
                        double[] back = new double[rows * n];
                        for (int r = 0; r < rows; r++) {
                            for (int t = 0; t < n; t++) {
                                double s = 0;
                                for (int k = 0; k < bins; k++) {
                                    double a = 2 * Math.PI * k * t / n;
                                    double zr = z[r * 2 * bins + 2 * k], zi = z[r * 2 * bins + 2 * k + 1];
                                    s += w(herm, k, n) * (zr * Math.cos(a) - zi * Math.sin(a));
                                }
                                back[r * n + t] = scale * s;
                            }
                        }
                        CpuBuffer zin = CpuBackend.cb(BE.fromHost(z, dt.toComplex())), y = CpuBackend.cb(BE.allocate(dt, (long) rows * n));
                        DftGemm.c2r(zin, y, rows, n, bins, herm, scale);
                        assertClose(back, BE.toHostDouble(y), dt, "c2r n=" + n + " bins=" + bins + " herm=" + herm);
                    }
                }
            }
        }
    }

    @Test
    void complexTransformsMatchTheDefinition() {
        int rows = 23;
        for (DType dt : new DType[] {DType.COMPLEX64, DType.COMPLEX128}) {
            for (int n : new int[] {64, 15}) {
                for (int[] lohi : new int[][] {{12, 12}, {3, 0}, {n, 0}}) {
                    int lo = lohi[0], hi = lohi[1], kept = lo + hi;
                    int[] freq = new int[kept];
                    for (int j = 0; j < kept; j++) freq[j] = j < lo ? j : n - hi + (j - lo);
                    for (boolean pad : new boolean[] {false, true}) {
                        for (boolean inverse : new boolean[] {false, true}) {
                            int inLen = pad ? kept : n, outLen = pad ? n : kept;
                            double sign = inverse ? 1 : -1, scale = 0.25;
                            double[] x = random(rows * 2 * inLen, n * 7L + kept + (pad ? 1 : 0));
                            double[] want = new double[rows * 2 * outLen];
                            for (int r = 0; r < rows; r++) {
                                for (int o = 0; o < outLen; o++) {
                                    double re = 0, im = 0;
                                    for (int i = 0; i < inLen; i++) {
                                        double a = sign * 2 * Math.PI * (pad ? (double) freq[i] * o : (double) freq[o] * i) / n;
                                        double xr = x[r * 2 * inLen + 2 * i], xi = x[r * 2 * inLen + 2 * i + 1];
                                        re += xr * Math.cos(a) - xi * Math.sin(a);
                                        im += xr * Math.sin(a) + xi * Math.cos(a);
                                    }
                                    want[r * 2 * outLen + 2 * o] = scale * re;
                                    want[r * 2 * outLen + 2 * o + 1] = scale * im;
                                }
                            }
                            CpuBuffer in = CpuBackend.cb(BE.fromHost(x, dt)), out = CpuBackend.cb(BE.allocate(dt, (long) rows * outLen));
                            DftGemm.c2c(in, out, rows, n, lo, hi, pad, inverse, scale);
                            assertClose(want, BE.toHostDouble(out), dt.toReal(),
                                    "c2c n=" + n + " lo=" + lo + " hi=" + hi + " pad=" + pad + " inverse=" + inverse);
                        }
                    }
                }
            }
        }
    }
}
