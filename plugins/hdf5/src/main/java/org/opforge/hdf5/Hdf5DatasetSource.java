package org.opforge.hdf5;

import java.nio.file.Path;
import java.util.List;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetOptions;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.data.ShardedDataset;
import org.osgi.service.component.annotations.Component;

/**
 * Data set files through jhdf: the native layout, PDEBench's three layouts, FNO MATLAB v7.3 files,
 * the neuraloperator and DeepONet files, and a generic fallback (see {@code plugins/hdf5/README.md});
 * a shard manifest opens as one {@link ShardedDataset}.
 */
@Component(service = DatasetSource.class)
public final class Hdf5DatasetSource implements DatasetSource {
    @Override public List<String> layouts() {
        return Layouts.ALL;
    }

    @Override public Dataset open(Path file, DatasetOptions options) {
        if (ShardedDataset.isManifest(file)) return ShardedDataset.open(file, this, options);
        return Hdf5Dataset.open(file, options);
    }

    @Override public void write(Path file, DatasetContent content) {
        NativeWriter.write(file, content);
    }
}
