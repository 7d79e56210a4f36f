package org.opforge.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.tensor.Tensor;

/** Small generated Darcy files for the tests. */
final class TestData {
    private TestData() {}

    static Map<String, Object> darcy(int resolution) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("resolution", resolution);
        return p;
    }

    static Path darcy(Path file, int samples, long seed) {
        GeneratedData gd = DataGeneration.generate("darcy", darcy(16), samples, seed, 1, null);
        Map<String, Tensor> fields = new LinkedHashMap<>();
        for (GeneratedData.Field f : gd.fields()) fields.put(f.name(), Tensor.of(f.data(), f.shape()));
        Map<String, Tensor> coords = new LinkedHashMap<>();
        gd.coordinates().forEach((k, v) -> coords.put(k, Tensor.of(v, v.length)));
        DatasetSource.find().write(file, new DatasetContent(fields, coords, gd.attributes(), false));
        return file;
    }

    /** A small FNO: a few hundred parameters per block, seconds per epoch. */
    static final String FNO_CONFIG = "{modes: 4, width: 8, layers: 2, projection_channels: 16, batch_size: 8, data.input: a, data.target: u}";
}
