package org.opforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Graph recording, gradient accumulation, error messages and the random generator. */
class CoreAutogradTest {

    @Test void noGradScopeRecordsNothing() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor y;
        try (GradMode.Scope s = GradMode.noGrad()) {
            assertFalse(GradMode.isEnabled());
            y = x.mul(x).exp().sum();
            try (GradMode.Scope inner = GradMode.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad(), "enableGrad inside noGrad records again");
            }
            assertFalse(GradMode.isEnabled(), "closing the inner scope restores no-grad");
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
        assertTrue(x.mul(x).requiresGrad());
    }

    @Test void backwardAccumulatesOverTwoCalls() {
        Tensor x = Tensor.of(new double[] {1, -2, 3}, 3).requiresGrad(true);
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {2, -4, 6}, x.grad().toDoubleArray(), 0.0);
        x.mul(3).sum().backward();
        assertArrayEquals(new double[] {5, -1, 9}, x.grad().toDoubleArray(), 0.0);
        x.zeroGrad();
        assertNull(x.grad());
        x.sum().backward();
        assertArrayEquals(new double[] {1, 1, 1}, x.grad().toDoubleArray(), 0.0);
    }

    @Test void sharedSubexpressionGetsBothPaths() {
        Tensor x = Tensor.of(new double[] {2}, 1).requiresGrad(true);
        Tensor a = x.mul(x); // x^2
        a.mul(a).add(a).sum().backward(); // x^4 + x^2 -> 4x^3 + 2x
        assertEquals(36.0, x.grad().item(), 0.0);
    }

    @Test void leavesWithoutRequiresGradGetNothing() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor c = Tensor.of(new double[] {3, 4}, 2);
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertArrayEquals(new double[] {3, 4}, x.grad().toDoubleArray(), 0.0);
    }

    @Test void createGraphGivesDifferentiableGradients() {
        Tensor x = Tensor.of(new double[] {0.5, -1.5}, 2).requiresGrad(true);
        Tensor g = Autograd.grad(x.pow(3).sum(), null, true, x)[0]; // 3x^2
        assertTrue(g.requiresGrad());
        Tensor gg = Autograd.grad(g.sum(), null, false, x)[0]; // 6x
        assertArrayEquals(new double[] {3, -9}, gg.toDoubleArray(), 1e-12);
        Tensor h = Autograd.grad(x.pow(3).sum(), null, false, x)[0];
        assertFalse(h.requiresGrad(), "without createGraph the gradient is detached");
    }

    @Test void gradOfUnreachedInputIsZeroOrAnError() {
        Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad(true);
        Tensor z = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.mul(2).sum();
        assertArrayEquals(new double[] {0, 0}, Autograd.grad(y, null, false, z)[0].toDoubleArray(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(new Tensor[] {y}, new Tensor[] {null}, new Tensor[] {z}, false, false));
        assertTrue(e.getMessage().contains("not reached"), e.getMessage());
    }

    @Test void backwardOfNonScalarNeedsAGradient() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2).backward());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    // ---- error messages ---------------------------------------------------------------------------

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test void shapeMismatchErrorsNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4), c = Tensor.zeros(5, 2);
        for (String[] expect : new String[][] {
                {message(() -> a.add(b)), "add"}, {message(() -> a.sub(b)), "sub"}, {message(() -> a.mul(b)), "mul"},
                {message(() -> a.div(b)), "div"}, {message(() -> a.maximum(b)), "max"}}) {
            assertTrue(expect[0].contains(expect[1]) && expect[0].contains("[2, 3]") && expect[0].contains("[4]"), expect[0]);
        }
        String mm = message(() -> a.matmul(c));
        assertTrue(mm.contains("matmul") && mm.contains("[2, 3]") && mm.contains("[5, 2]"), mm);
        String bmm = message(() -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)));
        assertTrue(bmm.contains("matmul") && bmm.contains("[2]") && bmm.contains("[3]"), bmm);
        String cat = message(() -> Tensor.cat(0, a, c));
        assertTrue(cat.contains("cat") && cat.contains("[2, 3]") && cat.contains("[5, 2]"), cat);
        String rs = message(() -> a.reshape(4, 2));
        assertTrue(rs.contains("reshape") && rs.contains("[2, 3]") && rs.contains("[4, 2]"), rs);
        String ex = message(() -> a.expand(4, 3, 2));
        assertTrue(ex.contains("expand") && ex.contains("[2, 3]") && ex.contains("[4, 3, 2]"), ex);
        String cx = message(() -> Tensor.complex(a, c));
        assertTrue(cx.contains("complex") && cx.contains("[2, 3]") && cx.contains("[5, 2]"), cx);
        String ax = message(() -> a.sum(2, false));
        assertTrue(ax.contains("sum") && ax.contains("axis 2"), ax);
    }

    @Test void dtypePromotion() {
        Tensor f = Tensor.ones(2), d = Tensor.of(new double[] {1, 2}, 2);
        assertEquals(DType.FLOAT64, f.add(d).dtype());
        Tensor z = Tensor.complex(f, f);
        assertEquals(DType.COMPLEX64, z.dtype());
        assertEquals(DType.COMPLEX128, z.mul(d).dtype());
    }

    // ---- random generator -------------------------------------------------------------------------

    @Test void rngValuesDoNotDependOnChunking() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.COMPLEX64}) {
            Rng whole = new Rng(99);
            double[] u = Tensor.rand(whole, dt, Device.CPU, -1, 2, 1001).toDoubleArray();
            double[] n = Tensor.randn(whole, dt, Device.CPU, 0.5, 3, 777).toDoubleArray();
            Rng parts = new Rng(99);
            double[] u1 = Tensor.rand(parts, dt, Device.CPU, -1, 2, 333).toDoubleArray();
            double[] u2 = Tensor.rand(parts, dt, Device.CPU, -1, 2, 668).toDoubleArray();
            // odd split of a normal draw: Box-Muller pairs straddle the boundary
            double[] n1 = Tensor.randn(parts, dt, Device.CPU, 0.5, 3, 1).toDoubleArray();
            double[] n2 = Tensor.randn(parts, dt, Device.CPU, 0.5, 3, 776).toDoubleArray();
            assertArrayEquals(u, concat(u1, u2), 0.0, dt.toString());
            assertArrayEquals(n, concat(n1, n2), 0.0, dt.toString());
            assertEquals(whole.counter(), parts.counter());
        }
    }

    @Test void rngReproducibleAndSensiblyDistributed() {
        double[] a = Tensor.randn(new Rng(7), DType.FLOAT64, Device.CPU, 0, 1, 20000).toDoubleArray();
        double[] b = Tensor.randn(new Rng(7), DType.FLOAT64, Device.CPU, 0, 1, 20000).toDoubleArray();
        assertArrayEquals(a, b, 0.0);
        double mean = 0, var = 0;
        for (double v : a) mean += v / a.length;
        for (double v : a) var += (v - mean) * (v - mean) / a.length;
        assertEquals(0, mean, 0.03);
        assertEquals(1, var, 0.05);
        double[] c = Tensor.randn(new Rng(8), DType.FLOAT64, Device.CPU, 0, 1, 20000).toDoubleArray();
        assertFalse(java.util.Arrays.equals(a, c));
        Rng at = Rng.at(7, 100);
        assertEquals(Tensor.randn(new Rng(7), DType.FLOAT64, Device.CPU, 0, 1, 101).toDoubleArray()[100],
                Tensor.randn(at, DType.FLOAT64, Device.CPU, 0, 1, 1).item(), 0.0);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
