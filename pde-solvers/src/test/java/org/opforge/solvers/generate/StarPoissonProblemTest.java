package org.opforge.solvers.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.meshes.Star;
import org.opforge.solvers.wos.ManufacturedPoisson;

class StarPoissonProblemTest {
    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void fixedStarSamplesShareTheCloudAndCarryExactLabels() {
        GeneratedData d = DataGeneration.generate("star-poisson", Map.of("boundary_points", 12, "interior_points", 20, "walks", 400), 3, 5, 2,
                null);
        assertArrayEquals(new int[] {3, 32, 5}, d.field("x").shape());
        float[] x0 = d.field("x").sample(0);
        float[] x1 = d.field("x").sample(1);
        Star star = Star.of(0.1, 0.05);
        for (int q = 0; q < 32; q++) {
            assertEquals(x0[5 * q], x1[5 * q]);
            double sdf = star.sdf(x0[5 * q], x0[5 * q + 1]);
            if (q < 12) {
                assertEquals(0, sdf, 1e-6, "boundary point " + q);
                assertEquals(0, x0[5 * q + 3], "distance of a boundary point to itself");
            } else {
                assertTrue(sdf < 0, "interior point " + q + " has sdf " + sdf);
                assertTrue(x0[5 * q + 3] > 0);
            }
        }
        for (int i = 0; i < 3; i++) {
            ManufacturedPoisson m = ManufacturedPoisson.fromArray(toDouble(d.field("coefficients").sample(i)));
            float[] x = d.field("x").sample(i);
            float[] u = d.field("u").sample(i);
            float[] wos = d.field("u_wos").sample(i);
            float[] se = d.field("u_wos_stderr").sample(i);
            for (int q = 0; q < 32; q++) {
                assertEquals(m.u(x[5 * q], x[5 * q + 1]), u[q], 1e-5);
                assertEquals(m.f(x[5 * q], x[5 * q + 1]), x[5 * q + 4], 1e-4);
                if (q < 12) {
                    assertEquals(u[q], x[5 * q + 2], 1e-6, "g at a boundary point is its own u");
                    assertEquals(u[q], wos[q]);
                } else {
                    assertTrue(Math.abs(wos[q] - u[q]) < 5 * se[q] + 2e-3, "WoS label " + wos[q] + " vs exact " + u[q] + " (se " + se[q] + ")");
                }
            }
        }
        assertArrayEquals(new float[] {0.1f, 0.05f}, d.field("domain").sample(2));
    }

    @Test
    void gridLayoutMasksTheStarAndCarriesTheExactSolutionInside() {
        int res = 24;
        GeneratedData d = DataGeneration.generate("star-poisson", Map.of("layout", "grid", "resolution", res, "boundary_points", 64, "walks", 200),
                2, 3, 2, null);
        assertArrayEquals(new int[] {2, 4, res, res}, d.field("x").shape());
        assertArrayEquals(new int[] {2, res, res}, d.field("u").shape());
        assertArrayEquals(new int[] {2, res, res}, d.field("mask").shape());
        assertEquals("grid", d.attributes().get("layout"));
        double box = 1 + 0.1 + 0.05;
        assertEquals(box, ((Number) d.attributes().get("box")).doubleValue(), 1e-12);
        assertEquals(-box, d.coordinates().get("x")[0], 1e-12);
        assertEquals(box, d.coordinates().get("y")[res - 1], 1e-12);
        int insideCount = 0;
        for (int i = 0; i < 2; i++) {
            ManufacturedPoisson m = ManufacturedPoisson.fromArray(toDouble(d.field("coefficients").sample(i)));
            float[] x = d.field("x").sample(i);
            float[] u = d.field("u").sample(i);
            float[] mask = d.field("mask").sample(i);
            float[] wos = d.field("u_wos").sample(i);
            float[] se = d.field("u_wos_stderr").sample(i);
            for (int r = 0; r < res; r++) {
                for (int c = 0; c < res; c++) {
                    int q = r * res + c;
                    double px = -box + 2 * box * c / (res - 1);
                    double py = -box + 2 * box * r / (res - 1);
                    // the star in closed form: r < 1 + c1 cos 4t + c2 cos 8t
                    double t = Math.atan2(py, px);
                    double rho = 1 + 0.1 * Math.cos(4 * t) + 0.05 * Math.cos(8 * t);
                    double radius = Math.hypot(px, py);
                    if (Math.abs(radius - rho) > 1e-3) {
                        assertEquals(radius < rho ? 1f : 0f, mask[q], "mask at node (" + r + ", " + c + "), r = " + radius + ", rho = " + rho);
                    }
                    assertEquals(mask[q], x[3 * res * res + q], "mask channel");
                    assertEquals(m.f(px, py), x[2 * res * res + q], 1e-4 * (1 + Math.abs(m.f(px, py))), "f channel");
                    assertTrue(x[res * res + q] >= 0, "distance channel");
                    if (mask[q] == 1) {
                        insideCount++;
                        assertEquals(m.u(px, py), u[q], 1e-5, "exact u inside");
                        assertTrue(Math.abs(wos[q] - u[q]) < 5 * se[q] + 2e-3, "WoS label " + wos[q] + " vs exact " + u[q] + " (se " + se[q] + ")");
                    } else {
                        assertEquals(0f, u[q], "u outside");
                        assertEquals(0f, wos[q], "no walks outside");
                    }
                }
            }
            // the corners are outside, the centre inside
            assertEquals(0f, mask[0]);
            assertEquals(1f, mask[(res / 2) * res + res / 2]);
        }
        // the inside nodes times the cell area h^2 (h = 2 box / (res - 1)) make the star's area pi (1 + (c1^2 + c2^2) / 2)
        double h = 2 * box / (res - 1);
        assertEquals(Math.PI * (1 + (0.01 + 0.0025) / 2), insideCount / 2.0 * h * h, 0.05 * Math.PI);
        // every star of a varying family lies in the box 1 + 2 c_range
        GeneratedData v = DataGeneration.generate("star-poisson", Map.of("layout", "grid", "geometry", "varying", "resolution", 16,
                "boundary_points", 32), 3, 4, 1, null);
        assertEquals(1.4, ((Number) v.attributes().get("box")).doubleValue(), 1e-12);
        for (int i = 0; i < 3; i++) {
            float[] mask = v.field("mask").sample(i);
            for (int q = 0; q < 16; q++) {
                assertEquals(0f, mask[q], "the bottom row lies outside every star");
            }
        }
    }

    @Test
    void manufacturedSourceIsMinusTheLaplacian() {
        java.util.Random r = new java.util.Random(2);
        ManufacturedPoisson m = ManufacturedPoisson.draw(r::nextDouble, r::nextGaussian, 0.5, 0.5);
        double h = 1e-3;
        for (double[] p : new double[][] {{0.1, -0.2}, {0.5, 0.3}, {-0.7, 0.1}}) {
            double lap = (m.u(p[0] + h, p[1]) + m.u(p[0] - h, p[1]) + m.u(p[0], p[1] + h) + m.u(p[0], p[1] - h) - 4 * m.u(p[0], p[1])) / (h * h);
            assertEquals(-lap, m.f(p[0], p[1]), 1e-4 * (1 + Math.abs(lap)));
        }
    }

    @Test
    void varyingGeometryDrawsAStarPerSampleAndRejectsDegenerateRanges() {
        GeneratedData d = DataGeneration.generate("star-poisson", Map.of("geometry", "varying", "boundary_points", 8, "interior_points", 8), 2, 9,
                1, null);
        float[] c0 = d.field("domain").sample(0);
        float[] c1 = d.field("domain").sample(1);
        assertNotEquals(c0[0], c1[0]);
        for (float c : new float[] {c0[0], c0[1], c1[0], c1[1]}) {
            assertTrue(Math.abs(c) <= 0.2);
        }
        assertNotEquals(d.field("x").sample(0)[0], d.field("x").sample(1)[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataGeneration.check("star-poisson", Map.of("geometry", "varying", "c_range", 0.36), 2));
        assertTrue(e.getMessage().contains("c_range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataGeneration.check("star-poisson", Map.of("walks", 7), 2));
        assertTrue(e.getMessage().contains("walks"), e.getMessage());
    }
}
