package org.opforge.decomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorAlgebraTest {

    private static DenseTensor arange(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return DenseTensor.of(d, shape);
    }

    @Test
    void unfoldFollowsTensorlyMoveaxisReshape() {
        // numpy: np.moveaxis(np.arange(24).reshape(3,4,2), 1, 0).reshape(4, -1)
        DenseTensor u = TensorAlgebra.unfold(arange(3, 4, 2), 1);
        assertArrayEquals(new int[] {4, 6}, u.shape());
        assertArrayEquals(new double[] {0, 1, 8, 9, 16, 17, 2, 3, 10, 11, 18, 19, 4, 5, 12, 13, 20, 21, 6, 7, 14, 15, 22, 23}, u.data());
        // mode 0 unfolding of a C-order tensor is the tensor itself
        assertArrayEquals(arange(3, 4, 2).data(), TensorAlgebra.unfold(arange(3, 4, 2), 0).data());
        // mode 2: rows are the last index
        assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23},
                TensorAlgebra.unfold(arange(3, 4, 2), 2).data());
    }

    @Test
    void foldInvertsUnfoldInEveryMode() {
        DenseTensor x = Planted.gaussian(new Random(1), 3, 5, 2, 4);
        for (int m = 0; m < 4; m++) assertEquals(x, TensorAlgebra.fold(TensorAlgebra.unfold(x, m), m, x.shape()));
    }

    @Test
    void modeDotIsMatrixTimesUnfolding() {
        Random rnd = new Random(2);
        DenseTensor x = Planted.gaussian(rnd, 3, 4, 5);
        for (int mode = 0; mode < 3; mode++) {
            DenseTensor m = Planted.gaussian(rnd, 6, x.size(mode));
            DenseTensor y = TensorAlgebra.modeDot(x, m, mode);
            DenseTensor unf = TensorAlgebra.unfold(x, mode);
            double[] expected = Matrices.mul(m.raw(), unf.raw(), 6, x.size(mode), unf.shape()[1]);
            int[] ys = x.shape();
            ys[mode] = 6;
            assertArrayEquals(ys, y.shape());
            assertArrayEquals(expected, TensorAlgebra.unfold(y, mode).data(), 1e-12);
            // the transposed variant takes M^T
            DenseTensor mt = DenseTensor.of(Matrices.transpose(m.raw(), 6, x.size(mode)), x.size(mode), 6);
            assertArrayEquals(y.data(), TensorAlgebra.modeDotTransposed(x, mt, mode).data(), 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> TensorAlgebra.modeDot(x, Planted.gaussian(rnd, 2, 7), 1));
    }

    @Test
    void khatriRaoRowsAreProductsInCOrder() {
        DenseTensor a = DenseTensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        DenseTensor b = DenseTensor.of(new double[] {5, 6, 7, 8, 9, 10}, 3, 2);
        DenseTensor k = TensorAlgebra.khatriRao(List.of(a, b), 2);
        assertArrayEquals(new int[] {6, 2}, k.shape());
        assertArrayEquals(new double[] {5, 12, 7, 16, 9, 20, 15, 24, 21, 32, 27, 40}, k.data());
    }
}
