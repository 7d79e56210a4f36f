package org.opforge.api.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.opforge.tensor.Tensor;

/**
 * What a native data set file holds, for writing: per-sample fields (sample axis first, float32 or
 * float64, one common sample count), coordinates (any shape, stored under the group
 * {@code coords/}) and root attributes (String, Number, boolean, or arrays of numbers / strings).
 * The attributes {@code input} and {@code target} name the fields a model maps between.
 *
 * @param compress store each field chunked one sample per chunk with shuffle + deflate (smaller
 *                 files, slower random reads); contiguous otherwise
 */
public record DatasetContent(Map<String, Tensor> fields, Map<String, Tensor> coordinates,
                             Map<String, Object> attributes, boolean compress) {
    public DatasetContent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(fields, "fields")));
        coordinates = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(coordinates, "coordinates")));
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(attributes, "attributes")));
    }

    public static DatasetContent of(Map<String, Tensor> fields) {
        return new DatasetContent(fields, Map.of(), Map.of(), false);
    }

    public DatasetContent withCoordinates(Map<String, Tensor> coords) {
        return new DatasetContent(fields, coords, attributes, compress);
    }

    public DatasetContent withAttributes(Map<String, Object> attrs) {
        return new DatasetContent(fields, coordinates, attrs, compress);
    }

    public DatasetContent withCompression(boolean on) {
        return new DatasetContent(fields, coordinates, attributes, on);
    }
}
