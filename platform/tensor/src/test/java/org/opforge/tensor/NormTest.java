package org.opforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Norm}: values against per-group loops, finite-difference gradients of first and second order, dropout's mask. */
class NormTest {

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), DType.FLOAT64, Device.CPU, 0, 1, shape);
    }

    /**
     * Standardizes x viewed as (outer, groupSize) row by row, then applies per-feature scale/shift where
     * feature(i) = (i / featureStride) % features of the flat index.
     */
    private static double[] reference(double[] x, int groupSize, double eps) {
        double[] y = new double[x.length];
        for (int g = 0; g < x.length / groupSize; g++) {
            double mean = 0, var = 0;
            for (int i = 0; i < groupSize; i++) mean += x[g * groupSize + i];
            mean /= groupSize;
            for (int i = 0; i < groupSize; i++) var += Math.pow(x[g * groupSize + i] - mean, 2);
            var /= groupSize;
            for (int i = 0; i < groupSize; i++) y[g * groupSize + i] = (x[g * groupSize + i] - mean) / Math.sqrt(var + eps);
        }
        return y;
    }

    private static void assertClose(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], tol, "element " + i);
    }

    @Test void layerNormValues() {
        Tensor x = randn(1, 2, 3, 4, 5), w = randn(2, 4, 5), b = randn(3, 4, 5);
        double[] ref = reference(x.toDoubleArray(), 20, 1e-5);
        double[] wv = w.toDoubleArray(), bv = b.toDoubleArray();
        for (int i = 0; i < ref.length; i++) ref[i] = ref[i] * wv[i % 20] + bv[i % 20];
        assertClose(ref, Norm.layerNorm(x, new int[] {4, 5}, w, b, 1e-5).toDoubleArray(), 1e-12);
        assertClose(reference(x.toDoubleArray(), 5, 1e-3), Norm.layerNorm(x, new int[] {5}, null, null, 1e-3).toDoubleArray(), 1e-12);
    }

    @Test void groupAndInstanceNormValues() {
        Tensor x = randn(4, 2, 6, 3, 2), w = randn(5, 6), b = randn(6, 6);
        double[] ref = reference(x.toDoubleArray(), 2 * 6, 1e-5); // 3 groups of 2 channels x 6 positions
        double[] wv = w.toDoubleArray(), bv = b.toDoubleArray();
        for (int i = 0; i < ref.length; i++) ref[i] = ref[i] * wv[(i / 6) % 6] + bv[(i / 6) % 6];
        assertClose(ref, Norm.groupNorm(x, 3, w, b, 1e-5).toDoubleArray(), 1e-12);
        assertClose(reference(x.toDoubleArray(), 6, 1e-5), Norm.instanceNorm(x, null, null, 1e-5).toDoubleArray(), 1e-12);
        // one group is layer norm over (C, spatial); C groups is instance norm
        assertClose(reference(x.toDoubleArray(), 36, 1e-5), Norm.groupNorm(x, 1, null, null, 1e-5).toDoubleArray(), 1e-12);
        assertClose(Norm.instanceNorm(x, w, b, 1e-5).toDoubleArray(), Norm.groupNorm(x, 6, w, b, 1e-5).toDoubleArray(), 1e-12);
    }

    @Test void batchNormTrainingUpdatesRunningStatsAndEvalUsesThem() {
        Tensor x = randn(7, 4, 3, 5);
        Tensor rm = Tensor.zeros(DType.FLOAT64, Device.CPU, 3), rv = Tensor.full(DType.FLOAT64, Device.CPU, 1, 3);
        Tensor y = Norm.batchNorm(x, rm, rv, null, null, true, 0.1, 1e-5);
        // per channel over (N, L): gather the channel's values and standardize
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray();
        for (int c = 0; c < 3; c++) {
            double[] ch = new double[20];
            for (int n = 0; n < 4; n++) for (int l = 0; l < 5; l++) ch[n * 5 + l] = xv[(n * 3 + c) * 5 + l];
            double[] ref = reference(ch, 20, 1e-5);
            double mean = 0, ss = 0;
            for (double v : ch) mean += v / 20;
            for (double v : ch) ss += (v - mean) * (v - mean);
            for (int n = 0; n < 4; n++) for (int l = 0; l < 5; l++) assertEquals(ref[n * 5 + l], yv[(n * 3 + c) * 5 + l], 1e-12);
            assertEquals(0.1 * mean, rm.toDoubleArray()[c], 1e-12, "running mean");
            assertEquals(0.9 + 0.1 * ss / 19, rv.toDoubleArray()[c], 1e-12, "running var (unbiased)");
        }
        Tensor e = Norm.batchNorm(x, rm, rv, null, null, false, 0.1, 1e-5);
        double[] ev = e.toDoubleArray(), m = rm.toDoubleArray(), v = rv.toDoubleArray();
        for (int i = 0; i < xv.length; i++) {
            int c = (i / 5) % 3;
            assertEquals((xv[i] - m[c]) / Math.sqrt(v[c] + 1e-5), ev[i], 1e-12);
        }
    }

    @Test void gradientsFirstAndSecondOrder() {
        GradCheck c = GradCheck.create();
        Tensor x = randn(10, 2, 3, 4);
        GradCheck.Fn ln = t -> Norm.layerNorm(t[0], new int[] {4}, t[1], t[2], 1e-5);
        c.first("layer_norm", ln, x, randn(11, 4), randn(12, 4));
        c.second("layer_norm", ln, x, randn(11, 4), randn(12, 4));
        GradCheck.Fn gn = t -> Norm.groupNorm(t[0], 2, t[1], t[2], 1e-5);
        Tensor x4 = randn(13, 2, 4, 3, 2);
        c.first("group_norm", gn, x4, randn(14, 4), randn(15, 4));
        c.second("group_norm", gn, x4, randn(14, 4), randn(15, 4));
        GradCheck.Fn in = t -> Norm.instanceNorm(t[0], null, null, 1e-5);
        c.first("instance_norm", in, x4);
        c.second("instance_norm", in, x4);
        GradCheck.Fn bn = t -> Norm.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5);
        c.first("batch_norm", bn, x4, randn(16, 4), randn(17, 4));
        c.second("batch_norm", bn, x4, randn(16, 4), randn(17, 4));
    }

    @Test void dropoutMaskIsSeededScaledAndDifferentiable() {
        Tensor x = Tensor.full(DType.FLOAT64, Device.CPU, 2.0, 100, 100).requiresGrad(true);
        Tensor y = Norm.dropout(x, 0.3, true, new Rng(7));
        double[] yv = y.toDoubleArray();
        int kept = 0;
        for (double v : yv) {
            assertTrue(v == 0 || Math.abs(v - 2.0 / 0.7) < 1e-12, "value " + v);
            if (v != 0) kept++;
        }
        assertEquals(7000, kept, 200, "about 70% kept");
        assertArrayEquals(yv, Norm.dropout(x, 0.3, true, new Rng(7)).toDoubleArray(), "same seed, same mask");
        y.sum().backward();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < g.length; i++) assertEquals(yv[i] / 2.0, g[i], 1e-12);
        assertSame(x, Norm.dropout(x, 0.3, false, new Rng(7)));
        assertSame(x, Norm.dropout(x, 0.0, true, new Rng(7)));
        assertEquals(0.0, Norm.dropout(x, 1.0, true, new Rng(7)).abs().sum().item());
        assertThrows(IllegalArgumentException.class, () -> Norm.dropout(x, 1.5, true, new Rng(7)));
    }

    @Test void argumentErrors() {
        Tensor x = randn(20, 2, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Norm.layerNorm(x, new int[] {4}, null, null, 1e-5));
        assertTrue(e.getMessage().contains("layer_norm") && e.getMessage().contains("[2, 4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Norm.groupNorm(x, 3, null, null, 1e-5));
        assertTrue(e.getMessage().contains("group_norm: num_groups 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Norm.groupNorm(x, 2, randn(21, 3), null, 1e-5));
        assertTrue(e.getMessage().contains("weight must have shape [4]") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Norm.batchNorm(x, null, null, null, null, false, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("batch_norm: evaluation mode"), e.getMessage());
    }
}
