package org.opforge.operators.deeponet;

import org.opforge.api.config.FlatJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * Every golden file of case {@code deeponet} (directory: system property {@code golden.dir}, default
 * {@code tests/golden} looked up from the working directory upwards) rebuilt from {@link DeepOnet}:
 * sizes and activation from {@code spec}, parameters loaded by their PyTorch state-dict keys, output
 * {@code G} and the gradients of {@code L = sum(G * upstream)} with respect to every parameter and
 * input compared with max|got - ref| <= 1e-5 max|ref|.
 */
class GoldenDeepOnetTest {

    static Path goldenDir() {
        Path p = Path.of(System.getProperty("golden.dir", "tests/golden"));
        if (p.isAbsolute()) return p;
        for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
            if (Files.isDirectory(base.resolve(p))) return base.resolve(p).normalize();
        }
        return p.toAbsolutePath();
    }

    @Test
    void deeponetGoldenFilesMatchPyTorch() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(goldenDir())) {
            s.filter(f -> f.toString().endsWith(".h5")).sorted().forEach(files::add);
        }
        int checked = 0;
        for (Path f : files) {
            try (HdfFile h = new HdfFile(f)) {
                if (!"deeponet".equals(attr(h, "case"))) continue;
                check(f, h);
                checked++;
            }
        }
        assertTrue(checked > 0, "no golden file of case 'deeponet' in " + goldenDir());
    }

    private static void check(Path file, HdfFile h) {
        Map<String, Object> spec = FlatJson.read(attr(h, "spec"));
        int[] branch = ints(spec.get("branch_layers")), trunk = ints(spec.get("trunk_layers"));
        // the golden model has no activation after either net's last layer
        DeepOnet.Spec s = new DeepOnet.Spec(new int[] {branch[0]}, trunk[0], 1, java.util.Arrays.copyOfRange(branch, 1, branch.length),
                java.util.Arrays.copyOfRange(trunk, 1, trunk.length), (String) spec.get("activation"), false, false, DeepOnet.Strategy.SINGLE,
                "glorot_normal", 0, 1.0);
        DeepOnet net = new DeepOnet(s, new Rng(0));
        Map<String, Tensor> params = read(h, "params");
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        params.forEach((k, v) -> leaves.put(k, v.requiresGrad(true)));
        net.loadStateDict(leaves, true, true);
        Map<String, Tensor> inputs = read(h, "inputs");
        Tensor u = inputs.get("u").requiresGrad(true), y = inputs.get("y").requiresGrad(true);
        Tensor g = net.cartesian(u, y);
        compare(file + " outputs/G", g, read(h, "outputs").get("G"));
        g.mul(read(h, "upstream").get("G")).sum().backward();
        Map<String, Tensor> gp = read(h, "grads/params"), gi = read(h, "grads/inputs");
        assertFalse(gp.isEmpty());
        gp.forEach((k, ref) -> compare(file + " grads/params/" + k, leaves.get(k).grad(), ref));
        compare(file + " grads/inputs/u", u.grad(), gi.get("u"));
        compare(file + " grads/inputs/y", y.grad(), gi.get("y"));
    }

    private static void compare(String what, Tensor got, Tensor ref) {
        assertTrue(got != null, what + ": no value");
        assertEquals(java.util.Arrays.toString(ref.shape()), java.util.Arrays.toString(got.shape()), what + ": shape");
        double[] a = got.toDoubleArray(), b = ref.toDoubleArray();
        double scale = 0, err = 0;
        for (int i = 0; i < b.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        assertTrue(err <= 1e-5 * Math.max(scale, 1e-30), what + ": max|got-ref| = " + err + " > 1e-5 * " + scale);
    }

    private static String attr(HdfFile h, String name) {
        Object v = h.getAttribute(name).getData();
        return v instanceof String[] a ? a[0] : (String) v;
    }

    private static int[] ints(Object list) {
        List<?> l = (List<?>) list;
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).intValue();
        return r;
    }

    /** Every dataset of a group as a float32 tensor (0-d for scalar datasets). */
    private static Map<String, Tensor> read(HdfFile h, String group) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Group g = (Group) h.getByPath(group);
        for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
            if (!(e.getValue() instanceof Dataset d)) continue;
            int[] shape = d.getDimensions();
            Object data = d.getData();
            List<Float> flat = new ArrayList<>();
            flatten(data, flat);
            float[] f = new float[flat.size()];
            for (int i = 0; i < f.length; i++) f[i] = flat.get(i);
            out.put(e.getKey(), Tensor.of(f, DType.FLOAT32, Device.CPU, shape));
        }
        return out;
    }

    private static void flatten(Object data, List<Float> out) {
        if (data instanceof Number n) {
            out.add(n.floatValue());
        } else if (data.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(data); i++) flatten(Array.get(data, i), out);
        }
    }
}
