package org.opforge.training.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/** The Wendland quadrature and the Darcy weak forms (mixed and primal) on an exact solution. */
class DarcyWeakResidualTest {
    @Test
    void quadratureRule() {
        WendlandQuadrature q7 = new WendlandQuadrature(7), q6 = new WendlandQuadrature(6);
        assertEquals(25, q7.size());
        assertEquals(16, q6.size());
        double[] p = q7.points(), phi = q7.phi(), g = q7.gradPhi();
        double h = 1e-6;
        for (int i = 0; i < q7.size(); i++) {
            double x = p[2 * i], y = p[2 * i + 1];
            assertTrue(Math.hypot(x, y) < 1);
            assertEquals(wendland(Math.hypot(x, y)), phi[i], 1e-15);
            assertEquals((wendland(Math.hypot(x + h, y)) - wendland(Math.hypot(x - h, y))) / (2 * h), g[2 * i], 1e-7);
            assertEquals((wendland(Math.hypot(x, y + h)) - wendland(Math.hypot(x, y - h))) / (2 * h), g[2 * i + 1], 1e-7);
        }
        // i outer (second coordinate), j inner: row -1 holds only (0, -1), on the circle, so the first point is row -2/3's leftmost
        assertEquals(-2.0 / 3, p[0], 1e-15);
        assertEquals(-2.0 / 3, p[1], 1e-15);
    }

    private static double wendland(double r) {
        return Math.pow(1 - r, 6) * (35 * r * r + 18 * r + 3) / 3;
    }

    /**
     * For the exact solution u = x1 (1 - x1) / 2 of -u'' = 1 (a = 1, s = grad u) both terms vanish up
     * to the quadrature's bias on the source integral (the 25-point disk rule, about 1.25 %).
     */
    @Test
    void weakResidualOfAnExactSolutionIsQuadratureBiasOnly() {
        for (double radius : new double[] {1e-4, 0.05}) {
            DarcyWeakResidual r = new DarcyWeakResidual(new WendlandQuadrature(7), radius, 4, 1.0);
            Tensor x = r.samplePoints(new Rng(3), DType.FLOAT64);
            int p = x.size(0);
            double[] xs = x.toDoubleArray(), u = new double[p], du = new double[2 * p], a = new double[p];
            for (int i = 0; i < p; i++) {
                double x1 = xs[2 * i];
                u[i] = x1 * (1 - x1) / 2;
                du[2 * i] = (1 - 2 * x1) / 2;
                a[i] = 1;
            }
            Tensor grad = Tensor.of(du, DType.FLOAT64, Device.CPU, 1, p, 2);
            Tensor coef = Tensor.of(a, DType.FLOAT64, Device.CPU, 1, p);
            double loss = r.loss(new Residual.Fields(coef, Tensor.of(u, DType.FLOAT64, Device.CPU, 1, p), grad, grad)).item();
            // balance term sqrt(nc) (<s.grad v> - <v>)^2 with <s.grad v> ~ mean phi (1 + bias)
            double scale = Math.sqrt(4) * Math.pow(r.quadrature().meanPhi(), 2);
            assertTrue(loss < scale * 0.05 * 0.05, "R = " + radius + ": loss " + loss + " vs " + scale);
            // a wrong flux is penalised by the constitutive term
            double wrong = r.loss(new Residual.Fields(coef.mul(2.0), Tensor.of(u, DType.FLOAT64, Device.CPU, 1, p), grad, grad)).item();
            assertTrue(wrong > 1e-3, "a flux off by a factor two gives " + wrong);
            // the primal form of u alone: a grad u balances f up to the same bias; a coefficient off by two does not
            DarcyWeakResidual primal = new DarcyWeakResidual(new WendlandQuadrature(7), radius, 4, 1.0, DarcyWeakResidual.Form.PRIMAL);
            assertTrue(!primal.needsFlux() && primal.name().equals("darcy-primal"));
            Tensor uT = Tensor.of(u, DType.FLOAT64, Device.CPU, 1, p);
            double exact = primal.loss(new Residual.Fields(coef, uT, grad, null)).item();
            assertTrue(exact < scale * 0.05 * 0.05, "R = " + radius + ": primal loss " + exact + " vs " + scale);
            double off = primal.loss(new Residual.Fields(coef.mul(2.0), uT, grad, null)).item();
            assertEquals(scale, off, 0.05 * scale, "a = 2 doubles <a grad u . grad v> = <v>: the balance is sqrt(nc) mean phi^2");
        }
    }

    /**
     * A source field given at the points: for u = x1 (1 - x1) x2 (1 - x2) and a = 1,
     * f = 2 (x1 (1 - x1) + x2 (1 - x2)) balances both forms up to the quadrature's bias, twice that f
     * does not; a field of ones is the constant source 1.
     */
    @Test
    void aSourceFieldAtThePointsReplacesTheConstant() {
        for (DarcyWeakResidual.Form form : DarcyWeakResidual.Form.values()) {
            DarcyWeakResidual r = new DarcyWeakResidual(new WendlandQuadrature(7), 0.05, 6, 1.0, form);
            Tensor x = r.samplePoints(new Rng(8), DType.FLOAT64);
            int p = x.size(0);
            double[] xs = x.toDoubleArray(), u = new double[p], du = new double[2 * p], f = new double[p], a = new double[p];
            for (int i = 0; i < p; i++) {
                double x1 = xs[2 * i], x2 = xs[2 * i + 1];
                u[i] = x1 * (1 - x1) * x2 * (1 - x2);
                du[2 * i] = (1 - 2 * x1) * x2 * (1 - x2);
                du[2 * i + 1] = x1 * (1 - x1) * (1 - 2 * x2);
                f[i] = 2 * (x1 * (1 - x1) + x2 * (1 - x2));
                a[i] = 1;
            }
            Tensor uT = Tensor.of(u, DType.FLOAT64, Device.CPU, 1, p), grad = Tensor.of(du, DType.FLOAT64, Device.CPU, 1, p, 2);
            Tensor coef = Tensor.of(a, DType.FLOAT64, Device.CPU, 1, p), fT = Tensor.of(f, DType.FLOAT64, Device.CPU, 1, p);
            double exact = r.loss(new Residual.Fields(coef, uT, grad, grad, fT)).item();
            double wrong = r.loss(new Residual.Fields(coef, uT, grad, grad, fT.mul(2.0))).item();
            assertTrue(exact < 1e-3 * wrong, form + ": " + exact + " against " + wrong);
            Tensor ones = Tensor.full(DType.FLOAT64, Device.CPU, 1.0, 1, p);
            assertEquals(r.loss(new Residual.Fields(coef, uT, grad, grad)).item(), r.loss(new Residual.Fields(coef, uT, grad, grad, ones)).item(), 1e-12);
        }
    }

    @Test
    void latinHypercubeHasOnePointPerStratum() {
        int n = 50;
        double[] s = DarcyWeakResidual.latinHypercube(new Rng(1), n, 2);
        for (int k = 0; k < 2; k++) {
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                int stratum = (int) Math.floor(s[2 * i + k] * n);
                assertTrue(!seen[stratum], "two points in stratum " + stratum);
                seen[stratum] = true;
            }
        }
    }

}
