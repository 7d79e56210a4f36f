package org.opforge.solvers.spectral;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SpectralSolversTest {

    @Test
    void fftMatchesTheDefinitionAndInverts() {
        int n = 16;
        Fft fft = new Fft(n);
        Random r = new Random(2);
        double[] re = r.doubles(n).toArray();
        double[] im = r.doubles(n).toArray();
        double[] re0 = re.clone();
        double[] im0 = im.clone();
        fft.forward(re, im, 0);
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int j = 0; j < n; j++) {
                double t = -2 * Math.PI * k * j / n;
                sr += re0[j] * Math.cos(t) - im0[j] * Math.sin(t);
                si += re0[j] * Math.sin(t) + im0[j] * Math.cos(t);
            }
            assertEquals(sr, re[k], 1e-12);
            assertEquals(si, im[k], 1e-12);
        }
        fft.inverse(re, im, 0);
        assertArrayEquals(re0, re, 1e-14);
        double[] a = r.doubles(n * n).toArray();
        double[] b = new double[n * n];
        double[] a0 = a.clone();
        fft.forward2d(a, b, new double[2 * n]);
        assertEquals(java.util.Arrays.stream(a0).sum(), a[0], 1e-12);
        fft.inverse2d(a, b, new double[2 * n]);
        assertArrayEquals(a0, a, 1e-13);
        assertThrows(IllegalArgumentException.class, () -> new Fft(12));
    }

    /** Cole-Hopf: φ = a + b e^{-4π²νt} cos 2πx solves the heat equation, so u = -2ν φ_x / φ solves Burgers. */
    private static double coleHopf(double x, double t, double nu) {
        double e = Math.exp(-4 * Math.PI * Math.PI * nu * t);
        return 4 * Math.PI * nu * e * Math.sin(2 * Math.PI * x) / (2 + e * Math.cos(2 * Math.PI * x));
    }

    private static double burgersError(int n, double nu, double dt, double finalTime) {
        BurgersSolver s = new BurgersSolver(n, nu);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int j = 0; j < n; j++) {
            re[j] = coleHopf((double) j / n, 0, nu);
        }
        Fft fft = new Fft(n);
        fft.forward(re, im, 0);
        s.advance(re, im, dt, (int) Math.round(finalTime / dt));
        fft.inverse(re, im, 0);
        double err = 0;
        for (int j = 0; j < n; j++) {
            err = Math.max(err, Math.abs(re[j] - coleHopf((double) j / n, finalTime, nu)));
        }
        return err;
    }

    @Test
    void burgersMatchesColeHopfWithFourthOrderInTime() {
        double nu = 0.1;
        double[] dts = {0.05, 0.025, 0.0125};
        double[] err = new double[dts.length];
        for (int k = 0; k < dts.length; k++) {
            err[k] = burgersError(64, nu, dts[k], 0.5);
        }
        for (int k = 1; k < dts.length; k++) {
            double order = Math.log(err[k - 1] / err[k]) / Math.log(2);
            assertTrue(order > 3.5 && order < 4.6, "ETDRK4 order " + order + " from errors " + java.util.Arrays.toString(err));
        }
        // the public driver with its CFL step reaches spectral accuracy
        BurgersSolver s = new BurgersSolver(128, 0.02);
        double[] u0 = new double[128];
        for (int j = 0; j < 128; j++) {
            u0[j] = coleHopf(j / 128.0, 0, 0.02);
        }
        double[][] u = s.solve(u0, new double[] {0.25, 1.0}, 0.4);
        for (int j = 0; j < 128; j++) {
            assertEquals(coleHopf(j / 128.0, 1.0, 0.02), u[1][j], 1e-8);
        }
        assertThrows(IllegalArgumentException.class, () -> new BurgersSolver(64, 0));
    }

    @Test
    void taylorGreenVorticityDecaysWithSecondOrderCrankNicolson() {
        int n = 32;
        double nu = 0.05;
        double t = 0.5;
        double[] w0 = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w0[i * n + j] = 2 * Math.cos(2 * Math.PI * i / n) * Math.cos(2 * Math.PI * j / n);
            }
        }
        double decay = Math.exp(-8 * Math.PI * Math.PI * nu * t);
        double[] dts = {0.05, 0.025, 0.0125};
        double[] err = new double[dts.length];
        for (int k = 0; k < dts.length; k++) {
            double[] w = new NavierStokes2D(n, nu, null).solve(w0, t, dts[k], 1)[0];
            for (int p = 0; p < n * n; p++) {
                err[k] = Math.max(err[k], Math.abs(w[p] - w0[p] * decay));
            }
        }
        for (int k = 1; k < dts.length; k++) {
            double order = Math.log(err[k - 1] / err[k]) / Math.log(2);
            assertEquals(2.0, order, 0.1, "errors " + java.util.Arrays.toString(err));
        }
    }

    @Test
    void advectionTermMatchesTheAnalyticJacobian() {
        int n = 32;
        // w = sin(2πx) cos(4πy) + cos(6πx): ψ solves -Δψ = w mode by mode
        double[] w = new double[n * n];
        double[] expected = new double[n * n];
        double c1 = 4 * Math.PI * Math.PI * (1 + 4);
        double c2 = 4 * Math.PI * Math.PI * 9;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = (double) i / n;
                double y = (double) j / n;
                double s1 = Math.sin(2 * Math.PI * x);
                double co1 = Math.cos(2 * Math.PI * x);
                double s4 = Math.sin(4 * Math.PI * y);
                double co4 = Math.cos(4 * Math.PI * y);
                w[i * n + j] = s1 * co4 + Math.cos(6 * Math.PI * x);
                double psiX = 2 * Math.PI * co1 * co4 / c1 - 6 * Math.PI * Math.sin(6 * Math.PI * x) / c2;
                double psiY = -4 * Math.PI * s1 * s4 / c1;
                double wx = 2 * Math.PI * co1 * co4 - 6 * Math.PI * Math.sin(6 * Math.PI * x);
                double wy = -4 * Math.PI * s1 * s4;
                expected[i * n + j] = psiY * wx - psiX * wy;
            }
        }
        double[] a = new NavierStokes2D(n, 1e-3, null).advection(w);
        for (int p = 0; p < n * n; p++) {
            assertEquals(expected[p], a[p], 1e-10);
        }
        assertThrows(IllegalArgumentException.class, () -> new NavierStokes2D(32, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new NavierStokes2D(48, 1e-3, null));
    }
}
