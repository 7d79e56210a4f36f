package org.opforge.hdf5;

import org.opforge.api.io.AtomicFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.DataFormatException;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;
import org.osgi.service.component.annotations.Component;

/**
 * Checkpoints as one HDF5 file: the checkpoint's attributes as string attributes of the root group
 * (plus {@code opforge_format = "checkpoint"}, {@code opforge_version = 1}); each tensor as a dataset
 * at the path of its name, so {@code model/blocks.0.weight} is dataset {@code blocks.0.weight} in
 * group {@code model}. Real tensors keep their dtype; complex tensors are stored as real arrays
 * with a trailing axis of 2 (re, im), as {@code torch.view_as_real} makes them, marked by the
 * dataset attribute {@code opforge_dtype = "complex64" | "complex128"}. A tensor with no elements
 * is stored as a one-element placeholder with its shape in the attribute {@code opforge_shape}.
 *
 * <p>An attribute whose UTF-8 text is longer than {@value #ATTRIBUTE_LIMIT} bytes (a long run's
 * {@code history}) is stored instead as a byte dataset of that name in the group
 * {@value #LONG_ATTRIBUTES}, because an HDF5 object-header message holds at most 65535 bytes and a
 * longer attribute makes the root group unreadable. Before a written file replaces the old one, its
 * attributes and tensor names are read back and compared, so a file that would not load never
 * replaces a good checkpoint.
 *
 * <p>Loading accepts any HDF5 file (for instance one written from a PyTorch state_dict with h5py):
 * every numeric dataset becomes a tensor named by its path, every root attribute a string.
 */
@Component(service = CheckpointStore.class)
public final class Hdf5CheckpointStore implements CheckpointStore {
    static final String DTYPE_ATTR = "opforge_dtype";
    static final String SHAPE_ATTR = "opforge_shape";
    /** Longest attribute text (UTF-8 bytes) kept as an HDF5 attribute. */
    static final int ATTRIBUTE_LIMIT = 16 * 1024;
    /** Root group holding the attributes longer than {@link #ATTRIBUTE_LIMIT}, one byte dataset each. */
    static final String LONG_ATTRIBUTES = "opforge_attributes";

    @Override public void save(Checkpoint checkpoint, Path file) {
        for (String k : checkpoint.attributes().keySet()) {
            if (k.equals(NativeWriter.FORMAT_ATTR) || k.equals(NativeWriter.VERSION_ATTR)) {
                throw new IllegalArgumentException("checkpoint attribute '" + k + "' is reserved for the file format");
            }
        }
        Map<String, String> datasetPaths = new HashMap<>();
        for (String key : checkpoint.tensors().keySet()) {
            String[] seg = key.split("/", -1);
            for (String s : seg) {
                if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                    throw new IllegalArgumentException("tensor name '" + key + "' has an empty or relative path segment");
                }
            }
            if (seg[0].equals(LONG_ATTRIBUTES)) {
                throw new IllegalArgumentException("tensor name '" + key + "': the group '" + LONG_ATTRIBUTES + "' is reserved for long attributes");
            }
            datasetPaths.put(key, key);
        }
        for (String key : datasetPaths.keySet()) {
            for (String other : datasetPaths.keySet()) {
                if (other.startsWith(key + "/")) {
                    throw new IllegalArgumentException("tensor '" + key + "' would be both a dataset and the group of tensor '" + other + "'");
                }
            }
        }
        AtomicFiles.write(file, tmp -> {
            try (WritableHdfFile w = HdfFile.write(tmp)) {
                w.putAttribute(NativeWriter.FORMAT_ATTR, "checkpoint");
                w.putAttribute(NativeWriter.VERSION_ATTR, NativeWriter.VERSION);
                WritableGroup longAttributes = null;
                for (Map.Entry<String, String> a : checkpoint.attributes().entrySet()) {
                    byte[] utf8 = a.getValue().getBytes(StandardCharsets.UTF_8);
                    if (utf8.length <= ATTRIBUTE_LIMIT) {
                        w.putAttribute(a.getKey(), a.getValue());
                    } else {
                        if (longAttributes == null) longAttributes = w.putGroup(LONG_ATTRIBUTES);
                        longAttributes.putDataset(a.getKey(), utf8);
                    }
                }
                Map<String, WritableGroup> groups = new HashMap<>();
                for (Map.Entry<String, Tensor> e : checkpoint.tensors().entrySet()) {
                    String[] seg = e.getKey().split("/");
                    WritableGroup g = w;
                    StringBuilder path = new StringBuilder();
                    for (int i = 0; i < seg.length - 1; i++) {
                        path.append('/').append(seg[i]);
                        WritableGroup parent = g;
                        String s = seg[i];
                        g = groups.computeIfAbsent(path.toString(), p -> parent.putGroup(s));
                    }
                    putTensor(g, seg[seg.length - 1], e.getValue());
                }
            }
            verify(tmp, file, checkpoint);
        });
    }

    /**
     * Reads back the attributes and tensor names of the file just written to {@code tmp} (not the
     * tensor data) and checks them against {@code checkpoint}.
     *
     * @throws IllegalStateException when they differ or cannot be read; {@code target} is then left as it was
     */
    private static void verify(Path tmp, Path target, Checkpoint checkpoint) {
        Map<String, String> attrs;
        java.util.Set<String> names = new java.util.TreeSet<>();
        try (Hdf5Files.Opened o = Hdf5Files.open(tmp)) {
            attrs = attributes(tmp, o.hdf());
            names(o.hdf(), names);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the checkpoint written for " + target + " does not read back (" + e.getMessage() + "); "
                    + target + " is left as it was", e);
        }
        if (!attrs.equals(checkpoint.attributes()) || !names.equals(new java.util.TreeSet<>(checkpoint.tensors().keySet()))) {
            throw new IllegalStateException("the checkpoint written for " + target + " reads back different attributes or tensors; " + target
                    + " is left as it was");
        }
    }

    private static void names(Group g, java.util.Set<String> out) {
        for (Node n : g.getChildren().values()) {
            if (n instanceof Group sub) {
                if (!holdsLongAttributes(g, sub)) names(sub, out);
            } else {
                out.add(n.getPath().startsWith("/") ? n.getPath().substring(1) : n.getPath());
            }
        }
    }

    /** Whether {@code sub}, a child of {@code parent}, is the root's group of long attributes (not tensors). */
    private static boolean holdsLongAttributes(Group parent, Group sub) {
        return parent instanceof HdfFile && sub.getName().equals(LONG_ATTRIBUTES);
    }

    /** The checkpoint's attributes: the root's string attributes and the long ones of {@link #LONG_ATTRIBUTES}. */
    private static Map<String, String> attributes(Path file, HdfFile h) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> a : Hdf5Files.attributes(h.getAttributes()).entrySet()) {
            if (a.getKey().equals(NativeWriter.FORMAT_ATTR) || a.getKey().equals(NativeWriter.VERSION_ATTR)) continue;
            attrs.put(a.getKey(), Hdf5Files.text(a.getValue()));
        }
        Node longOnes = h.getChildren().get(LONG_ATTRIBUTES);
        if (longOnes instanceof Group g) {
            for (Node n : Layouts.sorted(g)) {
                if (!(n instanceof Dataset ds) || !(ds.getData() instanceof byte[] utf8)) {
                    throw new DataFormatException(file, LONG_ATTRIBUTES + "/" + n.getName(), "a byte dataset (UTF-8 text of a long attribute)",
                            n instanceof Dataset ds ? ds.getJavaType().getSimpleName() + " dataset" : "a group");
                }
                attrs.put(n.getName(), new String(utf8, StandardCharsets.UTF_8));
            }
        }
        return attrs;
    }

    private static void putTensor(WritableGroup g, String name, Tensor t) {
        Tensor v = t.detach();
        int[] shape = v.shape();
        DType dt = v.dtype();
        if (v.numel() == 0) {
            WritableDataset d = g.putDataset(name, dt.isDouble() ? new double[] {0} : new float[] {0});
            d.putAttribute(SHAPE_ATTR, java.util.Arrays.stream(shape).asLongStream().toArray());
            if (dt.isComplex()) d.putAttribute(DTYPE_ATTR, dt.toString());
            return;
        }
        int[] stored = shape;
        if (dt.isComplex()) {
            stored = java.util.Arrays.copyOf(shape, shape.length + 1);
            stored[shape.length] = 2;
        }
        Object data = dt.isDouble() ? Nested.of(v.toDoubleArray(), stored) : Nested.of(v.toFloatArray(), stored);
        WritableDataset d = g.putDataset(name, data);
        if (dt.isComplex()) d.putAttribute(DTYPE_ATTR, dt.toString());
    }

    @Override public Checkpoint load(Path file) {
        try (Hdf5Files.Opened o = Hdf5Files.open(file)) {
            HdfFile h = o.hdf();
            String format = Layouts.stringAttr(h, NativeWriter.FORMAT_ATTR);
            if (format != null && !format.equals("checkpoint")) {
                throw new DataFormatException(file, NativeWriter.FORMAT_ATTR, "a checkpoint file (" + NativeWriter.FORMAT_ATTR
                        + " = checkpoint)", NativeWriter.FORMAT_ATTR + " = " + format);
            }
            Map<String, String> attrs = attributes(file, h);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            ChunkCache cache = new ChunkCache(0);
            collect(file, o, cache, h, tensors);
            return new Checkpoint(attrs, tensors);
        }
    }

    private static void collect(Path file, Hdf5Files.Opened o, ChunkCache cache, Group g, Map<String, Tensor> out) {
        for (Node n : Layouts.sorted(g)) {
            if (n instanceof Group sub) {
                if (holdsLongAttributes(g, sub)) continue;
                collect(file, o, cache, sub, out);
            } else if (n instanceof Dataset ds) {
                StoredArray a = StoredArray.of(file, ds, o.channel(), o.userBlock(), o.size(), cache);
                out.put(a.key, toTensor(file, ds, a));
            }
        }
    }

    private static Tensor toTensor(Path file, Dataset ds, StoredArray a) {
        String dtypeAttr = stringAttr(ds, DTYPE_ATTR);
        DType complex = null;
        if (dtypeAttr != null) {
            if (dtypeAttr.equals("complex64")) complex = DType.COMPLEX64;
            else if (dtypeAttr.equals("complex128")) complex = DType.COMPLEX128;
            else throw new DataFormatException(file, a.key + "@" + DTYPE_ATTR, "complex64 or complex128", "'" + dtypeAttr + "'");
        }
        Attribute shapeAttr = ds.getAttributes().get(SHAPE_ATTR);
        if (shapeAttr != null) {
            Object s = Hdf5Files.normalize(shapeAttr.getData());
            if (!(s instanceof long[] dims)) {
                throw new DataFormatException(file, a.key + "@" + SHAPE_ATTR, "an integer array", Hdf5Files.text(s));
            }
            int[] shape = java.util.Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
            DType dt = complex != null ? complex : a.type.dtype();
            return Tensor.zeros(dt, Device.CPU, shape);
        }
        Sink s = Sink.allocate(complex != null ? complex.toReal() : a.type.dtype(), a.elements(), a.key);
        a.readAll(s, 0);
        long[] bad = s.nonFinite(0, s.length());
        if (bad[0] + bad[1] > 0) {
            // a model holding them computes nothing but NaN: refused here rather than reported as NaN metrics
            throw new DataFormatException(file, a.key, "finite weights", bad[0] + " NaN and " + bad[1] + " infinite values");
        }
        int[] stored = a.intDims();
        if (complex == null) return s.toTensor(stored);
        if (stored.length == 0 || stored[stored.length - 1] != 2) {
            throw new DataFormatException(file, a.key, "a trailing axis of 2 (re, im) for a " + complex + " tensor",
                    "shape " + java.util.Arrays.toString(stored));
        }
        int[] shape = java.util.Arrays.copyOf(stored, stored.length - 1);
        return s.f != null ? Tensor.of(s.f, complex, Device.CPU, shape) : Tensor.of(s.d, complex, Device.CPU, shape);
    }

    private static String stringAttr(Node n, String name) {
        return Layouts.stringAttr(n, name);
    }
}
