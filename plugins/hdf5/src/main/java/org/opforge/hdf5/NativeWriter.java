package org.opforge.hdf5;

import org.opforge.api.io.AtomicFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.opforge.api.data.DatasetContent;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/** Writes the native data set layout (see {@code plugins/hdf5/README.md}). */
final class NativeWriter {
    static final String FORMAT_ATTR = "opforge_format";
    static final String VERSION_ATTR = "opforge_version";
    static final long VERSION = 1;
    /** Compressed fields are chunked by whole samples, about this many bytes per chunk. */
    private static final long CHUNK_TARGET_BYTES = 256 << 10;

    private NativeWriter() {}

    static void write(Path file, DatasetContent c) {
        validate(c);
        AtomicFiles.write(file, tmp -> {
            try (WritableHdfFile w = HdfFile.write(tmp)) {
                w.putAttribute(FORMAT_ATTR, "dataset");
                w.putAttribute(VERSION_ATTR, VERSION);
                for (Map.Entry<String, Object> a : c.attributes().entrySet()) putAttribute(w, a.getKey(), a.getValue());
                for (Map.Entry<String, Tensor> f : c.fields().entrySet()) {
                    Tensor t = f.getValue();
                    int[] shape = t.shape();
                    Object data = hostNested(t);
                    if (c.compress()) {
                        long sampleBytes = Math.max(1, t.numel() / shape[0] * t.dtype().bytes());
                        int[] chunk = shape.clone();
                        chunk[0] = (int) Math.max(1, Math.min(shape[0], CHUNK_TARGET_BYTES / sampleBytes));
                        w.putDataset(f.getKey(), data, DatasetCreationOptions.builder().chunkDimensions(chunk).shuffle().deflate(4).build());
                    } else {
                        w.putDataset(f.getKey(), data);
                    }
                }
                if (!c.coordinates().isEmpty()) {
                    Map<String, WritableGroup> groups = new HashMap<>();
                    WritableGroup coords = w.putGroup("coords");
                    groups.put("", coords);
                    for (Map.Entry<String, Tensor> e : c.coordinates().entrySet()) {
                        String[] seg = e.getKey().split("/");
                        WritableGroup g = coords;
                        StringBuilder path = new StringBuilder();
                        for (int i = 0; i < seg.length - 1; i++) {
                            path.append('/').append(seg[i]);
                            WritableGroup parent = g;
                            String s = seg[i];
                            g = groups.computeIfAbsent(path.toString(), p -> parent.putGroup(s));
                        }
                        g.putDataset(seg[seg.length - 1], hostNested(e.getValue()));
                    }
                }
            }
        });
    }

    private static void validate(DatasetContent c) {
        if (c.fields().isEmpty()) throw new IllegalArgumentException("a data set needs at least one field");
        String first = null;
        int n = -1;
        for (Map.Entry<String, Tensor> e : c.fields().entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name.isEmpty() || name.contains("/") || name.equals("coords")) {
                throw new IllegalArgumentException("field name '" + name + "' must be non-empty, without '/', and not 'coords'");
            }
            checkReal("field '" + name + "'", t);
            if (t.dim() == 0) throw new IllegalArgumentException("field '" + name + "' must have a sample axis, got a scalar");
            if (first == null) {
                first = name;
                n = t.size(0);
                if (n == 0) throw new IllegalArgumentException("field '" + name + "' has 0 samples; a data set needs at least one");
            } else if (t.size(0) != n) {
                throw new IllegalArgumentException("field '" + name + "' has " + t.size(0) + " samples, field '" + first + "' has " + n
                        + ": all fields need the same sample count");
            }
            if (t.numel() == 0) throw new IllegalArgumentException("field '" + name + "' of shape " + Arrays.toString(t.shape()) + " is empty");
        }
        for (Map.Entry<String, Tensor> e : c.coordinates().entrySet()) {
            for (String s : e.getKey().split("/", -1)) {
                if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                    throw new IllegalArgumentException("coordinate name '" + e.getKey() + "' has an empty or relative path segment");
                }
            }
            checkReal("coordinate '" + e.getKey() + "'", e.getValue());
            if (e.getValue().numel() == 0) throw new IllegalArgumentException("coordinate '" + e.getKey() + "' is empty");
        }
        Object f = c.attributes().get(FORMAT_ATTR);
        if (f != null && !"dataset".equals(f)) {
            throw new IllegalArgumentException("attribute " + FORMAT_ATTR + " is reserved (\"dataset\"), got '" + f + "'");
        }
        for (String role : new String[] {"input", "target"}) {
            Object v = c.attributes().get(role);
            if (v != null && !c.fields().containsKey(String.valueOf(v))) {
                throw new IllegalArgumentException("attribute '" + role + "' names field '" + v + "', which is not among " + c.fields().keySet());
            }
        }
    }

    private static void checkReal(String what, Tensor t) {
        if (t.dtype().isComplex()) {
            throw new IllegalArgumentException(what + " is " + t.dtype() + "; data set fields are real (store re and im as two fields)");
        }
    }

    static Object hostNested(Tensor t) {
        int[] shape = t.shape();
        return t.dtype() == DType.FLOAT64 ? Nested.of(t.toDoubleArray(), shape) : Nested.of(t.toFloatArray(), shape);
    }

    /** Writes an attribute value of a type h5py reads naturally. */
    static void putAttribute(WritableNode node, String key, Object v) {
        Object w;
        if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) w = v;
        else if (v instanceof Integer || v instanceof Short || v instanceof Byte) w = ((Number) v).longValue();
        else if (v instanceof Float x) w = x.doubleValue();
        else if (v instanceof int[] a) w = Arrays.stream(a).asLongStream().toArray();
        else if (v instanceof long[] || v instanceof double[] || v instanceof String[]) w = v;
        else if (v instanceof float[] a) {
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) d[i] = a[i];
            w = d;
        } else {
            throw new IllegalArgumentException("attribute '" + key + "' has a value of type "
                    + (v == null ? "null" : v.getClass().getSimpleName()) + "; use String, a number, a boolean or an array of numbers or strings");
        }
        node.putAttribute(key, w);
    }
}
