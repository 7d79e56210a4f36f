package org.opforge.api.data;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens data set files and writes native ones. Provided as an OSGi service by the HDF5 bundle and,
 * without OSGi, through {@link ServiceLoader} ({@link #find()}).
 *
 * <p>The native layout: one HDF5 dataset per per-sample field at the root, sample axis first,
 * float32 (float64 accepted); coordinates under {@code coords/}; grid, PDE parameters and
 * provenance as root attributes; root attribute {@code opforge_format = "dataset"}.
 */
public interface DatasetSource {
    /** Layout names this source reads, in the order detection tries them. */
    List<String> layouts();

    /** Opens with layout detection and the default options. */
    default Dataset open(Path file) {
        return open(file, DatasetOptions.defaults());
    }

    /** @throws DataFormatException when the file is missing, not readable as the layout, or inconsistent */
    Dataset open(Path file, DatasetOptions options);

    /**
     * Writes {@code content} as a native data set file. The file is written to a temporary file in
     * the same directory and moved into place atomically, so a failed write never replaces a good file.
     */
    void write(Path file, DatasetContent content);

    /** The first implementation registered with {@link ServiceLoader}. */
    static DatasetSource find() {
        return ServiceLoader.load(DatasetSource.class, DatasetSource.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + DatasetSource.class.getName()
                        + " implementation on the class path (add the opforge-hdf5 jar)"));
    }
}
