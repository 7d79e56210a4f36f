package org.opforge.decomp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the float64 golden files (format_version 1, tests/golden/README.md) of the decomposition
 * cases: root attributes {@code case} and {@code spec} (JSON), groups {@code inputs} and {@code outputs}.
 * Files are selected by their {@code case} attribute, never by name.
 */
final class GoldenFiles {
    record Golden(Path path, String caseName, Map<String, Object> spec, Map<String, DenseTensor> inputs, Map<String, DenseTensor> outputs) {
        /** Inputs {@code prefix.0, prefix.1, ...} in index order. */
        List<DenseTensor> indexed(String prefix) {
            List<String> names = inputs.keySet().stream().filter(n -> n.startsWith(prefix + "."))
                    .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.substring(prefix.length() + 1)))).collect(Collectors.toList());
            List<DenseTensor> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (!names.get(i).equals(prefix + "." + i)) {
                    throw new IllegalArgumentException(path + ": inputs '" + prefix + ".k' are not numbered 0.." + (names.size() - 1) + ": " + names);
                }
                out.add(inputs.get(names.get(i)));
            }
            return out;
        }

        DenseTensor input(String name) {
            DenseTensor t = inputs.get(name);
            if (t == null) throw new IllegalArgumentException(path + ": dataset 'inputs/" + name + "' is missing; found " + inputs.keySet());
            return t;
        }

        DenseTensor output(String name) {
            DenseTensor t = outputs.get(name);
            if (t == null) throw new IllegalArgumentException(path + ": dataset 'outputs/" + name + "' is missing; found " + outputs.keySet());
            return t;
        }
    }

    static Path dir() {
        return Paths.get(System.getProperty("golden.dir", "../../tests/golden"));
    }

    /** Every .h5 file of the golden directory whose {@code case} is one of {@code cases}. */
    static List<Golden> load(Set<String> cases) {
        List<Golden> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".h5")).sorted().collect(Collectors.toList())) {
                try (HdfFile h = new HdfFile(p)) {
                    String c = string(h, p, "case");
                    if (!cases.contains(c)) continue;
                    out.add(new Golden(p, c, spec(p, string(h, p, "spec")), group(h, p, "inputs"), group(h, p, "outputs")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list golden directory " + dir().toAbsolutePath(), e);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Path p, String json) {
        try {
            return new ObjectMapper().readValue(json, Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": attribute 'spec' is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static String string(HdfFile h, Path p, String name) {
        Attribute a = h.getAttribute(name);
        if (a == null) throw new IllegalArgumentException(p + ": root attribute '" + name + "' is missing");
        Object v = a.getData();
        if (v instanceof String s) return s;
        if (v instanceof String[] arr && arr.length == 1) return arr[0];
        throw new IllegalArgumentException(p + ": root attribute '" + name + "' is not a string");
    }

    private static Map<String, DenseTensor> group(HdfFile h, Path p, String name) {
        Node n = h.getByPath(name);
        if (!(n instanceof Group g)) throw new IllegalArgumentException(p + ": '" + name + "' is not a group");
        Map<String, DenseTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
            if (!(e.getValue() instanceof Dataset ds)) continue;
            Object flat = ds.isScalar() ? new double[] {((Number) ds.getData()).doubleValue()} : ds.getDataFlat();
            if (!(flat instanceof double[] d)) {
                throw new IllegalArgumentException(p + ": dataset '" + name + "/" + e.getKey() + "' holds "
                        + flat.getClass().getSimpleName() + ", the decomposition cases are float64");
            }
            out.put(e.getKey(), DenseTensor.of(d, ds.isScalar() ? new int[] {1} : ds.getDimensions()));
        }
        return out;
    }
}
