package org.opforge.api.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.tensor.Tensor;

/**
 * One mini-batch: the sample indices it holds (in batch order) and one tensor per requested field,
 * each of shape {@code [samples.length, ...sampleShape]}.
 */
public record Batch(int epoch, int index, int[] samples, Map<String, Tensor> tensors) {
    public Batch {
        samples = samples.clone();
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    @Override public int[] samples() { return samples.clone(); }

    public int size() { return samples.length; }

    /** The tensor of a field, or an error naming the fields present. */
    public Tensor get(String field) {
        Tensor t = tensors.get(field);
        if (t == null) throw new IllegalArgumentException("batch has no field '" + field + "'; fields: " + tensors.keySet());
        return t;
    }
}
