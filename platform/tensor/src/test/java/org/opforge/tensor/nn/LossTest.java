package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradCheck;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.H1Loss;
import org.opforge.tensor.nn.loss.LpLoss;
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.tensor.nn.loss.Reduction;

class LossTest {
    private static Tensor rand(long seed, int... shape) {
        return Tensor.rand(new Rng(seed), DType.FLOAT64, Device.CPU, -1, 1, shape);
    }

    @Test
    void mseIsTheMeanOrSumOfSquares() {
        Tensor x = rand(1, 2, 3, 4), y = rand(2, 2, 3, 4);
        double[] a = x.toDoubleArray(), b = y.toDoubleArray();
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        assertEquals(s / a.length, new MSELoss().apply(x, y).item(), 1e-14);
        assertEquals(s, new MSELoss(Reduction.SUM).apply(x, y).item(), 1e-13);
        assertThrows(IllegalArgumentException.class, () -> new MSELoss().apply(x, rand(3, 2, 3)));
    }

    /** Per-sample norms over all non-batch axes, then the batch mean (FNO's LpLoss.rel with size_average). */
    @Test
    void relativeAndAbsoluteLp() {
        int n = 3, c = 2, h = 4, w = 5;
        Tensor x = rand(3, n, c, h, w), y = rand(4, n, c, h, w);
        double[] a = x.toDoubleArray(), b = y.toDoubleArray();
        int per = c * h * w;
        for (double p : new double[] {1, 2, 3}) {
            double rel = 0, abs = 0;
            for (int s = 0; s < n; s++) {
                double num = 0, den = 0;
                for (int i = s * per; i < (s + 1) * per; i++) {
                    num += Math.pow(Math.abs(a[i] - b[i]), p);
                    den += Math.pow(Math.abs(b[i]), p);
                }
                rel += Math.pow(num, 1 / p) / Math.pow(den, 1 / p);
                // cell of the last d = 2 axes on lengths (2, 3): (2/4 * 3/5)
                abs += Math.pow(2.0 / h * 3.0 / w, 1 / p) * Math.pow(num, 1 / p);
            }
            assertEquals(rel / n, LpLoss.relative(2, p).apply(x, y).item(), 1e-13, "relative p=" + p);
            assertEquals(rel, LpLoss.relative(2, p).withReduction(Reduction.SUM).apply(x, y).item(), 1e-13);
            assertEquals(abs / n, LpLoss.absolute(2, p).withLengths(2, 3).apply(x, y).item(), 1e-13, "absolute p=" + p);
        }
        GradCheck.check("relative L2", t -> LpLoss.relative(2, 2).apply(t[0], y), x);
    }

    @Test
    void h1OfASineOnAPeriodicGrid() {
        // e = sin(2 pi x) on n points of [0, 1): sum e^2 h = 1/2 and the central difference is sin(2 pi h)/h cos(2 pi x)
        int n = 16;
        double h = 1.0 / n;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = Math.sin(2 * Math.PI * i * h);
        Tensor x = Tensor.of(u, 1, 1, n), zero = Tensor.zeros(DType.FLOAT64, Device.CPU, 1, 1, n);
        double k = Math.sin(2 * Math.PI * h) / h;
        assertEquals(Math.sqrt(0.5 + k * k / 2), new H1Loss(1).absolute().apply(x, zero).item(), 1e-12);
        // relative against a target 2u: the error is -u, so the ratio is exactly 1/2
        assertEquals(0.5, new H1Loss(1).apply(x, x.mul(2.0)).item(), 1e-12);
    }

    @Test
    void h1OnANonPeriodicGridUsesOneSidedEnds() {
        // u = x^2 on x_i = i h, h = L/n with L = 2: interior central differences give 2 x_i exactly,
        // the ends (u1 - u0)/h = h and (u_{n-1} - u_{n-2})/h = (2n - 3) h
        int n = 6;
        double len = 2.0, h = len / n;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = (i * h) * (i * h);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double du = i == 0 ? h : i == n - 1 ? (2 * n - 3) * h : 2 * i * h;
            sum += u[i] * u[i] + du * du;
        }
        Tensor x = Tensor.of(u, 1, 1, n), zero = Tensor.zeros(DType.FLOAT64, Device.CPU, 1, 1, n);
        H1Loss loss = new H1Loss(1).withLengths(len).withPeriodic(false).absolute();
        assertEquals(Math.sqrt(h * sum), loss.apply(x, zero).item(), 1e-12);
    }

    @Test
    void h1In2dSumsBothDerivatives() {
        // u(x, y) = sin(2 pi x) + cos(2 pi y) on a periodic 8 x 12 grid: derivative terms separate
        int nx = 8, ny = 12;
        double[] u = new double[nx * ny];
        for (int i = 0; i < nx; i++) for (int j = 0; j < ny; j++) u[i * ny + j] = Math.sin(2 * Math.PI * i / nx) + Math.cos(2 * Math.PI * j / ny);
        double kx = Math.sin(2 * Math.PI / nx) * nx, ky = Math.sin(2 * Math.PI / ny) * ny;
        double norm2 = 0.5 + 0.5; // mean of sin^2 + cos^2 terms, cross term averages to 0
        double expected = Math.sqrt(norm2 + kx * kx / 2 + ky * ky / 2);
        Tensor x = Tensor.of(u, 1, 1, nx, ny), zero = Tensor.zeros(DType.FLOAT64, Device.CPU, 1, 1, nx, ny);
        assertEquals(expected, new H1Loss(2).absolute().apply(x, zero).item(), 1e-12);
    }

    @Test
    void h1GradientsAndAPerfectPrediction() {
        Tensor x = rand(5, 2, 1, 5, 6), y = rand(6, 2, 1, 5, 6);
        GradCheck.check("h1 periodic", t -> new H1Loss(2).apply(t[0], y), x);
        GradCheck.check("h1 non-periodic", t -> new H1Loss(2).withPeriodic(false, true).apply(t[0], y), x);
        Tensor p = y.detach().requiresGrad(true);
        new H1Loss(2).apply(p, y).backward();
        for (double g : p.grad().toDoubleArray()) assertFalse(Double.isNaN(g));
    }
}
