package org.opforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.cpu.CpuBackend;

/**
 * What the autograd graph keeps alive and what a backward pass gives back: nodes hold the tensors
 * their rules saved, not their inputs; a pass that does not retain the graph drops each rule once it
 * has run; gradients the pass made are released to the backend when consumed, without changing a
 * single bit of any gradient.
 */
class GraphMemoryTest {

    private static boolean collected(WeakReference<?> ref) {
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ref.get() == null;
    }

    /** Made in a method of its own so that no local of the caller keeps the intermediates. */
    private static Tensor[] chain(Tensor x, WeakReference<?>[] refs) {
        Tensor a = x.mul(2.0);        // saves nothing but the constant
        Tensor b = a.add(x);          // add's rule needs shapes only: a is not kept by the graph
        Tensor c = b.tanh();          // tanh keeps its output, not b
        refs[0] = new WeakReference<>(a);
        refs[1] = new WeakReference<>(b);
        return new Tensor[] {c.sum()};
    }

    @Test void theGraphDoesNotKeepInputsItsRulesDoNotNeed() {
        Tensor x = Tensor.of(new double[] {0.1, -0.2, 0.3}, 3).requiresGrad(true);
        WeakReference<?>[] refs = new WeakReference<?>[2];
        Tensor loss = chain(x, refs)[0];
        assertTrue(collected(refs[0]), "the input of add, not saved by any rule, is collectable while the graph lives");
        assertTrue(collected(refs[1]), "the input of tanh (which saves its output) is collectable while the graph lives");
        loss.backward();
        // d/dx sum(tanh(3x)) = 3 (1 - tanh^2(3x))
        double[] g = x.grad().toDoubleArray();
        double[] v = {0.1, -0.2, 0.3};
        for (int i = 0; i < 3; i++) assertTrue(Math.abs(g[i] - 3 * (1 - Math.pow(Math.tanh(3 * v[i]), 2))) < 1e-12);
    }

    /** A linear layer and a product after it, in a method of its own (no local of the caller keeps the layer's output). */
    private static Tensor afterLinear(Tensor x, Tensor w, Tensor b, WeakReference<?>[] refs) {
        Tensor y = org.opforge.tensor.nn.Functional.linear(x, w, b);
        refs[0] = new WeakReference<>(y);
        return y.mul(3.0).sum();
    }

    @Test void aLinearLayerWithoutActivationDoesNotKeepItsOutput() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, 5, 4);
        Tensor w = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, 3, 4).requiresGrad(true);
        Tensor b = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, 3).requiresGrad(true);
        WeakReference<?>[] refs = new WeakReference<?>[1];
        Tensor loss = afterLinear(x, w, b, refs);
        assertTrue(collected(refs[0]), "the output of a plain linear layer (its rule reads x and w only) is collectable while the graph lives");
        loss.backward();
        // d/dW sum(3 (x W^T + b)) = 3 * (column sums of x) in every row; d/db = 3 * batch
        double[] gw = w.grad().toDoubleArray(), xs = x.toDoubleArray();
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                double want = 0;
                for (int r = 0; r < 5; r++) want += 3 * xs[r * 4 + i];
                assertTrue(Math.abs(gw[o * 4 + i] - want) < 1e-12);
            }
        }
        for (double v : b.grad().toDoubleArray()) assertTrue(Math.abs(v - 15) < 1e-12);
    }

    @Test void aPassThatDoesNotRetainTheGraphReleasesItsSavedTensors() {
        Tensor x = Tensor.of(new double[] {0.5, 1.5}, 2).requiresGrad(true);
        Tensor loss = x.exp().mul(x).sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("a second time") && e.getMessage().contains("retainGraph"), e.getMessage());

        Tensor y = Tensor.of(new double[] {0.5, 1.5}, 2).requiresGrad(true);
        Tensor kept = y.exp().mul(y).sum();
        Autograd.backward(kept, null, false, true);
        Autograd.backward(kept, null, false, true);
        // twice (x + 1) e^x
        assertArrayEquals(new double[] {2 * 1.5 * Math.exp(0.5), 2 * 2.5 * Math.exp(1.5)}, y.grad().toDoubleArray(), 1e-12);
    }

    @Test void aPassThatCreatesAGraphKeepsTheFirstOne() {
        Tensor x = Tensor.of(new double[] {0.3, -0.7}, 2).requiresGrad(true);
        Tensor y = x.mul(x).mul(x).sum();
        Tensor g = Autograd.grad(y, null, true, x)[0];     // 3 x^2, differentiable
        g.sum().backward();                                   // 6 x
        assertArrayEquals(new double[] {1.8, -4.2}, x.grad().toDoubleArray(), 1e-12);
    }

    /**
     * Graphs whose gradients alias one another (an op using one input twice, reshape, expand and
     * broadcasting returning the incoming gradient itself, a gradient reaching a node by several
     * paths): the releasing pass gives the same bits as a pass that keeps everything, and the
     * storage it released went back to the pool.
     */
    @Test void releasingGradientsChangesNoGradient() {
        List<Function<Tensor[], Tensor>> graphs = List.of(
                p -> p[0].add(p[0]).gelu().mul(p[1]).sum(),
                p -> p[0].reshape(64, 64).add(p[1].reshape(64, 64)).tanh().reshape(4096).mul(p[0]).sum(),
                p -> {
                    Tensor h = p[0].mul(p[1]).sigmoid();
                    return h.add(h.mul(h)).sub(p[1]).add(h.reshape(64, 64).sum(1, true).expand(64, 64).reshape(4096)).sum();
                },
                p -> p[0].reshape(1, 4096).add(p[1].reshape(4096, 1).slice(0, 0, 1)).gelu().sum());
        for (int k = 0; k < graphs.size(); k++) {
            float[][] kept = grads(graphs.get(k), true), released = grads(graphs.get(k), false);
            for (int i = 0; i < 2; i++) assertArrayEquals(kept[i], released[i], 0f, "graph " + k + ", input " + i);
        }
    }

    @Test void gradientsOfADeepChainGoBackToThePool() {
        Function<Tensor[], Tensor> deep = p -> {
            Tensor h = p[0];
            for (int i = 0; i < 8; i++) h = h.mul(p[1]).gelu().add(h);
            return h.sum();
        };
        int n = 1 << 15; // above the pool's smallest kept size
        long before = CpuBackend.allocatedBytes()[1];
        float[][] released = grads(deep, false, n);
        assertTrue(CpuBackend.allocatedBytes()[1] > before, "the pass reused gradient storage it had released");
        float[][] kept = grads(deep, true, n);
        for (int i = 0; i < 2; i++) assertArrayEquals(kept[i], released[i], 0f);
    }

    @Test void aReleasedBufferCannotBeReadAgain() {
        CpuBackend be = CpuBackend.instance();
        Tensor t = Tensor.zeros(DType.FLOAT32, Device.CPU, 1 << 15);
        be.release(t.buffer());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toFloatArray);
        assertTrue(e.getMessage().contains("released buffer"), e.getMessage());
    }

    private static float[][] grads(Function<Tensor[], Tensor> f, boolean retain) {
        return grads(f, retain, 4096);
    }

    private static float[][] grads(Function<Tensor[], Tensor> f, boolean retain, int n) {
        Rng rng = new Rng(7);
        Tensor a = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, n).requiresGrad(true);
        Tensor b = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, n).requiresGrad(true);
        Tensor loss = f.apply(new Tensor[] {a, b});
        Autograd.backward(loss, null, false, retain);
        return new float[][] {a.grad().toFloatArray(), b.grad().toFloatArray()};
    }
}
