package org.opforge.api.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.opforge.tensor.Tensor;

/**
 * Everything needed to rebuild and resume a trained operator, independent of the file format:
 * string attributes (operator name, architecture config as JSON, epoch, RNG state, metrics as JSON,
 * format version) and named tensors grouped by prefix: {@code model/<state_dict key>},
 * {@code optimizer/<name>}, {@code normalizer/<name>}. The HDF5 plugin maps it to one file (groups
 * by prefix, attributes on the root), so h5py reads it directly.
 */
public record Checkpoint(Map<String, String> attributes, Map<String, Tensor> tensors) {
    public Checkpoint {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(attributes, "attributes")));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
    }

    /** The attribute, or an error naming the missing key and the keys present. */
    public String attribute(String key) {
        String v = attributes.get(key);
        if (v == null) throw new IllegalArgumentException("checkpoint has no attribute '" + key + "'; present: " + attributes.keySet());
        return v;
    }

    /** The tensor, or an error naming the missing key. */
    public Tensor tensor(String key) {
        Tensor t = tensors.get(key);
        if (t == null) throw new IllegalArgumentException("checkpoint has no tensor '" + key + "'");
        return t;
    }

    /** Tensors under {@code prefix/}, keyed by the rest of their name, in insertion order. */
    public Map<String, Tensor> group(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        tensors.forEach((k, v) -> { if (k.startsWith(p)) out.put(k.substring(p.length()), v); });
        return out;
    }
}
