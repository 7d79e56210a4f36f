package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetOptions;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/**
 * Files h5py writes, read by the plugin: contiguous and chunked storage, partial edge chunks, gzip,
 * shuffle, LZF, Fletcher-32, float16/32/64, int16, uint8, big-endian, the chunk indexes of both
 * file-format generations, and chunks never written (fill value).
 */
class StorageInteropTest {
    private static final int[] SHAPE = {6, 5, 4};
    private static final Map<String, Integer> FLOAT_SEEDS = Map.of("f32_contiguous", 1, "f32_gzip_shuffle", 2, "f64_gzip9", 3,
            "f64_contiguous", 4, "f32_lzf", 5, "f32_fletcher", 6, "f32_bigendian", 7, "f16", 8, "unlimited", 11, "two_unlimited", 12);

    private final DatasetSource source = new Hdf5DatasetSource();

    @Test void committedEarliestFormat() {
        check(Fixtures.file("storage_earliest.h5"));
    }

    @Test void committedLatestFormat() {
        check(Fixtures.file("storage_latest.h5"));
    }

    @Test void freshFilesFromH5py(@TempDir Path tmp) {
        assumeTrue(Fixtures.h5pyAvailable(), "skipped: /usr/bin/python3 with h5py and numpy is not installed "
                + "(apt-get install python3-h5py); the committed fixtures are still tested");
        Fixtures.makeFreshFixtures(tmp);
        check(tmp.resolve("storage_earliest.h5"));
        check(tmp.resolve("storage_latest.h5"));
    }

    private void check(Path file) {
        try (Dataset ds = source.open(file)) {
            assertEquals("generic", ds.layout());
            assertEquals(6, ds.samples());
            for (Map.Entry<String, Integer> e : FLOAT_SEEDS.entrySet()) {
                String name = e.getKey();
                Tensor all = ds.readAll(name);
                assertArrayEquals(SHAPE, all.shape(), name);
                Fixtures.assertFormula(all.toDoubleArray(), 0, 0, 120, e.getValue(), file.getFileName() + " " + name);
                // a shuffled batch with a repeat: each sample is the formula at its own offset
                int[] idx = {5, 0, 3, 3, 1};
                double[] b = ds.read(name, idx).toDoubleArray();
                for (int k = 0; k < idx.length; k++) Fixtures.assertFormula(b, k * 20, idx[k] * 20L, 20, e.getValue(), name + " batch");
                double[] run = ds.read(name, 2, 3).toDoubleArray();
                Fixtures.assertFormula(run, 0, 40, 60, e.getValue(), name + " run");
            }
            assertEquals(DType.FLOAT64, ds.field("f64_gzip9").dtype());
            assertEquals(DType.FLOAT32, ds.field("f16").dtype());
            assertEquals(DType.FLOAT32, ds.field("i16").dtype());
            double[] i16 = ds.readAll("i16").toDoubleArray();
            double[] u8 = ds.read("u8", new int[] {4, 1}).toDoubleArray();
            for (int l = 0; l < 120; l++) assertEquals(Fixtures.int16(l, 9), i16[l], 0.0, "i16 at " + l);
            for (int l = 0; l < 20; l++) {
                assertEquals(Fixtures.uint8(80 + l, 10), u8[l], 0.0, "u8 sample 4 at " + l);
                assertEquals(Fixtures.uint8(20 + l, 10), u8[20 + l], 0.0, "u8 sample 1 at " + l);
            }
            double[] partly = ds.readAll("partly_written").toDoubleArray();
            Fixtures.assertFormula(partly, 0, 0, 40, 13, "partly_written written part");
            for (int l = 40; l < 120; l++) assertEquals(-1.0, partly[l], 0.0, "fill value at " + l);
            assertEquals("storage variety for the opforge-hdf5 reader", ds.attributes().get("purpose"));
        }
    }

    @Test void smallChunkCacheGivesTheSameValues() {
        try (Dataset ds = source.open(Fixtures.file("storage_earliest.h5"), DatasetOptions.defaults().withChunkCacheBytes(0))) {
            int[] idx = {3, 1, 4, 1, 5};
            double[] b = ds.read("f32_gzip_shuffle", idx).toDoubleArray();
            for (int k = 0; k < idx.length; k++) Fixtures.assertFormula(b, k * 20, idx[k] * 20L, 20, 2, "uncached");
        }
    }
}
