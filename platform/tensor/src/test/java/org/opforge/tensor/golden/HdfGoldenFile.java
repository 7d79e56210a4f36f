package org.opforge.tensor.golden;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;

/**
 * A golden HDF5 file (format_version 1 of tests/golden/README.md), read whole into memory with
 * jhdf when opened. Complex tensors stored as {@code name.re}/{@code name.im} pairs are merged into
 * one complex tensor of the stored precision. Leaf tensors are created once per name and cached, so
 * the harness reads the gradients the handler's computation accumulated into them.
 */
public final class HdfGoldenFile implements GoldenFile {
    /** Group names of the format; all six exist in every file. */
    static final String INPUTS = "inputs", PARAMS = "params", OUTPUTS = "outputs", UPSTREAM = "upstream",
            GRAD_INPUTS = "grads/inputs", GRAD_PARAMS = "grads/params";

    /** A dataset (or a merged complex pair) as host data: real values or interleaved (re, im). */
    record Stored(String name, int[] shape, double[] data, boolean complex, boolean float64) {
        DType dtype() {
            DType real = float64 ? DType.FLOAT64 : DType.FLOAT32;
            return complex ? real.toComplex() : real;
        }

        Tensor tensor() {
            return tensor(Device.CPU);
        }

        Tensor tensor(Device device) {
            return Tensor.of(data, dtype(), device, shape);
        }
    }

    private final Path path;
    private final String caseName;
    private final String specJson;
    private final Map<String, Object> spec;
    private final Map<String, Map<String, Stored>> groups = new LinkedHashMap<>();
    private final Map<String, Tensor> leaves = new LinkedHashMap<>();
    /** Where the input and parameter leaves live; references and upstream gradients stay on the CPU. */
    private final Device device;

    /** Reads {@code path} completely; the HDF5 file is closed when this returns. */
    public static HdfGoldenFile open(Path path) {
        return open(path, Device.CPU);
    }

    /** As {@link #open(Path)}, with the input and parameter leaves created on {@code device} (another backend's test). */
    public static HdfGoldenFile open(Path path, Device device) {
        return new HdfGoldenFile(path, device);
    }

    @SuppressWarnings("unchecked")
    private HdfGoldenFile(Path path, Device device) {
        this.path = path;
        this.device = device;
        try (HdfFile h = new HdfFile(path)) {
            caseName = stringAttribute(h, "case");
            specJson = stringAttribute(h, "spec");
            try {
                spec = Collections.unmodifiableMap(new ObjectMapper().readValue(specJson, Map.class));
            } catch (IOException e) {
                throw new IllegalArgumentException(path + ": attribute 'spec' is not a JSON object: " + e.getMessage(), e);
            }
            for (String g : List.of(INPUTS, PARAMS, OUTPUTS, UPSTREAM, GRAD_INPUTS, GRAD_PARAMS)) {
                groups.put(g, readGroup(h, g));
            }
        }
    }

    private String stringAttribute(HdfFile h, String name) {
        Attribute a = h.getAttribute(name);
        if (a == null) throw new IllegalArgumentException(path + ": root attribute '" + name + "' is missing");
        Object v = a.getData();
        if (v instanceof String s) return s;
        if (v instanceof String[] arr && arr.length == 1) return arr[0];
        throw new IllegalArgumentException(path + ": root attribute '" + name + "' should be a string, found "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    private Map<String, Stored> readGroup(HdfFile h, String groupPath) {
        Node node;
        try {
            node = h.getByPath(groupPath);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(path + ": group '" + groupPath + "' is missing (" + e.getMessage() + ")", e);
        }
        if (!(node instanceof Group group)) throw new IllegalArgumentException(path + ": '" + groupPath + "' is not a group");
        Map<String, Stored> raw = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : group.getChildren().entrySet()) {
            if (e.getValue() instanceof Dataset ds) raw.put(e.getKey(), readDataset(groupPath, e.getKey(), ds));
        }
        return mergeComplex(groupPath, raw);
    }

    private Stored readDataset(String groupPath, String name, Dataset ds) {
        int[] shape = ds.isScalar() ? new int[0] : ds.getDimensions();
        Object flat = ds.isScalar() ? ds.getData() : ds.getDataFlat();
        double[] data;
        boolean f64;
        if (flat instanceof float[] f) {
            data = new double[f.length];
            for (int i = 0; i < f.length; i++) data[i] = f[i];
            f64 = false;
        } else if (flat instanceof double[] d) {
            data = d;
            f64 = true;
        } else if (flat instanceof Float f) {
            data = new double[] {f};
            f64 = false;
        } else if (flat instanceof Double d) {
            data = new double[] {d};
            f64 = true;
        } else {
            throw new IllegalArgumentException(path + ": dataset '" + groupPath + "/" + name + "' holds "
                    + (flat == null ? "null" : flat.getClass().getSimpleName()) + ", expected float32 or float64 values");
        }
        return new Stored(name, shape, data, false, f64);
    }

    private Map<String, Stored> mergeComplex(String groupPath, Map<String, Stored> raw) {
        Map<String, Stored> out = new LinkedHashMap<>();
        for (Stored s : raw.values()) {
            String n = s.name();
            if (n.endsWith(".im")) continue;
            if (!n.endsWith(".re")) {
                out.put(n, s);
                continue;
            }
            String base = n.substring(0, n.length() - 3);
            Stored im = raw.get(base + ".im");
            if (im == null) throw new IllegalArgumentException(path + ": '" + groupPath + "/" + n + "' has no matching '.im' dataset");
            if (!java.util.Arrays.equals(s.shape(), im.shape())) {
                throw new IllegalArgumentException(path + ": '" + groupPath + "/" + base + "' real part shape "
                        + java.util.Arrays.toString(s.shape()) + " != imaginary part shape " + java.util.Arrays.toString(im.shape()));
            }
            double[] z = new double[2 * s.data().length];
            for (int i = 0; i < s.data().length; i++) {
                z[2 * i] = s.data()[i];
                z[2 * i + 1] = im.data()[i];
            }
            out.put(base, new Stored(base, s.shape(), z, true, s.float64() || im.float64()));
        }
        for (String n : raw.keySet()) {
            if (n.endsWith(".im") && !raw.containsKey(n.substring(0, n.length() - 3) + ".re")) {
                throw new IllegalArgumentException(path + ": '" + groupPath + "/" + n + "' has no matching '.re' dataset");
            }
        }
        return out;
    }

    // ---- GoldenFile -----------------------------------------------------------------------------

    @Override public Path path() { return path; }

    @Override public String caseName() { return caseName; }

    @Override public Map<String, Object> spec() { return spec; }

    /** The raw spec JSON text. */
    public String specJson() { return specJson; }

    private Object specValue(String key) {
        Object v = spec.get(key);
        if (v == null) throw new IllegalArgumentException(path.getFileName() + ": spec has no key '" + key + "' (spec: " + specJson + ")");
        return v;
    }

    @Override public int specInt(String key) {
        Object v = specValue(key);
        if (v instanceof Number n && n.doubleValue() == n.intValue()) return n.intValue();
        throw new IllegalArgumentException(path.getFileName() + ": spec key '" + key + "' should be an integer, found " + v);
    }

    @Override public double specDouble(String key) {
        Object v = specValue(key);
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(path.getFileName() + ": spec key '" + key + "' should be a number, found " + v);
    }

    @Override public String specString(String key) {
        Object v = specValue(key);
        if (v instanceof String s) return s;
        throw new IllegalArgumentException(path.getFileName() + ": spec key '" + key + "' should be a string, found " + v);
    }

    @Override public int[] specInts(String key) {
        Object v = specValue(key);
        if (v instanceof Number n && n.doubleValue() == n.intValue()) return new int[] {n.intValue()};
        if (v instanceof List<?> list) {
            int[] r = new int[list.size()];
            for (int i = 0; i < r.length; i++) {
                if (!(list.get(i) instanceof Number n) || n.doubleValue() != n.intValue()) {
                    throw new IllegalArgumentException(path.getFileName() + ": spec key '" + key + "' should be a list of integers, found " + v);
                }
                r[i] = n.intValue();
            }
            return r;
        }
        throw new IllegalArgumentException(path.getFileName() + ": spec key '" + key + "' should be a list of integers, found " + v);
    }

    @Override public boolean specHas(String key) { return spec.containsKey(key); }

    @Override public boolean specBool(String key) {
        Object v = specValue(key);
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException(path.getFileName() + ": spec key '" + key + "' should be a boolean, found " + v);
    }

    @Override public List<String> inputNames() { return names(INPUTS); }

    @Override public List<String> paramNames() { return names(PARAMS); }

    @Override public List<String> outputNames() { return names(OUTPUTS); }

    /** Names in {@code grads/inputs/} (complex pairs merged). */
    public List<String> inputGradNames() { return names(GRAD_INPUTS); }

    /** Names in {@code grads/params/} (complex pairs merged). */
    public List<String> paramGradNames() { return names(GRAD_PARAMS); }

    /** Names in {@code upstream/}. */
    public List<String> upstreamNames() { return names(UPSTREAM); }

    private List<String> names(String group) {
        return List.copyOf(groups.get(group).keySet());
    }

    Stored stored(String group, String name) {
        Stored s = groups.get(group).get(name);
        if (s == null) {
            throw new IllegalArgumentException(path.getFileName() + ": no dataset '" + group + "/" + name + "'; the group holds "
                    + groups.get(group).keySet());
        }
        return s;
    }

    @Override public boolean isFloat64() {
        boolean any = false;
        for (Map<String, Stored> g : groups.values()) {
            for (Stored s : g.values()) {
                if (!s.float64()) return false;
                any = true;
            }
        }
        return any;
    }

    @Override public Tensor input(String name) {
        return leaves.computeIfAbsent(INPUTS + "/" + name,
                k -> stored(INPUTS, name).tensor(device).requiresGrad(groups.get(GRAD_INPUTS).containsKey(name)));
    }

    @Override public Tensor param(String name) {
        return leaves.computeIfAbsent(PARAMS + "/" + name, k -> stored(PARAMS, name).tensor(device).requiresGrad(true));
    }

    /** The leaf handed out for {@code inputs/<name>} or {@code params/<name>}, or null if the handler never asked. */
    Tensor leafIfCreated(String group, String name) {
        return leaves.get(group + "/" + name);
    }

    @Override public Tensor expectedOutput(String name) { return stored(OUTPUTS, name).tensor(); }

    /** {@code upstream/<name>} (complex merged). */
    public Tensor upstream(String name) { return stored(UPSTREAM, name).tensor(); }

    /** {@code grads/inputs/<name>} or {@code grads/params/<name>} (group "inputs" or "params"). */
    public Tensor expectedGrad(String group, String name) {
        return stored("grads/" + group, name).tensor();
    }

    /** Every dataset name of the file, grouped, for messages. */
    public String describeContents() {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Map<String, Stored>> g : groups.entrySet()) parts.add(g.getKey() + "=" + g.getValue().keySet());
        return String.join(" ", parts);
    }

    @Override public String toString() { return path.getFileName() + " (case " + caseName + ")"; }
}
