package org.opforge.operators.fno;

import java.nio.file.Path;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.Tensor;

/** Reads samples of neuraloperator's Darcy-16 files in the repository's benchmark-suites/data (root pom property data.dir). */
final class Darcy {
    private Darcy() {}

    static Path file(String name) {
        return Path.of(System.getProperty("data.dir", "../../benchmark-suites/data"), name);
    }

    /** {x, y} of the first {@code n} samples of {@code name}. */
    static Tensor[] read(String name, int n) {
        try (Dataset d = DatasetSource.find().open(file(name))) {
            int count = Math.min(n, d.samples());
            return new Tensor[] {d.read("x", 0, count), d.read("y", 0, count)};
        }
    }
}
