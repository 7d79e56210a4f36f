package org.opforge.api.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.opforge.tensor.Tensor;

/**
 * An open data set file: named per-sample fields (sample axis first) and constants (coordinates,
 * parameters), read on demand. Reads select samples by index (an HDF5 hyperslab per run of
 * consecutive indices), so a file much larger than the heap can be streamed; nothing is read at
 * open except metadata.
 *
 * <p>Reads may run on one thread while another thread computes; an instance is safe for
 * concurrent reads.
 */
public interface Dataset extends AutoCloseable {
    /** The file this data set was opened from. */
    Path file();

    /** The layout the file was read as (one of {@link DatasetSource#layouts()}). */
    String layout();

    /** Number of samples N shared by every per-sample field. */
    int samples();

    /** Per-sample fields, in file order. */
    List<FieldInfo> fields();

    /** Arrays without a sample axis (coordinates, PDE parameters), in file order. */
    List<FieldInfo> constants();

    /** Root attributes (grid, PDE parameters, provenance): String, Long, Double, long[], double[] or String[]. */
    Map<String, Object> attributes();

    /**
     * The fields a layout designates as operator input and target, under the keys {@code "input"}
     * and {@code "target"} (e.g. {@code nu -> tensor} for PDEBench Darcy); empty when the layout
     * does not say.
     */
    Map<String, String> roles();

    /**
     * The samples {@code indices} (any order, repeats allowed) of a per-sample field, as a tensor of
     * shape {@code [indices.length, ...sampleShape]} in the order given.
     *
     * @throws DataFormatException for an unknown field or a constant, unreadable data, or non-finite
     *                             values under {@link NonFinitePolicy#REJECT}
     * @throws IndexOutOfBoundsException for an index outside {@code [0, samples())}
     */
    Tensor read(String field, int[] indices);

    /** Samples {@code [start, start + count)} of a per-sample field. */
    Tensor read(String field, int start, int count);

    /** A whole field (per-sample or constant). */
    Tensor readAll(String field);

    /** Value statistics of a whole field, read in bounded blocks; never rejects non-finite values. */
    FieldStats stats(String field);

    @Override void close();

    /** The field or constant named {@code name}, or an error listing the names present. */
    default FieldInfo field(String name) {
        for (FieldInfo f : fields()) if (f.name().equals(name)) return f;
        for (FieldInfo f : constants()) if (f.name().equals(name)) return f;
        List<String> names = new ArrayList<>();
        fields().forEach(f -> names.add(f.name()));
        constants().forEach(f -> names.add(f.name()));
        throw new DataFormatException(file(), name, "a field of layout " + layout() + " with that name",
                "no such field; fields present: " + names);
    }

    /**
     * Checks a field's logical shape against {@code expected}, where -1 matches any size, and returns
     * the field.
     *
     * @throws DataFormatException naming the file, field, expected and found shape on a rank or size mismatch
     */
    default FieldInfo requireShape(String name, int... expected) {
        FieldInfo f = field(name);
        int[] s = f.shape();
        boolean ok = s.length == expected.length;
        for (int i = 0; ok && i < s.length; i++) ok = expected[i] < 0 || expected[i] == s[i];
        if (!ok) {
            StringBuilder e = new StringBuilder("rank ").append(expected.length).append(" shape [");
            for (int i = 0; i < expected.length; i++) e.append(i > 0 ? ", " : "").append(expected[i] < 0 ? "*" : String.valueOf(expected[i]));
            e.append(']');
            throw new DataFormatException(file(), name, e.toString(), "rank " + s.length + " shape " + Arrays.toString(s));
        }
        return f;
    }
}
