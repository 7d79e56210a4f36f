package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

class ModuleTest {

    /** A small tree: a Linear, an MLP (Sequential) and a complex parameter, named as a PyTorch module would be. */
    static final class Net extends Module {
        Net(Rng rng) {
            registerModule("fc0", new Linear(3, 4, rng));
            registerModule("branch", new MLP(new int[] {4, 5, 2}, "relu", rng));
            registerParameter("weights1", Init.spectral(0.5).create(rng, 2, 2, 3));
            registerBuffer("scale", Tensor.full(DType.FLOAT32, Device.CPU, 2.0, 1));
        }

        Tensor forward(Tensor x) {
            Tensor h = ((Layer) child("fc0")).forward(x).mul(buffer("scale"));
            return ((Layer) child("branch")).forward(h).add(param("weights1").real().sum());
        }
    }

    @Test
    void parameterNamesFollowPyTorchStateDictKeys() {
        Net net = new Net(new Rng(1));
        // PyTorch's order: a module's own parameters (then buffers) before those of its children
        assertEquals(List.of("weights1", "fc0.weight", "fc0.bias", "branch.0.weight", "branch.0.bias", "branch.2.weight", "branch.2.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("weights1", "scale", "fc0.weight", "fc0.bias", "branch.0.weight", "branch.0.bias", "branch.2.weight",
                "branch.2.bias"), List.copyOf(net.stateDict().keySet()));
        assertArrayEquals(new int[] {4, 3}, net.namedParameters().get("fc0.weight").shape());
        for (Tensor p : net.parameters()) assertTrue(p.requiresGrad() && p.isLeaf());
        assertTrue(net.namedModules().containsKey("branch.1"));
    }

    @Test
    void complexParametersCountTwice() {
        Net net = new Net(new Rng(1));
        long real = (4 * 3 + 4) + (5 * 4 + 5) + (2 * 5 + 2);
        assertEquals(real + 2 * 12, net.parameterCount());
        assertEquals(DType.COMPLEX64, net.namedParameters().get("weights1").dtype());
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() {
        Map<String, Tensor> a = new Net(new Rng(7)).stateDict(), b = new Net(new Rng(7)).stateDict(), c = new Net(new Rng(8)).stateDict();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        assertFalse(java.util.Arrays.equals(a.get("fc0.weight").toFloatArray(), c.get("fc0.weight").toFloatArray()));
    }

    @Test
    void stateDictRoundTripReproducesTheModel() {
        Net a = new Net(new Rng(1)), b = new Net(new Rng(2));
        Tensor x = Tensor.rand(new Rng(3), DType.FLOAT32, Device.CPU, -1, 1, 5, 3);
        assertFalse(java.util.Arrays.equals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray()));
        Tensor before = b.namedParameters().get("fc0.weight");
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
        assertSame(before, b.namedParameters().get("fc0.weight"), "copy mode keeps the parameter objects");
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), b.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
        }
    }

    @Test
    void stateDictIsASnapshotOfTheValues() {
        Linear l = new Linear(2, 2, new Rng(1));
        Map<String, Tensor> sd = l.stateDict();
        float[] w0 = sd.get("weight").toFloatArray();
        l.param("weight").assign(Tensor.zeros(2, 2));
        assertArrayEquals(w0, sd.get("weight").toFloatArray());
    }

    @Test
    void assignModeMakesTheGivenTensorsTheParameters() {
        Linear l = new Linear(3, 2, new Rng(1));
        Tensor w = Tensor.rand(new Rng(5), DType.FLOAT32, Device.CPU, -1, 1, 2, 3);
        Tensor b = Tensor.zeros(2);
        l.loadStateDict(Map.of("weight", w, "bias", b), true, true);
        assertSame(w, l.param("weight"));
        l.forward(Tensor.ones(4, 3)).sum().backward();
        assertEquals(4.0, w.grad().toFloatArray()[0], 1e-6);
    }

    @Test
    void missingUnexpectedAndMismatchedKeysAreAllReported() {
        Net net = new Net(new Rng(1));
        Map<String, Tensor> sd = new LinkedHashMap<>(new Net(new Rng(2)).stateDict());
        sd.remove("branch.2.bias");
        sd.put("fc9.weight", Tensor.zeros(1));
        sd.put("fc0.weight", Tensor.zeros(4, 5));
        float[] kept = net.namedParameters().get("fc0.bias").toFloatArray();
        StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(sd));
        assertEquals(List.of("branch.2.bias"), e.missingKeys());
        assertEquals(List.of("fc9.weight"), e.unexpectedKeys());
        assertEquals(1, e.mismatches().size());
        assertTrue(e.getMessage().contains("'fc0.weight'") && e.getMessage().contains("[4, 3]") && e.getMessage().contains("[4, 5]"),
                e.getMessage());
        assertArrayEquals(kept, net.namedParameters().get("fc0.bias").toFloatArray(), "nothing is loaded when a check fails");
    }

    @Test
    void nonStrictLoadReturnsSkippedKeysButShapeErrorsStillThrow() {
        Net net = new Net(new Rng(1));
        Map<String, Tensor> sd = new LinkedHashMap<>(new Net(new Rng(2)).stateDict());
        sd.remove("scale");
        sd.put("extra", Tensor.zeros(1));
        Module.LoadResult r = net.loadStateDict(sd, false, false);
        assertEquals(List.of("scale"), r.missingKeys());
        assertEquals(List.of("extra"), r.unexpectedKeys());
        sd.put("weights1", Tensor.zeros(2, 2, 3));
        StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(sd, false, false));
        assertTrue(e.getMessage().contains("'weights1'") && e.getMessage().contains("complex"), e.getMessage());
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential s = new Sequential(new Linear(2, 2, new Rng(1)), new Dropout(0.5, new Rng(2)), new Sequential(new Dropout(0.5, new Rng(3))));
        s.eval();
        for (Module m : s.namedModules().values()) assertFalse(m.isTraining());
        Tensor x = Tensor.ones(3, 2);
        assertArrayEquals(s.get(0).forward(x).toFloatArray(), s.forward(x).toFloatArray(), "dropout is the identity in eval mode");
        s.train();
        for (Module m : s.namedModules().values()) assertTrue(m.isTraining());
    }

    @Test
    void castingKeepsComplexParametersComplex() {
        Net net = new Net(new Rng(1));
        net.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, net.namedParameters().get("fc0.weight").dtype());
        assertEquals(DType.COMPLEX128, net.namedParameters().get("weights1").dtype());
        assertEquals(DType.FLOAT64, net.namedBuffers().get("scale").dtype());
        assertTrue(net.namedParameters().get("fc0.weight").requiresGrad());
        net.to(Device.CPU);
        assertEquals(Device.CPU, net.namedParameters().get("fc0.weight").device());
    }

    @Test
    void registrationRejectsBadNames() {
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            { registerParameter("a.b", Tensor.zeros(1)); }
        });
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            { registerParameter("a", Tensor.zeros(1)); registerBuffer("a", Tensor.zeros(1)); }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Linear(2, 3, new Rng(1)).param("wieght"));
        assertTrue(e.getMessage().contains("wieght") && e.getMessage().contains("weight"));
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Net net = new Net(new Rng(1));
        net.forward(Tensor.ones(2, 3)).sum().backward();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() != null));
        net.zeroGrad();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void printsLikePyTorch() {
        String s = new MLP(new int[] {3, 4, 1}, "gelu", new Rng(1)).toString();
        assertTrue(s.contains("(0): Linear(in_features=3, out_features=4, bias=True)"), s);
        assertTrue(s.contains("(1): gelu()"), s);
        assertNotEquals(-1, new Conv2d(2, 3, 3, new Rng(1)).toString().indexOf("kernel_size=(3, 3)"));
    }
}
