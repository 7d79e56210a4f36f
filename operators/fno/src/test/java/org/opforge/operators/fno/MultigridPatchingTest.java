package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

class MultigridPatchingTest {
    private static Tensor field(int b, int c, int h, int w) {
        return Tensor.randn(new Rng(h * 31L + w), DType.FLOAT32, Device.CPU, 0, 1, b, c, h, w);
    }

    @Test
    void splitThenStitchIsExact() {
        for (int levels = 0; levels <= 3; levels++) {
            MultigridPatching mg = new MultigridPatching(levels, 0.1);
            Tensor y = field(2, 3, 16, 24);
            Tensor patches = mg.split(y);
            int n = 1 << levels;
            assertArrayEquals(new int[] {2 * n * n, 3, 16 / n, 24 / n}, patches.shape());
            assertArrayEquals(y.toFloatArray(), mg.stitch(patches).toFloatArray(), "levels " + levels);
        }
    }

    @Test
    void unpatchOfTheFinestLevelReturnsTheInputExactly() {
        for (int levels = 0; levels <= 2; levels++) {
            for (double pad : new double[] {0.0, 0.0625, 0.25}) {
                MultigridPatching mg = new MultigridPatching(levels, pad);
                Tensor x = field(3, 2, 32, 16);
                Tensor p = mg.patch(x);
                int n = 1 << levels;
                int ph = mg.padding(32), pw = mg.padding(16);
                assertArrayEquals(new int[] {3 * n * n, 2 * (levels + 1), 32 / n + 2 * ph, 16 / n + 2 * pw}, p.shape());
                Tensor finest = p.slice(1, 0, 2);
                assertArrayEquals(x.toFloatArray(), mg.unpatch(finest, 32, 16).toFloatArray(), "levels " + levels + ", padding " + pad);
            }
        }
    }

    @Test
    void patchOrderAndCircularPaddingFollowNeuralop() {
        // 1 level, 8 x 8 grid, padding 1: patch (i, j) of sample b sits at batch index b*4 + i*2 + j and
        // holds rows i*4-1 .. i*4+4 (mod 8); level 1 holds x[::2, ::2] rows i*2 - 2 .. i*2 + 3 (mod 4)
        MultigridPatching mg = new MultigridPatching(1, 0.125);
        float[] v = new float[64];
        for (int r = 0; r < 8; r++) for (int c = 0; c < 8; c++) v[r * 8 + c] = 100 * r + c;
        Tensor x = Tensor.of(v, 1, 1, 8, 8);
        Tensor p = mg.patch(x);
        assertArrayEquals(new int[] {4, 2, 6, 6}, p.shape());
        float[] a = p.toFloatArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                int base = (i * 2 + j) * 2 * 36;
                for (int r = 0; r < 6; r++) {
                    for (int c = 0; c < 6; c++) {
                        float fine = 100 * Math.floorMod(i * 4 - 1 + r, 8) + Math.floorMod(j * 4 - 1 + c, 8);
                        float coarse = 100 * 2 * Math.floorMod(i * 2 - 2 + r, 4) + 2 * Math.floorMod(j * 2 - 2 + c, 4);
                        assertEquals(fine, a[base + r * 6 + c], "fine, patch " + i + "," + j + " at " + r + "," + c);
                        assertEquals(coarse, a[base + 36 + r * 6 + c], "coarse, patch " + i + "," + j + " at " + r + "," + c);
                    }
                }
            }
        }
    }

    @Test
    void gridsThatDoNotDivideAreRejected() {
        MultigridPatching mg = new MultigridPatching(2, 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mg.patch(field(1, 1, 18, 16)));
        assertEquals(true, e.getMessage().contains("18 x 16"), e.getMessage());
    }
}
