package org.opforge.solvers.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opforge.solvers.darcy.DarcySolver;

class DataGenerationTest {

    @Test
    void darcyFnoRecipeAt64HasThePublishedStructure() {
        AtomicInteger calls = new AtomicInteger();
        GeneratedData d = DataGeneration.generate("darcy", Map.of(), 4, 2024, 2, (done, total) -> calls.incrementAndGet());
        assertEquals(4, calls.get());
        GeneratedData.Field a = d.field("a");
        GeneratedData.Field u = d.field("u");
        assertArrayEquals(new int[] {4, 64, 64}, a.shape());
        assertArrayEquals(new int[] {4, 64, 64}, u.shape());
        int threes = 0;
        int twelves = 0;
        for (float v : a.data()) {
            if (v == 3f) {
                threes++;
            } else if (v == 12f) {
                twelves++;
            } else {
                fail("coefficient value " + v + " is neither 3 nor 12");
            }
        }
        assertTrue(threes > 0.1 * a.data().length && twelves > 0.1 * a.data().length, threes + " threes, " + twelves + " twelves");
        for (int s = 0; s < 4; s++) {
            float[] us = u.sample(s);
            for (int i = 0; i < 64; i++) {
                for (int j = 0; j < 64; j++) {
                    float v = us[i * 64 + j];
                    if (i == 0 || j == 0 || i == 63 || j == 63) {
                        assertEquals(0f, v, "boundary value at " + i + "," + j);
                    } else {
                        assertTrue(v > 0, "interior value " + v + " at " + i + "," + j);
                    }
                }
            }
        }
        for (float it : d.field("iterations").data()) {
            assertTrue(it > 0 && it < 40, "iterations " + it);
        }
        assertEquals("a", d.attributes().get("input"));
        assertEquals("u", d.attributes().get("target"));
        assertEquals(2024L, d.attributes().get("seed"));
        assertEquals(12.0, d.attributes().get("a_plus"));
        assertEquals(64, d.coordinates().get("x").length);
    }

    @Test
    void sameSeedSameDataForAnyThreadCount() {
        Map<String, Object> darcy = Map.of("resolution", 33, "coefficient", "lognormal");
        GeneratedData one = DataGeneration.generate("darcy", darcy, 6, 7, 1, null);
        GeneratedData three = DataGeneration.generate("darcy", darcy, 6, 7, 3, null);
        assertArrayEquals(one.field("u").data(), three.field("u").data());
        assertArrayEquals(one.field("a").data(), three.field("a").data());
        GeneratedData other = DataGeneration.generate("darcy", darcy, 6, 8, 3, null);
        assertFalse(java.util.Arrays.equals(one.field("a").data(), other.field("a").data()));
        Map<String, Object> burgers = Map.of("resolution", 64, "time", 0.2, "snapshots", 2);
        GeneratedData b1 = DataGeneration.generate("burgers", burgers, 5, 3, 1, null);
        GeneratedData b2 = DataGeneration.generate("burgers", burgers, 5, 3, 2, null);
        assertArrayEquals(b1.field("u").data(), b2.field("u").data());
        assertArrayEquals(new int[] {5, 2, 64}, b1.field("u").shape());
    }

    /**
     * source_field=grf: a smooth f per sample (not constant, mean near the source), the input af holds
     * a then f, the coefficients are those of the constant-source run with the same seed, and u is the
     * solver's solution for that a and f.
     */
    @Test
    void darcyWithAVaryingSourceFieldKeepsItBesideTheCoefficient() {
        Map<String, Object> p = Map.of("resolution", 17, "coefficient", "lognormal", "source_field", "grf", "source", 2.0, "source_sigma", 0.5);
        GeneratedData d = DataGeneration.generate("darcy", p, 2, 11, 1, null);
        GeneratedData constant = DataGeneration.generate("darcy", Map.of("resolution", 17, "coefficient", "lognormal", "source", 2.0), 2, 11, 1, null);
        assertArrayEquals(new int[] {2, 2, 17, 17}, d.field("af").shape());
        assertEquals("af", d.attributes().get("input"));
        assertArrayEquals(constant.field("a").data(), d.field("a").data());
        for (int s = 0; s < 2; s++) {
            float[] af = d.field("af").sample(s), a = d.field("a").sample(s), f = d.field("f").sample(s);
            assertArrayEquals(a, java.util.Arrays.copyOfRange(af, 0, 289));
            assertArrayEquals(f, java.util.Arrays.copyOfRange(af, 289, 578));
            double mean = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (float v : f) {
                mean += v / 289.0;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(max - min > 0.1 && Math.abs(mean - 2) < 1, "f varies about the source: mean " + mean + ", range " + min + ".." + max);
            double[] ad = new double[289], fd = new double[289];
            for (int k = 0; k < 289; k++) {
                ad[k] = a[k];
                fd[k] = f[k];
            }
            double[] u = new org.opforge.solvers.darcy.DarcySolver(org.opforge.solvers.darcy.MultigridSolver.Method.PCG, 1e-10, 500).solve(17, ad, fd).u();
            float[] got = d.field("u").sample(s);
            for (int k = 0; k < 289; k++) assertEquals(u[k], got[k], 1e-5 * (1 + Math.abs(u[k])), "node " + k);
        }
        assertContains(failure("darcy", Map.of("source_field", "random"), 2), "one of [constant, grf]");
    }

    private static String failure(String problem, Map<String, ?> params, int n) {
        AtomicInteger calls = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataGeneration.generate(problem, params, n, 1, 2, (d, t) -> calls.incrementAndGet()));
        assertEquals(0, calls.get(), "no sample may be made before the parameters are checked");
        return e.getMessage();
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), "message '" + message + "' lacks '" + part + "'");
    }

    @Test
    void badParametersFailWithClearMessagesBeforeAnyWork() {
        assertContains(failure("darcy", Map.of("resolution", -64), 2), "'resolution' must be in [3, 4097], got -64");
        assertContains(failure("burgers", Map.of("viscosity", "0"), 2), "'viscosity' must be in (0.0,");
        assertContains(failure("navier-stokes", Map.of("viscosity", 0.0), 2), "viscosity");
        assertContains(failure("burgers", Map.of("resolution", 100), 2), "power of two");
        assertContains(failure("poisson-wos", Map.of("c1", 1.2, "c2", 0.0), 2), "does not enclose");
        assertContains(failure("darcy", Map.of("visc", 1), 2), "has no parameter 'visc'");
        assertContains(failure("darcy", Map.of("resolution", "abc"), 2), "expected int, got 'abc'");
        assertContains(failure("darcy", Map.of("coefficient", "gaussian"), 2), "one of [fno, lognormal]");
        assertContains(failure("heat", Map.of(), 2), "unknown problem 'heat'");
        assertContains(failure("darcy", Map.of(), 0), "sample count must be positive");
        assertContains(failure("navier-stokes", Map.of("time", 0.01, "dt", 0.001, "snapshots", 20), 1), "snapshots");
        ParameterSpec.ArrayValue wrong = new ParameterSpec.ArrayValue(new double[2 * 9 * 9], new int[] {2, 9, 9});
        assertContains(failure("darcy", Map.of("coefficients", wrong), 0), "9x9 fields but resolution is 64");
        ParameterSpec.ArrayValue negative = new ParameterSpec.ArrayValue(new double[2 * 9 * 9], new int[] {2, 9, 9});
        assertContains(failure("darcy", Map.of("coefficients", negative, "resolution", 9), 0), "non-positive");
    }

    @Test
    void subsampledDarcyHoldsThePointValuesOfTheFineSolve() {
        // 31 nodes: every 2nd gives 16 per side, every 3rd gives 11; the same seed gives the same fields
        GeneratedData fine = DataGeneration.generate("darcy", Map.of("resolution", 31), 3, 5, 2, null);
        for (int stride : new int[] {2, 3}) {
            GeneratedData coarse = DataGeneration.generate("darcy", Map.of("resolution", 31, "subsample", stride), 3, 5, 2, null);
            int kept = 30 / stride + 1;
            assertArrayEquals(new int[] {3, kept, kept}, coarse.field("u").shape());
            double[] x = coarse.coordinates().get("x");
            assertEquals(kept, x.length);
            assertEquals(0, x[0]);
            assertEquals(1, x[kept - 1], 1e-12);
            for (String field : new String[] {"a", "u"}) {
                for (int n = 0; n < 3; n++) {
                    float[] f = fine.field(field).sample(n), c = coarse.field(field).sample(n);
                    for (int i = 0; i < kept; i++) {
                        for (int j = 0; j < kept; j++) {
                            assertEquals(f[i * stride * 31 + j * stride], c[i * kept + j], field + " sample " + n + " node " + i + "," + j);
                        }
                    }
                }
            }
        }
        assertContains(failure("darcy", Map.of("resolution", 31, "subsample", 4), 2), "'subsample' must divide resolution-1 = 30");
    }

    @Test
    void darcyWithGivenCoefficientsSolvesThem() {
        int r = 17;
        double[] a = new double[2 * r * r];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1 + (i % 7);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("resolution", r);
        p.put("coefficients", new ParameterSpec.ArrayValue(a, new int[] {2, r, r}));
        GeneratedData d = DataGeneration.generate("darcy", p, 0, 1, 2, null);
        assertEquals(2, d.samples());
        double[] a1 = java.util.Arrays.copyOfRange(a, r * r, 2 * r * r);
        double[] f = new double[r * r];
        java.util.Arrays.fill(f, 1);
        double[] expected = DarcySolver.defaults().solve(r, a1, f).u();
        float[] got = d.field("u").sample(1);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], got[k], 1e-6 * Math.abs(expected[k]) + 1e-9);
        }
        assertEquals("given", d.attributes().get("coefficient_source"));
    }

    @Test
    void everyProblemMakesWellShapedFiniteData() {
        GeneratedData ns = DataGeneration.generate("navier-stokes", Map.of("resolution", 16, "time", 0.05, "dt", 0.01, "snapshots", 5), 2, 1, 2, null);
        assertArrayEquals(new int[] {2, 5, 16, 16}, ns.field("w").shape());
        GeneratedData wos = DataGeneration.generate("poisson-wos", Map.of("resolution", 9, "walks", 16), 2, 1, 2, null);
        float[] mask = toFloat(wos.coordinates().get("mask"));
        float[] u = wos.field("u").sample(0);
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] == 0) {
                assertEquals(0f, u[k]);
            }
        }
        GeneratedData anti = DataGeneration.generate("antiderivative", Map.of("resolution", 50), 3, 1, 2, null);
        float[] uu = anti.field("u").sample(2);
        float[] ss = anti.field("s").sample(2);
        // trapezoid of the sensor values approximates the integral of the spline to O(h²)
        double trap = 0;
        for (int k = 1; k < 50; k++) {
            trap += 0.5 * (uu[k] + uu[k - 1]) / 49;
        }
        assertEquals(trap, ss[49], 2e-3);
        GeneratedData ode = DataGeneration.generate("nonlinear-ode", Map.of(), 2, 1, 2, null);
        for (float v : ode.field("s").data()) {
            assertTrue(Float.isFinite(v));
        }
        for (GeneratedData g : new GeneratedData[] {ns, wos, anti, ode}) {
            for (GeneratedData.Field f : g.fields()) {
                for (float v : f.data()) {
                    assertTrue(Float.isFinite(v), g.problem() + "/" + f.name());
                }
            }
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
