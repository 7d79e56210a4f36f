package org.opforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.cpu.CpuBackend;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.Sequential;
import org.opforge.tensor.nn.Activation;
import org.opforge.tensor.nn.optim.Adam;

/**
 * A training step's scope hands its activations back to the pool when the step ends: the next step then
 * allocates (almost) nothing afresh, the training is bit for bit the one without a scope, and nothing
 * that outlives the step is released: parameters and their views, gradients, optimizer state, kept outputs.
 */
class StepScopeTest {
    private static final int BATCH = 2048, WIDTH = 64;

    private static Sequential mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(16, WIDTH, true, rng), new Activation("relu"), new Linear(WIDTH, WIDTH, true, rng), new Activation("relu"),
                new Linear(WIDTH, 1, true, rng));
    }

    /** Runs steps of an MLP on fixed data, each in a scope or not; returns the parameters' values afterwards. */
    private static double[] train(boolean scoped, int steps, long[] freshBytesLeast) {
        // an empty pool: earlier tests in the same JVM may have filled it to its capacity with arrays of other
        // sizes, and a full pool keeps nothing more
        org.opforge.tensor.backend.Backends.cpu().trim();
        Sequential net = mlp(3);
        Adam opt = new Adam(net, 1e-3);
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, BATCH, 16);
        Tensor y = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, BATCH, 1);
        for (int s = 0; s < steps; s++) {
            long fresh0 = CpuBackend.allocatedBytes()[0];
            StepScope scope = scoped ? StepScope.begin() : null;
            try {
                opt.zeroGrad();
                net.forward(x).sub(y).square().mean().backward();
                opt.step();
            } finally {
                if (scope != null) scope.close();
            }
            // the least over the last three steps: a collection that takes back pooled (softly held) arrays in one
            // step does not decide the test, a scope that does not recycle shows in all three
            long fresh = CpuBackend.allocatedBytes()[0] - fresh0;
            if (s == steps - 3 || s > steps - 3 && fresh < freshBytesLeast[0]) freshBytesLeast[0] = fresh;
        }
        return net.parameters().stream().flatMapToDouble(p -> java.util.Arrays.stream(p.toDoubleArray())).toArray();
    }

    @Test void theNextStepReusesTheActivationsAndTrainsBitForBitTheSame() {
        long[] scopedFresh = new long[1], plainFresh = new long[1];
        double[] scoped = train(true, 6, scopedFresh);
        double[] plain = train(false, 6, plainFresh);
        assertArrayEquals(plain, scoped, "a scope changes where storage comes from, never a value");
        long activation = 4L * BATCH * WIDTH;
        assertTrue(plainFresh[0] >= 2 * activation,
                "without a scope every step allocates its activations afresh; found " + plainFresh[0] + " bytes");
        assertTrue(scopedFresh[0] < activation,
                "with a scope the steps after the first reuse them; found " + scopedFresh[0] + " fresh bytes at least in each of the last three");
    }

    @Test void whatOutlivesTheStepIsNotReleased() {
        Tensor w = Tensor.randn(new Rng(1), DType.FLOAT32, Device.CPU, 0, 1, 128, 256).requiresGrad(true);
        Tensor x = Tensor.randn(new Rng(2), DType.FLOAT32, Device.CPU, 0, 1, 256, 128);
        Tensor kept, dropped, view;
        try (StepScope scope = StepScope.begin()) {
            view = w.reshape(256, 128);                     // a node output sharing the parameter's storage
            Tensor h = view.mul(x);                          // the step's own storage
            kept = scope.keep(h.tanh());
            dropped = h.mul(2.0);
            kept.add(dropped).sum().backward();
        }
        assertEquals(128 * 256, w.toDoubleArray().length, "the parameter is readable");
        assertEquals(128 * 256, view.toDoubleArray().length, "a view of the parameter is not the step's storage");
        assertEquals(128 * 256, w.grad().toDoubleArray().length, "gradients are made by the backward pass, not noted");
        assertEquals(256 * 128, kept.toDoubleArray().length, "a kept output is readable");
        assertThrows(IllegalStateException.class, dropped::toDoubleArray, "a released output fails loudly when read");
    }

    @Test void smallOutputsAndStepsWithoutAGraphAreLeftAlone() {
        Tensor w = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor big = Tensor.randn(new Rng(5), DType.FLOAT32, Device.CPU, 0, 1, 200, 200);
        Tensor small, noGraph;
        try (StepScope ignored = StepScope.begin()) {
            small = w.mul(2.0);                              // under MIN_ELEMENTS: not noted
            try (GradMode.Scope off = GradMode.noGrad()) {
                noGraph = big.mul(2.0);                      // no node: a cache or a statistic, not an activation
            }
        }
        assertArrayEquals(new double[] {2, 4, 6}, small.toDoubleArray(), 0);
        assertEquals(40000, noGraph.toDoubleArray().length);
    }

    @Test void scopesDoNotNestAndCloseOnTheirOwnThread() throws Exception {
        Tensor w = Tensor.randn(new Rng(6), DType.FLOAT32, Device.CPU, 0, 1, 200, 200).requiresGrad(true);
        Tensor inner;
        try (StepScope outer = StepScope.begin()) {
            try (StepScope nested = StepScope.begin()) {
                inner = w.mul(2.0);
            }
            assertEquals(40000, inner.toDoubleArray().length, "closing a nested scope releases nothing");
        }
        assertThrows(IllegalStateException.class, inner::toDoubleArray, "the outer scope released the nested step's output");

        StepScope[] made = new StepScope[1];
        Thread t = new Thread(() -> made[0] = StepScope.begin());
        t.start();
        t.join();
        IllegalStateException e = assertThrows(IllegalStateException.class, made[0]::close);
        assertTrue(e.getMessage().contains("opened on thread"), e.getMessage());
    }

    @Test void aBackwardPassInsideTheStepIsNotNoted() {
        // the forward pass takes a gradient with a graph of its own (a physics loss): that graph is the pass's
        Tensor w = Tensor.randn(new Rng(7), DType.FLOAT32, Device.CPU, 0, 1, 200, 200).requiresGrad(true);
        Tensor[] g;
        try (StepScope ignored = StepScope.begin()) {
            Tensor u = w.mul(w).sum();
            g = Autograd.grad(new Tensor[] {u}, new Tensor[] {Tensor.onesLike(u)}, new Tensor[] {w}, true, false);
        }
        assertEquals(40000, g[0].toDoubleArray().length);
        assertSame(g[0].buffer(), g[0].buffer());
    }

    @Test void aStepOverItsBudgetLeavesItsOutputsToTheCollector() {
        Tensor w = Tensor.randn(new Rng(8), DType.FLOAT32, Device.CPU, 0, 1, 200, 200).requiresGrad(true);
        Tensor a, b;
        try (StepScope ignored = StepScope.begin(2 * 40000 * 4 - 1)) {
            a = w.mul(2.0);
            b = a.tanh();
        }
        assertEquals(40000, a.toDoubleArray().length, "two outputs of 160 kB each are over a budget of 320 kB less a byte");
        assertEquals(40000, b.toDoubleArray().length);
        try (StepScope ignored = StepScope.begin(2 * 40000 * 4)) {
            a = w.mul(2.0);
            b = a.tanh();
        }
        assertThrows(IllegalStateException.class, a::toDoubleArray, "within the budget both go back");
        assertThrows(IllegalStateException.class, b::toDoubleArray);
        assertThrows(IllegalArgumentException.class, () -> StepScope.begin(-1));
    }

    /**
     * An inference scope: a forward pass without a graph whose intermediates and unkept result go back to the pool,
     * so the next pass allocates nothing fresh and computes the same values; a kept result stays readable.
     */
    @Test void anInferenceScopeReusesTheForwardPassStorage() {
        org.opforge.tensor.backend.Backends.cpu().trim();
        Sequential net = mlp(7);
        Tensor x = Tensor.randn(new Rng(8), DType.FLOAT32, Device.CPU, 0, 1, BATCH, 16);
        double[] want;
        try (GradMode.Scope off = GradMode.noGrad()) {
            want = net.forward(x).toDoubleArray();
        }
        long least = Long.MAX_VALUE;
        Tensor kept = null, dropped = null;
        for (int s = 0; s < 4; s++) {
            long fresh0 = CpuBackend.allocatedBytes()[0];
            try (StepScope scope = StepScope.inference(); GradMode.Scope off = GradMode.noGrad()) {
                Tensor h = net.get(0).forward(x);                // an intermediate, 2048 x 64: noted
                dropped = h;
                Tensor y = net.forward(x);
                assertArrayEquals(want, y.toDoubleArray(), 0, "a scope changes where storage comes from, never a value");
                if (s == 3) kept = scope.keep(net.get(2).forward(net.get(1).forward(h)));
            }
            if (s >= 1) least = Math.min(least, CpuBackend.allocatedBytes()[0] - fresh0);
        }
        long activation = (long) BATCH * WIDTH * 4;
        assertTrue(least < activation, "passes after the first reuse their storage: " + least + " fresh bytes, an activation is " + activation);
        assertEquals(BATCH * WIDTH, kept.toDoubleArray().length, "a kept result is readable");
        assertThrows(IllegalStateException.class, dropped::toDoubleArray, "an intermediate is released and fails loudly when read");

        Tensor cache;
        try (StepScope scope = StepScope.inference(); GradMode.Scope off = GradMode.noGrad()) {
            cache = StepScope.retain(x.mul(2.0));               // a module's lazily made cache
        }
        assertEquals(BATCH * 16, cache.toDoubleArray().length, "a retained tensor outlives the scope");
        assertSame(x, StepScope.retain(x), "without a scope retain changes nothing");
    }
}
