package org.opforge.solvers.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated data set: per-sample fields as float32 arrays with the sample axis first, shared
 * grid coordinates, and attributes recording every generation parameter (problem, seed, sample
 * count and the problem's own parameters).
 */
public record GeneratedData(String problem, int samples, List<Field> fields, Map<String, double[]> coordinates,
                            Map<String, Object> attributes) {
    public GeneratedData {
        fields = List.copyOf(fields);
        coordinates = Collections.unmodifiableMap(new LinkedHashMap<>(coordinates));
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The field with this name. */
    public Field field(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no field '" + name + "' in the " + problem + " data set; fields: "
                + fields.stream().map(Field::name).toList());
    }

    /**
     * One field of all samples.
     *
     * @param shape full shape, sample axis first
     * @param data row-major values
     */
    public record Field(String name, int[] shape, float[] data, FieldSpec.Role role) {
        /** The values of sample {@code i}. */
        public float[] sample(int i) {
            int size = data.length / shape[0];
            float[] out = new float[size];
            System.arraycopy(data, i * size, out, 0, size);
            return out;
        }
    }
}
