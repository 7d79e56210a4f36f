package org.opforge.operators.fno;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;

/**
 * A golden vector file (tests/golden/README.md, format 1) read whole: groups of named tensors,
 * complex {@code .re}/{@code .im} pairs merged, and the JSON {@code spec}.
 */
record GoldenFile(Path path, String caseName, Map<String, Object> spec, Map<String, Map<String, Tensor>> groups) {

    static Path dir() {
        Path p = Path.of(System.getProperty("golden.dir", "tests/golden"));
        if (p.isAbsolute()) return p;
        // the repository's folder, looked up from the working directory upwards
        for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
            if (Files.isDirectory(base.resolve(p))) return base.resolve(p).normalize();
        }
        return p.toAbsolutePath();
    }

    /** Every {@code .h5} file of the golden directory whose {@code case} attribute is {@code caseName}. */
    static List<GoldenFile> withCase(String caseName) throws IOException {
        List<GoldenFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir())) return out;
        try (Stream<Path> s = Files.list(dir())) {
            for (Path p : s.filter(f -> f.toString().endsWith(".h5")).sorted().toList()) {
                try (HdfFile h = new HdfFile(p)) {
                    Object c = h.getAttribute("case") == null ? null : h.getAttribute("case").getData();
                    if (caseName.equals(c)) out.add(read(p, h));
                }
            }
        }
        return out;
    }

    /** One golden file (the format above) at {@code p}. */
    static GoldenFile of(Path p) throws IOException {
        try (HdfFile h = new HdfFile(p)) {
            return read(p, h);
        }
    }

    @SuppressWarnings("unchecked")
    private static GoldenFile read(Path p, HdfFile h) throws IOException {
        Map<String, Object> spec = new ObjectMapper().readValue((String) h.getAttribute("spec").getData(), Map.class);
        Map<String, Map<String, Tensor>> groups = new LinkedHashMap<>();
        for (String g : List.of("inputs", "params", "outputs", "upstream", "grads/inputs", "grads/params")) {
            Map<String, double[]> raw = new LinkedHashMap<>();
            Map<String, int[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : ((Group) h.getByPath(g)).getChildren().entrySet()) {
                if (!(e.getValue() instanceof Dataset ds)) continue;
                Object flat = ds.isScalar() ? new float[] {(Float) ds.getData()} : ds.getDataFlat();
                float[] f = (float[]) flat;
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) d[i] = f[i];
                raw.put(e.getKey(), d);
                shapes.put(e.getKey(), ds.isScalar() ? new int[0] : ds.getDimensions());
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : raw.keySet()) {
                if (name.endsWith(".im")) continue;
                if (name.endsWith(".re")) {
                    String base = name.substring(0, name.length() - 3);
                    double[] re = raw.get(name), im = raw.get(base + ".im");
                    double[] z = new double[2 * re.length];
                    for (int i = 0; i < re.length; i++) {
                        z[2 * i] = re[i];
                        z[2 * i + 1] = im[i];
                    }
                    tensors.put(base, Tensor.of(z, DType.COMPLEX64, Device.CPU, shapes.get(name)));
                } else {
                    tensors.put(name, Tensor.of(raw.get(name), DType.FLOAT32, Device.CPU, shapes.get(name)));
                }
            }
            groups.put(g, tensors);
        }
        return new GoldenFile(p, (String) h.getAttribute("case").getData(), spec, groups);
    }

    Map<String, Tensor> group(String name) { return groups.get(name); }

    int specInt(String key) {
        Object v = spec.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException(path + ": spec key '" + key + "' missing or not a number: " + v);
        return n.intValue();
    }
}
