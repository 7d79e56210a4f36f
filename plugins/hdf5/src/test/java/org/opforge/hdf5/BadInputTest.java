package org.opforge.hdf5;

import org.opforge.api.io.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetOptions;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.data.FieldStats;
import org.opforge.api.data.NonFinitePolicy;
import org.opforge.tensor.Tensor;

/** Every kind of bad input gets one exception whose message names the file, the key, what was expected and what was found. */
class BadInputTest {
    private final DatasetSource source = new Hdf5DatasetSource();

    @TempDir Path tmp;

    /** Asserts the exception's message names the file, the key (when given) and both sides. */
    private static DataFormatException expect(Executable call, Path file, String key, String... found) {
        DataFormatException e = assertThrows(DataFormatException.class, call);
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), "names the file: " + m);
        if (key != null) {
            assertEquals(key, e.key(), m);
            assertTrue(m.contains("'" + key + "'"), "names the key: " + m);
        }
        assertTrue(m.contains("expected ") && m.contains(", found "), m);
        for (String f : found) assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        return e;
    }

    private Path write(String name, Consumer<WritableHdfFile> body) {
        Path f = tmp.resolve(name);
        try (WritableHdfFile w = HdfFile.write(f)) {
            body.accept(w);
        }
        return f;
    }

    @Test void missingFile() {
        Path f = tmp.resolve("absent.h5");
        expect(() -> source.open(f), f, null, "no such file");
        expect(() -> new Hdf5CheckpointStore().load(f), f, null, "no such file");
    }

    @Test void notHdf5() throws IOException {
        Path f = tmp.resolve("notes.h5");
        Files.writeString(f, "hello, this is text\n");
        expect(() -> source.open(f), f, null, "signature", "the text \"hello, this is t");
        Path empty = Files.createFile(tmp.resolve("empty.h5"));
        expect(() -> source.open(empty), empty, null, "an empty file");
        Path dir = Files.createDirectory(tmp.resolve("dir.h5"));
        expect(() -> source.open(dir), dir, null, "a directory");
    }

    @Test void truncatedFile() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.file("native_h5py.h5"));
        for (int keep : new int[] {whole.length / 2, whole.length - 1}) {
            Path f = tmp.resolve("cut" + keep + ".h5");
            Files.write(f, Arrays.copyOf(whole, keep));
            expect(() -> source.open(f), f, null, keep + " bytes: the file is truncated");
        }
        Path f = tmp.resolve("cut.mat");
        byte[] mat = Files.readAllBytes(Fixtures.file("fno_darcy.mat"));
        Files.write(f, Arrays.copyOf(mat, mat.length - 100));
        expect(() -> source.open(f), f, null, "truncated");
    }

    @Test void missingKey() {
        Path f = Fixtures.file("neuralop.h5");
        try (Dataset ds = source.open(f)) {
            expect(() -> ds.field("z"), f, "z", "no such field", "[x, y, visc]");
            expect(() -> ds.read("z", new int[] {0}), f, "z", "no such field");
        }
        expect(() -> source.open(f, DatasetOptions.defaults().withLayout("pdebench-darcy")), f, "nu", "no such key; root keys");
        expect(() -> source.open(f, DatasetOptions.defaults().withLayout("deeponet")), f, "u", "no such key");
        expect(() -> source.open(f, DatasetOptions.defaults().withLayout("native")), f, null);
    }

    @Test void wrongRankOrShape() {
        Path rank4 = write("rank4.h5", w -> {
            w.putDataset("tensor", new float[2][3][4][5]);
            w.putDataset("x-coordinate", new float[5]);
        });
        expect(() -> source.open(rank4), rank4, "tensor", "expected rank 3 [N, T, X]", "found rank 4 shape [2, 3, 4, 5]");
        Path coords = write("coords.h5", w -> {
            w.putDataset("tensor", new float[2][3][4]);
            w.putDataset("x-coordinate", new float[5]);
        });
        expect(() -> source.open(coords), coords, "x-coordinate", "expected 4 coordinates", "found shape [5]");
        Path darcy = write("darcy.h5", w -> {
            w.putDataset("nu", new float[2][8][8]);
            w.putDataset("tensor", new float[2][1][8][4]);
        });
        expect(() -> source.open(darcy), darcy, "tensor", "[N, 1, X, Y] = [2, 1, 8, 8]", "found shape [2, 1, 8, 4]");
        Path f = Fixtures.file("pdebench_darcy.h5");
        try (Dataset ds = source.open(f)) {
            assertEquals(ds.field("nu"), ds.requireShape("nu", -1, 8, 8));
            expect(() -> ds.requireShape("nu", -1, 16, 16), f, "nu", "expected rank 3 shape [*, 16, 16]", "found rank 3 shape [4, 8, 8]");
            expect(() -> ds.requireShape("tensor", -1, 8, 8), f, "tensor", "found rank 4 shape [4, 1, 8, 8]");
        }
        Path strings = write("strings.h5", w -> {
            w.putDataset("tensor", new String[] {"a", "b"});
            w.putDataset("x-coordinate", new float[5]);
        });
        expect(() -> source.open(strings), strings, "tensor", "a numeric dataset", "string");
    }

    @Test void mismatchedSampleCounts() {
        Path nat = write("native.h5", w -> {
            w.putAttribute("opforge_format", "dataset");
            w.putDataset("a", new float[6][3]);
            w.putDataset("u", new float[5][3]);
        });
        expect(() -> source.open(nat), nat, "u", "6 samples along axis 0, as field 'a' has", "found 5 samples");
        Path neuralop = write("xy.h5", w -> {
            w.putDataset("x", new float[10][4]);
            w.putDataset("y", new float[9][4]);
        });
        expect(() -> source.open(neuralop), neuralop, "y", "10 samples", "found 9 samples");
        Path darcy = write("darcy.h5", w -> {
            w.putDataset("nu", new float[3][4][4]);
            w.putDataset("tensor", new float[2][1][4][4]);
        });
        expect(() -> source.open(darcy), darcy, "tensor", "3 samples", "found 2 samples");
        Path groups = write("groups.h5", w -> {
            w.putGroup("0000").putDataset("data", new float[2][3]);
            w.putGroup("0001").putDataset("data", new float[2][4]);
        });
        expect(() -> source.open(groups), groups, "0001/data", "shape [2, 3] as 0000/data", "found shape [2, 4]");
        Map<String, Tensor> bad = new java.util.LinkedHashMap<>();
        bad.put("a", Tensor.zeros(4, 2));
        bad.put("b", Tensor.zeros(3, 2));
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> source.write(tmp.resolve("w.h5"), DatasetContent.of(bad)));
        assertTrue(w.getMessage().contains("'b' has 3 samples, field 'a' has 4"), w.getMessage());
        assertTrue(!Files.exists(tmp.resolve("w.h5")));
    }

    @Test void nonFiniteValues() {
        float[] v = new float[4 * 5];
        v[3] = Float.NaN;
        v[7] = Float.POSITIVE_INFINITY;
        v[12] = Float.NaN;
        v[19] = Float.NEGATIVE_INFINITY;
        v[0] = -2;
        v[1] = 3;
        Path f = tmp.resolve("nan.h5");
        source.write(f, DatasetContent.of(Map.of("a", Tensor.of(v, 4, 5))));
        try (Dataset ds = source.open(f)) {
            expect(() -> ds.readAll("a"), f, "a", "2 NaN and 2 infinite values in 20 values read");
            expect(() -> ds.read("a", new int[] {2, 0}), f, "a", "2 NaN and 0 infinite values in 10 values read", "among samples [2, 0]");
            expect(() -> ds.read("a", 1, 1), f, "a", "0 NaN and 1 infinite values in 5 values read");
        }
        try (Dataset ds = source.open(f, DatasetOptions.defaults().withNonFinite(NonFinitePolicy.ALLOW))) {
            float[] all = ds.readAll("a").toFloatArray();
            assertTrue(Float.isNaN(all[3]) && Float.isInfinite(all[7]));
            FieldStats s = ds.stats("a");
            assertEquals(2, s.nan());
            assertEquals(1, s.posInf());
            assertEquals(1, s.negInf());
            assertEquals(-2, s.min(), 0.0);
            assertEquals(3, s.max(), 0.0);
            assertEquals(20, s.count());
        }
    }

    @Test void checkpointFromADatasetFile() {
        Path f = Fixtures.file("native_h5py.h5");
        expect(() -> CheckpointStore.find().load(f), f, "opforge_format", "expected a checkpoint file", "found opforge_format = dataset");
    }

    @Test void failedWriteLeavesTheOldFile() throws IOException {
        Path f = tmp.resolve("good.h5");
        source.write(f, DatasetContent.of(Map.of("a", Tensor.of(new float[] {1, 2, 3}, 3))));
        byte[] before = Files.readAllBytes(f);
        RuntimeException e = assertThrows(RuntimeException.class, () -> AtomicFiles.write(f, tmpFile -> {
            Files.write(tmpFile, new byte[] {1, 2, 3});
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        // a tensor the writer rejects half-way through the field list: the old file is untouched too
        Map<String, Tensor> bad = new java.util.LinkedHashMap<>();
        bad.put("a", Tensor.zeros(2, 2));
        bad.put("b", Tensor.complex(Tensor.zeros(2, 2), Tensor.zeros(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> source.write(f, DatasetContent.of(bad)));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Dataset ds = source.open(f)) {
            assertArrayEquals(new float[] {1, 2, 3}, ds.readAll("a").toFloatArray());
            assertNull(ds.roles().get("input"));
        }
    }
}
