package org.opforge.api.data;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Saves and loads {@link Checkpoint}s. The HDF5 implementation writes one file h5py reads: the
 * attributes on the root group, one group per tensor-name prefix ({@code model/}, {@code optimizer/},
 * ...), one dataset per tensor under its PyTorch-style name.
 */
public interface CheckpointStore {
    /** Writes to a temporary file in the same directory, then moves it over {@code file} atomically. */
    void save(Checkpoint checkpoint, Path file);

    /** @throws DataFormatException when the file is missing, not a checkpoint, or damaged */
    Checkpoint load(Path file);

    /** The first implementation registered with {@link ServiceLoader}. */
    static CheckpointStore find() {
        return ServiceLoader.load(CheckpointStore.class, CheckpointStore.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + CheckpointStore.class.getName()
                        + " implementation on the class path (add the opforge-hdf5 jar)"));
    }
}
