package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.operators.fno.layers.DomainPadding;
import org.opforge.operators.fno.layers.SpectralWeights;
import org.opforge.operators.fno.models.Fno;
import org.opforge.operators.fno.models.FnoSpec;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Activation;

/**
 * The fno2d golden case (Li et al. fourier_2d.py, PyTorch) rebuilt from this bundle's model classes:
 * every golden file with {@code case = fno2d}, hyperparameters from its spec, PyTorch state-dict
 * keys mapped to ours (fc0 -> lifting.fcs.0, convL.weightsK -> blocks.L.spectral.weightsK,
 * wL (C, C, 1, 1) -> blocks.L.skip (C, C), fc1 / fc2 -> projection.fcs.0 / 1); outputs and the
 * gradients of L = sum(y * upstream) with respect to the input and every parameter must match.
 */
class FnoGoldenTest {
    /** Relative to max |reference|; PyTorch's own float32 run is at 1.5e-5 on the public file. */
    private static final double TOL = 2e-4;

    @Test
    void fno2dMatchesPyTorch() throws Exception {
        List<GoldenFile> files = GoldenFile.withCase("fno2d");
        assertFalse(files.isEmpty(), "no golden file with case fno2d in " + GoldenFile.dir());
        for (GoldenFile g : files) check(g);
    }

    private void check(GoldenFile g) {
        int width = g.specInt("width"), layers = g.specInt("n_layers");
        assertEquals(0, g.specInt("domain_padding"), "golden FNO uses no domain padding");
        FnoSpec spec = new FnoSpec(2, 1, 1, width, new int[] {g.specInt("modes1"), g.specInt("modes2")}, layers, 0, g.specInt("fc_width"),
                Activation.Kind.GELU, true, false, 0.5, 0.0, DomainPadding.Mode.ONE_SIDED, SpectralWeights.dense());
        Fno net = new Fno(spec, new Rng(0));
        Map<String, Tensor> p = g.group("params");
        Map<String, Tensor> state = new LinkedHashMap<>();
        p.forEach((k, v) -> state.put(ourKey(k), ourShape(k, v)));
        net.loadStateDict(state);

        Tensor a = g.group("inputs").get("a").detach().requiresGrad(true);      // (N, H, W, 1)
        Tensor y = net.forward(a.permute(0, 3, 1, 2)).permute(0, 2, 3, 1);
        Tensor ref = g.group("outputs").get("y");
        assertClose(g + " outputs/y", ref, y);
        y.mul(g.group("upstream").get("y")).sum().backward();
        assertClose(g + " grads/inputs/a", g.group("grads/inputs").get("a"), a.grad());
        Map<String, Tensor> ours = net.namedParameters();
        for (Map.Entry<String, Tensor> e : g.group("grads/params").entrySet()) {
            Tensor grad = ours.get(ourKey(e.getKey())).grad();
            assertTrue(grad != null, "no gradient for " + ourKey(e.getKey()));
            assertClose(g.path().getFileName() + " grads/params/" + e.getKey(), ourShape(e.getKey(), e.getValue()), grad);
        }
        assertEquals(p.size(), ours.size(), "parameter count: golden " + p.keySet() + ", ours " + ours.keySet());
    }

    static String ourKey(String k) {
        if (k.startsWith("fc0.")) return "lifting.fcs.0." + k.substring(4);
        if (k.startsWith("fc1.")) return "projection.fcs.0." + k.substring(4);
        if (k.startsWith("fc2.")) return "projection.fcs.1." + k.substring(4);
        if (k.startsWith("conv")) {
            int dot = k.indexOf('.');
            return "blocks." + k.substring(4, dot) + ".spectral" + k.substring(dot);
        }
        if (k.startsWith("w")) {
            int dot = k.indexOf('.');
            return "blocks." + k.substring(1, dot) + ".skip" + k.substring(dot);
        }
        throw new IllegalArgumentException("unexpected golden parameter " + k);
    }

    /** The 1x1 conv weight (C_out, C_in, 1, 1) is our (C_out, C_in). */
    static Tensor ourShape(String k, Tensor v) {
        return k.matches("w\\d+\\.weight") ? v.reshape(v.size(0), v.size(1)) : v;
    }

    static void assertClose(String what, Tensor ref, Tensor got) {
        assertEquals(java.util.Arrays.toString(ref.shape()), java.util.Arrays.toString(got.shape()), what + " shape");
        double[] r = ref.toDoubleArray(), o = got.toDoubleArray();
        double scale = 0, err = 0;
        for (int i = 0; i < r.length; i++) {
            scale = Math.max(scale, Math.abs(r[i]));
            err = Math.max(err, Math.abs(r[i] - o[i]));
        }
        assertTrue(err <= TOL * scale, what + ": max |error| " + err + " > " + TOL + " * max |ref| " + scale);
    }
}
