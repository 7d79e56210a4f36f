package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.Conv;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Norm;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/** The layers delegate to the engine's ops with their own parameters and PyTorch's shapes and names. */
class LayersTest {
    private static Tensor rand(long seed, int... shape) {
        return Tensor.rand(new Rng(seed), DType.FLOAT32, Device.CPU, -1, 1, shape);
    }

    @Test
    void linearOnAnyLeadingShape() {
        Linear l = new Linear(4, 3, new Rng(1));
        Tensor x = rand(2, 2, 5, 4);
        Tensor y = l.forward(x);
        assertArrayEquals(new int[] {2, 5, 3}, y.shape());
        assertArrayEquals(x.matmul(l.param("weight").transpose(0, 1)).add(l.param("bias")).toFloatArray(), y.toFloatArray(), 1e-6f);
        assertFalse(new Linear(4, 3, false, new Rng(1)).hasParam("bias"));
    }

    @Test
    void mlpWidthsAndActivations() {
        MLP m = new MLP(List.of(3, 8, 8, 2), "tanh", true, new Rng(1));
        assertEquals(6, m.size());
        assertTrue(m.get(5) instanceof Activation);
        Tensor x = rand(2, 4, 3);
        Tensor h = x;
        for (int i = 0; i < 6; i++) h = i % 2 == 0 ? Functional.linear(h, m.get(i).param("weight"), m.get(i).param("bias")) : h.tanh();
        assertArrayEquals(h.toFloatArray(), m.forward(x).toFloatArray(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> new MLP(new int[] {3}, "relu", new Rng(1)));
    }

    @Test
    void convolutionLayersCallTheEngineOps() {
        Conv2d c = new Conv2d(2, 3, 3, 2, 1, 1, 1, true, "circular", new Rng(1));
        Tensor x = rand(2, 1, 2, 7, 6);
        Tensor ref = Conv.conv2d(x, c.param("weight"), c.param("bias"), 2, 1, "circular");
        assertArrayEquals(ref.toFloatArray(), c.forward(x).toFloatArray());
        Conv1d c1 = new Conv1d(2, 4, 1, new Rng(2));
        assertArrayEquals(new int[] {4, 2, 1}, c1.param("weight").shape());
        assertArrayEquals(new int[] {1, 4, 9}, c1.forward(rand(3, 1, 2, 9)).shape());
        Conv3d c3 = new Conv3d(1, 2, 3, 1, 1, 1, 1, false, "zeros", new Rng(3));
        assertArrayEquals(new int[] {1, 2, 4, 4, 4}, c3.forward(rand(4, 1, 1, 4, 4, 4)).shape());
        ConvTranspose2d t = new ConvTranspose2d(3, 2, 4, 2, 1, new Rng(4));
        Tensor z = rand(5, 2, 3, 5, 4);
        assertArrayEquals(Conv.convTranspose2d(z, t.param("weight"), t.param("bias"), 2, 1, 0).toFloatArray(), t.forward(z).toFloatArray());
        assertArrayEquals(new int[] {2, 2, 10, 8}, t.forward(z).shape());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(2, 3, 3, 1, 1, 1, 1, true, "replicate", new Rng(1)));
        Conv2d r = new Conv2d(2, 3, 3, 1, 1, 1, 1, true, "reflect", new Rng(1));
        assertArrayEquals(Conv.conv2d(x, r.param("weight"), r.param("bias"), 1, 1, "reflect").toFloatArray(), r.forward(x).toFloatArray());
    }

    @Test
    void spectralLayersNameTheirWeightsLikeTheReferenceCode() {
        SpectralConv1d s1 = new SpectralConv1d(2, 3, 4, new Rng(1));
        assertEquals(List.of("weights1"), List.copyOf(s1.namedParameters().keySet()));
        Tensor x1 = rand(2, 2, 2, 16);
        assertArrayEquals(Spectral.spectralConv1d(x1, s1.param("weights1")).toFloatArray(), s1.forward(x1).toFloatArray());
        SpectralConv2d s2 = new SpectralConv2d(2, 3, 2, 3, new Rng(3));
        assertEquals(List.of("weights1", "weights2"), List.copyOf(s2.namedParameters().keySet()));
        Tensor x2 = rand(4, 1, 2, 8, 8);
        assertArrayEquals(Spectral.spectralConv2d(x2, s2.param("weights1"), s2.param("weights2")).toFloatArray(), s2.forward(x2).toFloatArray());
        SpectralConv3d s3 = new SpectralConv3d(1, 2, 2, 2, 2, new Rng(5));
        assertEquals(List.of("weights1", "weights2", "weights3", "weights4"), List.copyOf(s3.namedParameters().keySet()));
        assertArrayEquals(new int[] {1, 2, 6, 6, 6}, s3.forward(rand(6, 1, 1, 6, 6, 6)).shape());
        s2.forward(x2).sum().backward();
        assertEquals(DType.COMPLEX64, s2.param("weights2").grad().dtype());
    }

    @Test
    void normalizationLayers() {
        Tensor x = rand(1, 2, 4, 3, 5);
        LayerNorm ln = new LayerNorm(3, 5);
        assertArrayEquals(Norm.layerNorm(x, new int[] {3, 5}, ln.param("weight"), ln.param("bias"), 1e-5).toFloatArray(), ln.forward(x).toFloatArray());
        GroupNorm gn = new GroupNorm(2, 4);
        assertArrayEquals(Norm.groupNorm(x, 2, gn.param("weight"), gn.param("bias"), 1e-5).toFloatArray(), gn.forward(x).toFloatArray());
        InstanceNorm in = new InstanceNorm(4);
        assertTrue(in.namedParameters().isEmpty());
        assertArrayEquals(Norm.instanceNorm(x, null, null, 1e-5).toFloatArray(), in.forward(x).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new InstanceNorm(3).forward(x));
    }

    @Test
    void batchNormTracksRunningStatisticsInTrainingOnly() {
        BatchNorm bn = new BatchNorm(4);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        Tensor x = rand(2, 3, 4, 5).mul(3.0).add(1.0);
        bn.forward(x);
        assertEquals(1.0, bn.buffer("num_batches_tracked").item());
        float[] mean = bn.buffer("running_mean").toFloatArray();
        assertTrue(Math.abs(mean[0]) > 0, "running mean moved");
        bn.eval();
        Tensor y = bn.forward(x);
        assertArrayEquals(mean, bn.buffer("running_mean").toFloatArray());
        assertEquals(1.0, bn.buffer("num_batches_tracked").item());
        assertArrayEquals(new int[] {3, 4, 5}, y.shape());
    }

    @Test
    void dropoutIsSeededAndOffInEval() {
        Tensor x = Tensor.ones(1000);
        float[] a = new Dropout(0.3, new Rng(4)).forward(x).toFloatArray(), b = new Dropout(0.3, new Rng(4)).forward(x).toFloatArray();
        assertArrayEquals(a, b);
        int zeros = 0;
        for (float v : a) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.7, v, 1e-5);
        }
        assertTrue(zeros > 230 && zeros < 370, zeros + " zeros of 1000 at p = 0.3");
        Dropout d = new Dropout(0.3, new Rng(4));
        d.eval();
        assertArrayEquals(x.toFloatArray(), d.forward(x).toFloatArray());
    }
}
