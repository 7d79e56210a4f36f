package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.cpu.CpuBackend;

/**
 * Inference through a {@link Sequential} without a graph cycles through pooled buffers: once warm, a
 * forward pass takes its intermediates' storage from what the previous layers handed back, with the
 * same values as a pass that keeps everything; with a graph recorded nothing is handed back.
 */
class InferenceMemoryTest {
    private static final int BATCH = 256, WIDTH = 512;

    private static MLP net() {
        return new MLP(new int[] {64, WIDTH, WIDTH, WIDTH, 8}, "relu", false, new Rng(1));
    }

    @Test void aWarmForwardPassWithoutAGraphAllocatesOnlyItsOutput() {
        MLP net = net();
        Tensor x = Tensor.randn(new Rng(2), DType.FLOAT32, Device.CPU, 0, 1, BATCH, 64);
        Tensor first;
        try (GradMode.Scope s = GradMode.noGrad()) {
            first = net.forward(x);
            net.forward(x);
            long[] before = CpuBackend.allocatedBytes();
            Tensor again = net.forward(x);
            long[] after = CpuBackend.allocatedBytes();
            long fresh = after[0] - before[0], reused = after[1] - before[1];
            long intermediate = 4L * BATCH * WIDTH;
            // three intermediates of 512 KiB (each linear layer with its activation is one op), all from the pool
            assertTrue(reused >= 3 * intermediate, "reused " + reused + " bytes, expected the three intermediates' " + 3 * intermediate);
            assertTrue(fresh < intermediate, "a warm pass allocated " + fresh + " bytes fresh (one intermediate is " + intermediate + ")");
            assertArrayEquals(first.toFloatArray(), again.toFloatArray(), 0f);
        }
        assertEquals(64 * BATCH, x.toFloatArray().length, "the input stays readable");
        // the same values as a pass that records a graph and releases nothing
        Tensor withGraph = net.forward(x);
        assertArrayEquals(first.toFloatArray(), withGraph.toFloatArray(), 0f);
    }

    @Test void withAGraphTheIntermediatesStayForTheBackwardPass() {
        MLP net = net();
        Tensor x = Tensor.randn(new Rng(3), DType.FLOAT32, Device.CPU, 0, 1, BATCH, 64).requiresGrad(true);
        net.forward(x).sum().backward();
        float[] direct = x.grad().toFloatArray();
        x.zeroGrad();
        Tensor y = net.forward(x);
        // passes without a graph in between cycle the pool; they must not touch the graph's intermediates
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int i = 0; i < 3; i++) net.forward(x.detach().mul(Tensor.scalar(-1, DType.FLOAT32, Device.CPU)));
        }
        y.sum().backward();
        assertArrayEquals(direct, x.grad().toFloatArray(), 0f);
    }

    @Test void aLayerThatReturnsItsInputKeepsItReadable() {
        Sequential seq = new Sequential(new Linear(64, WIDTH, new Rng(4)), new Dropout(0.5, new Rng(6)), new Activation(Activation.Kind.parse("gelu"), 1.0));
        seq.eval();
        Tensor x = Tensor.randn(new Rng(5), DType.FLOAT32, Device.CPU, 0, 1, BATCH, 64);
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor y = seq.forward(x), again = seq.forward(x);
            assertArrayEquals(y.toFloatArray(), again.toFloatArray(), 0f);
        }
    }
}
