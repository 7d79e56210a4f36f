package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.decomp.DecompositionOptions;
import org.opforge.decomp.RankSpec;
import org.opforge.decomp.factorized.FactorizedTensor;
import org.opforge.decomp.factorized.FactorizedTensors;
import org.opforge.decomp.factorized.TensorFormat;
import org.opforge.operators.fno.layers.SpectralConvolution;
import org.opforge.operators.fno.layers.SpectralWeights;
import org.opforge.operators.fno.layers.SpectralWeights.Implementation;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/** TFNO spectral layers: every factorized form and both implementations against the dense layer. */
class TfnoTest {
    private static final int C = 4;
    private static final int[] MODES = {3, 3};

    /** A dense layer whose corner weights are the corners of {@code block (C, C, 2m1, m2)}. */
    private static SpectralConvolution denseWith(Tensor block) {
        SpectralConvolution dense = new SpectralConvolution(C, C, MODES, SpectralWeights.dense(), new Rng(0));
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("weights1", block.slice(2, 0, MODES[0]).detach());
        s.put("weights2", block.slice(2, MODES[0], 2 * MODES[0]).detach());
        dense.loadStateDict(s);
        return dense;
    }

    @Test
    void factorizedAndReconstructedContractionsEqualTheDenseLayer() {
        Tensor x = Tensor.randn(new Rng(1), DType.FLOAT32, Device.CPU, 0, 1, 2, C, 8, 9);
        for (TensorFormat f : new TensorFormat[] {TensorFormat.CP, TensorFormat.TUCKER, TensorFormat.TT}) {
            SpectralConvolution fact = new SpectralConvolution(C, C, MODES, new SpectralWeights(f, 0.5, Implementation.FACTORIZED), new Rng(2));
            SpectralConvolution rec = new SpectralConvolution(C, C, MODES, new SpectralWeights(f, 0.5, Implementation.RECONSTRUCTED), new Rng(2));
            Tensor block = fact.denseBlock();
            assertArrayEquals(new int[] {C, C, 2 * MODES[0], MODES[1]}, block.shape());
            Tensor ref = denseWith(block).forward(x);
            assertClose(f + " factorized", ref, fact.forward(x), 1e-5);
            assertClose(f + " reconstructed", ref, rec.forward(x), 1e-5);
            // gradients reach every factor in both implementations
            fact.forward(x).square().sum().backward();
            fact.namedParameters().forEach((k, p) -> assertNotNull(p.grad(), f + " factorized: no gradient for " + k));
            assertTrue(fact.stateDict().keySet().stream().allMatch(k -> k.startsWith("weight.")), fact.stateDict().keySet().toString());
        }
    }

    @Test
    void fullRankFactorizationsOfADenseWeightReproduceTheDenseLayer() {
        SpectralConvolution dense = new SpectralConvolution(C, C, MODES, SpectralWeights.dense(), new Rng(3));
        Tensor w = dense.denseBlock();
        Tensor x = Tensor.randn(new Rng(4), DType.FLOAT32, Device.CPU, 0, 1, 3, C, 7, 6);
        Tensor ref = dense.forward(x);
        // Tucker with ranks = the mode sizes and TT-SVD to a tolerance far below float32 rounding are exact
        for (TensorFormat f : new TensorFormat[] {TensorFormat.TUCKER, TensorFormat.TT}) {
            RankSpec full = f == TensorFormat.TUCKER ? RankSpec.of(w.shape()) : RankSpec.tolerance(1e-9);
            FactorizedTensor t = FactorizedTensors.compress(f.method(), w, full, DecompositionOptions.defaults()).factorized();
            for (Implementation impl : Implementation.values()) {
                SpectralConvolution layer = new SpectralConvolution(C, C, MODES, new SpectralWeights(f, 1.0, impl), copy(t), new Rng(0));
                assertClose(f + " " + impl + " full rank", ref, layer.forward(x), 1e-4);
            }
        }
        // CP: exact when the CP tensor is the dense one, i.e. the CP layer's own reconstruction
        SpectralConvolution cp = new SpectralConvolution(C, C, MODES, new SpectralWeights(TensorFormat.CP, 2.0, Implementation.FACTORIZED), new Rng(5));
        assertClose("cp", denseWith(cp.denseBlock()).forward(x), cp.forward(x), 1e-5);
    }

    @Test
    void rankFractionSetsTheParameterCount() {
        SpectralConvolution dense = new SpectralConvolution(16, 16, new int[] {6, 6}, SpectralWeights.dense(), new Rng(0));
        long denseCount = count(dense);
        for (TensorFormat f : new TensorFormat[] {TensorFormat.CP, TensorFormat.TUCKER, TensorFormat.TT}) {
            SpectralConvolution t = new SpectralConvolution(16, 16, new int[] {6, 6}, new SpectralWeights(f, 0.1, Implementation.FACTORIZED), new Rng(0));
            double fraction = (double) count(t) / denseCount;
            assertEquals(0.1, fraction, 0.05, f + ": parameter fraction " + fraction);
        }
    }

    private static long count(SpectralConvolution layer) {
        return layer.namedParameters().values().stream().mapToLong(Tensor::numel).sum();
    }

    private static FactorizedTensor copy(FactorizedTensor t) {
        // a fresh leaf set per layer, as the layers take over the given tensors
        Map<String, Tensor> p = t.parameters();
        Map<String, Tensor> c = new LinkedHashMap<>();
        p.forEach((k, v) -> c.put(k, Tensor.of(v.toDoubleArray(), v.dtype(), v.device(), v.shape())));
        return switch (t.format()) {
            case TUCKER -> new org.opforge.decomp.factorized.TuckerFactorizedTensor(c.get("core"),
                    java.util.List.of(c.get("factors.0"), c.get("factors.1"), c.get("factors.2"), c.get("factors.3")));
            case TT -> new org.opforge.decomp.factorized.TtFactorizedTensor(
                    java.util.List.of(c.get("factors.0"), c.get("factors.1"), c.get("factors.2"), c.get("factors.3")));
            default -> throw new IllegalArgumentException(t.format().toString());
        };
    }

    static void assertClose(String what, Tensor ref, Tensor got, double tol) {
        assertArrayEquals(ref.shape(), got.shape(), what);
        double[] r = ref.toDoubleArray(), o = got.toDoubleArray();
        double scale = 0, err = 0;
        for (int i = 0; i < r.length; i++) {
            scale = Math.max(scale, Math.abs(r[i]));
            err = Math.max(err, Math.abs(r[i] - o[i]));
        }
        assertTrue(err <= tol * scale, what + ": max |error| " + err + " > " + tol + " * " + scale);
    }
}
