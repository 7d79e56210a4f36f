package org.opforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#vecdot}: inner products along the last axis in one pass, against the two-pass
 * {@code mul(o).sum(-1)} on every row length around the vector width (whole vectors, a tail, both, none),
 * on float32 (the one-pass kernel) and float64 (the backend's default), its gradients by finite differences
 * to second order, and its refusals.
 */
class VecdotTest {

    private static Tensor randn(long seed, DType dt, int... shape) {
        return Tensor.randn(new Rng(seed), dt, Device.CPU, 0, 1, shape);
    }

    @Test void equalsProductThenSumForEveryRowLength() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int len : new int[] {0, 1, 7, 8, 15, 16, 17, 40, 100}) {
                for (int[] lead : new int[][] {{1}, {13}, {3, 5}, {10000}}) {
                    int[] shape = java.util.Arrays.copyOf(lead, lead.length + 1);
                    shape[lead.length] = len;
                    Tensor a = randn(len * 31L + lead.length, dt, shape), b = randn(len * 17L + 3, dt, shape);
                    double[] got = a.vecdot(b).toDoubleArray();
                    double[] want = a.mul(b).sum(-1, false).toDoubleArray();
                    assertArrayEquals(lead, a.vecdot(b).shape(), "shape for len " + len);
                    double tol = dt == DType.FLOAT32 ? 2e-6 * Math.sqrt(Math.max(1, len)) : 1e-13;
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), dt + " len " + len + " row " + i);
                    }
                }
            }
        }
    }

    @Test void gradientsMatchFiniteDifferences() {
        GradCheck.checkBoth("vecdot", x -> x[0].vecdot(x[1]), randn(1, DType.FLOAT64, 3, 4, 19), randn(2, DType.FLOAT64, 3, 4, 19));
        GradCheck.check("vecdot, one operand", x -> x[0].vecdot(x[0].mul(2).sin()), randn(3, DType.FLOAT64, 5, 40));
    }

    @Test void refusesWhatItDoesNotDefine() {
        Tensor a = randn(1, DType.FLOAT32, 4, 3);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> a.vecdot(randn(2, DType.FLOAT32, 1, 3)));
        assertTrue(shape.getMessage().contains("one shape") && shape.getMessage().contains("[4, 3]"), shape.getMessage());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> a.vecdot(randn(2, DType.FLOAT64, 4, 3)));
        assertTrue(dtype.getMessage().contains("float64"), dtype.getMessage());
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                () -> Tensor.scalar(1.0).vecdot(Tensor.scalar(2.0)));
        assertTrue(scalar.getMessage().contains("scalar"), scalar.getMessage());
    }
}
