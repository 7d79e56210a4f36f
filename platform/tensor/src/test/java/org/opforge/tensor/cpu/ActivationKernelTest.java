package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.backend.UnaryOp;

/**
 * The float32 Gaussian activation kernels (plain and, when the vector module is present, SIMD)
 * against the double-precision definitions of {@link ScalarMath}, on a dense grid over [-12, 12]
 * plus the special values, with lengths that exercise the vector body and the scalar tail.
 */
class ActivationKernelTest {
    private static final UnaryOp[] OPS = {UnaryOp.NORMAL_CDF, UnaryOp.NORMAL_PDF, UnaryOp.GELU, UnaryOp.GELU_GRAD};

    private static List<ActivationKernel> kernels() {
        List<ActivationKernel> ks = new ArrayList<>();
        ks.add(new Activations.Plain());
        if (!(Activations.KERNEL instanceof Activations.Plain)) ks.add(Activations.KERNEL);
        return ks;
    }

    @Test
    void simdKernelIsSelectedWhenTheVectorModuleIsPresent() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(present && !Boolean.getBoolean("opforge.cpu.nosimd"), !(Activations.KERNEL instanceof Activations.Plain),
                "kernel " + Activations.KERNEL.name());
    }

    @Test
    void matchesDoublePrecisionDefinitionsToFloatAccuracy() {
        int n = 24001;
        float[] x = new float[n + 3];
        for (int i = 0; i < n; i++) x[i] = -12f + 24f * i / (n - 1);
        x[n] = 0f;
        x[n + 1] = -0f;
        x[n + 2] = Float.MIN_NORMAL;
        for (ActivationKernel k : kernels()) {
            for (UnaryOp op : OPS) {
                // an odd start and length: both the SIMD body and its scalar tail run
                float[] r = new float[x.length];
                Activations.range(k, op, x, r, 1, x.length);
                assertEquals(0f, r[0], k.name() + " " + op + " wrote outside [lo, hi)");
                for (int i = 1; i < x.length; i++) {
                    double ref = ScalarMath.unary(op, x[i], 0);
                    // absolute 3e-7 everywhere, relative 2e-6 in the tails (Phi(x), phi(x) for x << 0)
                    double err = Math.abs(r[i] - ref);
                    assertTrue(err <= 3e-7 * Math.max(1, Math.abs(x[i])) || err <= 2e-6 * Math.abs(ref),
                            k.name() + " " + op + "(" + x[i] + ") = " + r[i] + ", expected " + ref);
                }
            }
        }
    }

    @Test
    void sameBitsBeforeAndAfterTheJitCompilesTheKernel() {
        // a seeded training run must not depend on when HotSpot compiles the SIMD code: the first calls
        // run interpreted, later ones compiled; both must give identical bits
        float[] x = new float[4099];
        for (int i = 0; i < x.length; i++) x[i] = -9f + 18f * i / (x.length - 1);
        for (ActivationKernel k : kernels()) {
            for (UnaryOp op : OPS) {
                float[] first = new float[x.length];
                Activations.range(k, op, x, first, 0, x.length);
                float[] later = new float[x.length];
                for (int rep = 0; rep < 3000; rep++) Activations.range(k, op, x, later, 0, x.length);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToRawIntBits(first[i]), Float.floatToRawIntBits(later[i]),
                            k.name() + " " + op + "(" + x[i] + "): " + first[i] + " then " + later[i]);
                }
            }
        }
    }

    @Test
    void limitsAndNaN() {
        float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -40f, 40f};
        for (ActivationKernel k : kernels()) {
            float[] cdf = new float[x.length], gelu = new float[x.length];
            k.normalCdf(x, cdf, 0, x.length);
            k.gelu(x, gelu, 0, x.length);
            assertEquals(0f, cdf[0], k.name());
            assertEquals(1f, cdf[1], k.name());
            assertTrue(Float.isNaN(cdf[2]), k.name());
            assertEquals(0f, cdf[3], k.name());
            assertEquals(1f, cdf[4], k.name());
            assertEquals(Float.POSITIVE_INFINITY, gelu[1], k.name());
            assertEquals(-0f, gelu[3], 0f, k.name());
            assertEquals(40f, gelu[4], k.name());
        }
    }
}
