package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;

/** Files the plugin writes: read back by the plugin, and by h5py with identical values when h5py is installed. */
class WriteInteropTest {
    static Tensor formula(int seed, DType dtype, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int l = 0; l < n; l++) v[l] = Fixtures.value(l, seed);
        return Tensor.of(v, DType.FLOAT64, Device.CPU, shape).to(dtype);
    }

    static DatasetContent content(boolean compress) {
        Map<String, Tensor> fields = new LinkedHashMap<>();
        fields.put("a", formula(91, DType.FLOAT32, 7, 3, 4));
        fields.put("u", formula(92, DType.FLOAT64, 7, 3, 4));
        Map<String, Tensor> coords = new LinkedHashMap<>();
        coords.put("x", formula(93, DType.FLOAT32, 4));
        coords.put("grid/t", formula(94, DType.FLOAT64, 3));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("pde", "darcy");
        attrs.put("visc", 0.01);
        attrs.put("n", 7);
        attrs.put("sizes", new int[] {3, 4});
        attrs.put("input", "a");
        attrs.put("target", "u");
        return DatasetContent.of(fields).withCoordinates(coords).withAttributes(attrs).withCompression(compress);
    }

    static Checkpoint checkpoint() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("epoch", "3");
        attrs.put("note", "h\u00e9llo \u2206");
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("model/blocks.0.weight", formula(101, DType.FLOAT32, 2, 3));
        t.put("model/blocks.0.bias", formula(102, DType.FLOAT64, 3));
        t.put("optimizer/step", Tensor.scalar(5));
        t.put("model/spectral.weight", Tensor.complex(formula(103, DType.FLOAT32, 2, 2), formula(104, DType.FLOAT32, 2, 2)));
        t.put("normalizer/mean", formula(105, DType.FLOAT32, 1, 4));
        return new Checkpoint(attrs, t);
    }

    @Test void nativeRoundTrip(@TempDir Path tmp) {
        DatasetSource src = DatasetSource.find();
        for (boolean compress : new boolean[] {false, true}) {
            Path f = tmp.resolve(compress ? "c.h5" : "d.h5");
            src.write(f, content(compress));
            try (Dataset ds = src.open(f)) {
                assertEquals("native", ds.layout());
                assertEquals(7, ds.samples());
                assertEquals(Map.of("input", "a", "target", "u"), ds.roles());
                assertEquals(List.of("coords/grid/t", "coords/x"), ds.constants().stream().map(c -> c.name()).sorted().toList());
                assertEquals(DType.FLOAT64, ds.field("u").dtype());
                assertEquals(compress, ds.field("a").storage().contains("deflate"), ds.field("a").storage());
                Fixtures.assertFormula(ds.readAll("a").toDoubleArray(), 0, 0, 84, 91, "a");
                Fixtures.assertFormula(ds.readAll("u").toDoubleArray(), 0, 0, 84, 92, "u");
                Fixtures.assertFormula(ds.readAll("coords/grid/t").toDoubleArray(), 0, 0, 3, 94, "t");
                assertEquals(7L, ds.attributes().get("n"));
                assertArrayEquals(new long[] {3, 4}, (long[]) ds.attributes().get("sizes"));
                assertEquals(0.01, ds.attributes().get("visc"));
            }
        }
    }

    @Test void checkpointRoundTrip(@TempDir Path tmp) {
        CheckpointStore store = CheckpointStore.find();
        Path f = tmp.resolve("ckpt.h5");
        Checkpoint c = checkpoint();
        store.save(c, f);
        Checkpoint back = store.load(f);
        assertEquals(c.attributes(), back.attributes());
        assertEquals(c.tensors().keySet(), new java.util.HashSet<>(back.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            Tensor b = back.tensor(e.getKey());
            assertEquals(e.getValue().dtype(), b.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), b.shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), b.toDoubleArray(), 0.0, e.getKey());
        }
        assertEquals(java.util.Set.of("blocks.0.weight", "blocks.0.bias", "spectral.weight"), back.group("model").keySet());
    }

    @Test void emptyAndDoubleComplexTensors(@TempDir Path tmp) {
        CheckpointStore store = new Hdf5CheckpointStore();
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("empty", Tensor.zeros(DType.FLOAT32, Device.CPU, 0, 3));
        t.put("z", Tensor.complex(formula(1, DType.FLOAT64, 3), formula(2, DType.FLOAT64, 3)));
        Path f = tmp.resolve("e.h5");
        store.save(new Checkpoint(Map.of(), t), f);
        Checkpoint back = store.load(f);
        assertArrayEquals(new int[] {0, 3}, back.tensor("empty").shape());
        assertEquals(DType.COMPLEX128, back.tensor("z").dtype());
        assertArrayEquals(t.get("z").toDoubleArray(), back.tensor("z").toDoubleArray(), 0.0);
    }

    @Test void h5pyReadsWhatWeWrite(@TempDir Path tmp) {
        assumeTrue(Fixtures.h5pyAvailable(), "skipped: /usr/bin/python3 with h5py and numpy is not installed "
                + "(apt-get install python3-h5py); the Java read-back tests still run");
        DatasetSource src = new Hdf5DatasetSource();
        CheckpointStore store = new Hdf5CheckpointStore();
        for (boolean compress : new boolean[] {false, true}) {
            Path d = tmp.resolve("data" + compress + ".h5");
            Path c = tmp.resolve("ckpt.h5");
            src.write(d, content(compress));
            store.save(checkpoint(), c);
            Fixtures.Result r = Fixtures.python(List.of(Fixtures.file("check_java_files.py").toString(), d.toString(), c.toString()), 120);
            assertEquals(0, r.exitCode(), "h5py check failed:\n" + r.output());
            assertTrue(r.output().contains("OK"), r.output());
        }
    }
}
