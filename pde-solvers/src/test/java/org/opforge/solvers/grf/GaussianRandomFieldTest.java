package org.opforge.solvers.grf;

import static org.junit.jupiter.api.Assertions.*;

import org.hipparchus.random.Well19937c;
import org.junit.jupiter.api.Test;

class GaussianRandomFieldTest {

    @Test
    void periodicFieldHasTheSpectralVarianceAndZeroMean() {
        // pointwise variance of σ²(-Δ+τ²)^{-α} on the circle: Σ_{k≠0} σ² (4π²k² + τ²)^{-α}
        int n = 64;
        double alpha = 2;
        double tau = 5;
        double sigma = 25;
        double expected = 0;
        for (int k = -n / 2; k < n / 2; k++) {
            if (k != 0) {
                expected += sigma * sigma * Math.pow(4 * Math.PI * Math.PI * k * k + tau * tau, -alpha);
            }
        }
        Well19937c rng = new Well19937c(3);
        double var = 0;
        int samples = 2000;
        for (int s = 0; s < samples; s++) {
            double[] u = GaussianRandomField.periodic1d(n, alpha, tau, sigma, rng);
            double mean = 0;
            for (double v : u) {
                mean += v / n;
                var += v * v / n / samples;
            }
            assertEquals(0, mean, 1e-12);
        }
        assertEquals(expected, var, 0.06 * expected);
    }

    @Test
    void periodic2dFieldIsRealAndReproducible() {
        double[] a = GaussianRandomField.periodic2d(32, 2.5, 7, Math.pow(7, 1.5), new Well19937c(9));
        double[] b = GaussianRandomField.periodic2d(32, 2.5, 7, Math.pow(7, 1.5), new Well19937c(9));
        assertArrayEquals(a, b, 0);
        double sum = 0;
        for (double v : a) {
            sum += v;
        }
        assertEquals(0, sum, 1e-9);
    }

    @Test
    void neumannFieldVarianceMatchesTheCosineSeries() {
        double[] x = {0.0, 0.3, 1.0};
        double alpha = 2;
        double tau = 3;
        int modes = 3;
        // variance at (x_i, x_j): Σ_k σ² λ_k^{-α} φ_k1(x_i)² φ_k2(x_j)², σ = 1
        double expected = 0;
        for (int k1 = 0; k1 < modes; k1++) {
            for (int k2 = 0; k2 < modes; k2++) {
                if (k1 + k2 == 0) {
                    continue;
                }
                double l = Math.PI * Math.PI * (k1 * k1 + k2 * k2) + tau * tau;
                double p1 = (k1 == 0 ? 1 : 2) * Math.pow(Math.cos(Math.PI * k1 * 0.3), 2);
                double p2 = k2 == 0 ? 1 : 2;
                expected += Math.pow(l, -alpha) * p1 * p2;
            }
        }
        Well19937c rng = new Well19937c(1);
        double var = 0;
        int samples = 20000;
        for (int s = 0; s < samples; s++) {
            double[] u = GaussianRandomField.neumann2d(x, x, alpha, tau, 1.0, rng);
            var += u[1 * 3 + 0] * u[1 * 3 + 0] / samples;
        }
        assertEquals(expected, var, 0.04 * expected);
        assertThrows(IllegalArgumentException.class, () -> GaussianRandomField.neumann2d(x, x, 0, 3, 1, rng));
    }

    @Test
    void rbfSamplesHaveTheKernelCovariance() {
        double[] x = {0, 0.1, 0.5};
        GaussianRandomField.RbfSampler s = GaussianRandomField.rbf(x, 0.2, 1.0);
        Well19937c rng = new Well19937c(4);
        double c01 = 0;
        double c02 = 0;
        int n = 40000;
        for (int i = 0; i < n; i++) {
            double[] u = s.sample(rng);
            c01 += u[0] * u[1] / n;
            c02 += u[0] * u[2] / n;
        }
        assertEquals(Math.exp(-0.01 / 0.08), c01, 0.03);
        assertEquals(Math.exp(-0.25 / 0.08), c02, 0.03);
        assertThrows(IllegalArgumentException.class, () -> GaussianRandomField.rbf(x, -1, 1));
    }
}
