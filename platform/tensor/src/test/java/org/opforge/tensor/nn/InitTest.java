package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

class InitTest {
    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static double std(double[] v) {
        double s = 0, q = 0;
        for (double x : v) {
            s += x;
            q += x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(q / v.length - mean * mean);
    }

    @Test
    void fansFollowPyTorch() {
        assertEquals(20, Init.fanIn(new int[] {10, 20}));
        assertEquals(10, Init.fanOut(new int[] {10, 20}));
        assertEquals(4 * 9, Init.fanIn(new int[] {8, 4, 3, 3}));
        assertEquals(8 * 9, Init.fanOut(new int[] {8, 4, 3, 3}));
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(new int[] {5}));
        assertEquals(Math.sqrt(2), Init.gain("relu", 0), 1e-15);
        assertEquals(5.0 / 3, Init.gain("tanh", 0), 1e-15);
        assertEquals(Math.sqrt(2 / 1.01), Init.gain("leaky_relu", 0.1), 1e-15);
    }

    @Test
    void defaultLinearAndConvInitIsUniformOverInverseSqrtFanIn() {
        Linear l = new Linear(400, 300, new Rng(1));
        double bound = 1 / Math.sqrt(400);
        double[] w = l.param("weight").toDoubleArray();
        assertTrue(maxAbs(w) <= bound && maxAbs(w) > 0.99 * bound);
        assertEquals(bound / Math.sqrt(3), std(w), 0.01 * bound);
        assertTrue(maxAbs(l.param("bias").toDoubleArray()) <= bound);
        Conv2d c = new Conv2d(6, 8, 3, new Rng(2));
        double cb = 1 / Math.sqrt(6 * 9);
        assertTrue(maxAbs(c.param("weight").toDoubleArray()) <= cb);
        ConvTranspose2d t = new ConvTranspose2d(6, 4, 4, 2, 1, new Rng(3));
        assertArrayEquals(new int[] {6, 4, 4, 4}, t.param("weight").shape());
        assertTrue(maxAbs(t.param("weight").toDoubleArray()) <= 1 / Math.sqrt(4 * 16), "ConvTranspose fan_in is C_out * k^2");
    }

    @Test
    void xavierAndKaimingScales() {
        int[] shape = {200, 300};
        double[] xu = Init.xavierUniform(1.0).create(new Rng(1), shape).toDoubleArray();
        double a = Math.sqrt(6.0 / 500);
        assertTrue(maxAbs(xu) <= a && maxAbs(xu) > 0.99 * a);
        assertEquals(Math.sqrt(2.0 / 500), std(Init.xavierNormal(1.0).create(new Rng(2), shape).toDoubleArray()), 0.01 * Math.sqrt(2.0 / 500));
        double heStd = Math.sqrt(2) / Math.sqrt(300);
        assertEquals(heStd, std(Init.kaimingNormal(0, Init.FanMode.FAN_IN, "relu").create(new Rng(3), shape).toDoubleArray()), 0.01 * heStd);
        double[] ku = Init.kaimingUniform(0, Init.FanMode.FAN_OUT, "relu").create(new Rng(4), shape).toDoubleArray();
        assertTrue(maxAbs(ku) <= Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(200));
    }

    @Test
    void spectralInitIsScaledUniformForBothParts() {
        SpectralConv2d s = new SpectralConv2d(4, 5, 3, 2, new Rng(9));
        Tensor w = s.param("weights2");
        assertEquals(DType.COMPLEX64, w.dtype());
        assertArrayEquals(new int[] {4, 5, 3, 2}, w.shape());
        double scale = 1.0 / 20;
        for (double v : w.real().toDoubleArray()) assertTrue(v >= 0 && v < scale);
        for (double v : w.imag().toDoubleArray()) assertTrue(v >= 0 && v < scale);
        assertEquals(2 * 2 * 4 * 5 * 3 * 2, s.parameterCount());
    }

    @Test
    void resetRedrawsInPlaceFromTheGenerator() {
        Linear l = new Linear(3, 2, new Rng(1));
        Tensor w = l.param("weight");
        Init.reset(w, Init.constant(0.25), new Rng(0));
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f}, w.toFloatArray());
        Init.reset(w, Init.xavierUniform(1), new Rng(5));
        float[] first = w.toFloatArray();
        Init.reset(w, Init.xavierUniform(1), new Rng(5));
        assertArrayEquals(first, w.toFloatArray());
    }
}
