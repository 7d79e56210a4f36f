package org.opforge.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/** Small data files and suites for the tests: y = 2 x + 1 + 0.01 noise on a res x res grid. */
public final class TestFiles {
    private TestFiles() {}

    public static Path data(Path file, int n, int res, long seed) {
        return data(file, n, res, seed, 2, 1);
    }

    /** Samples of y = a x + b + 0.01 noise. */
    public static Path data(Path file, int n, int res, long seed, double a, double b) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * res * res], y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextNormal();
            y[i] = (float) (a * x[i] + b + 0.01 * rng.nextNormal());
        }
        Map<String, Tensor> fields = new LinkedHashMap<>();
        fields.put("x", Tensor.of(x, n, res, res));
        fields.put("y", Tensor.of(y, n, res, res));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("input", "x");
        attrs.put("target", "y");
        DatasetSource.find().write(file, DatasetContent.of(fields).withAttributes(attrs));
        return file;
    }

    public static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** train.h5 (64 samples, 8x8), test.h5 (16, 8x8) and test16.h5 (16, 16x16) in dir. */
    public static void standardData(Path dir) {
        data(dir.resolve("train.h5"), 64, 8, 1);
        data(dir.resolve("test.h5"), 16, 8, 2);
        data(dir.resolve("test16.h5"), 16, 16, 3);
    }
}
