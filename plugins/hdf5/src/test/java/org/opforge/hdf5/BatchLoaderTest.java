package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Batch;
import org.opforge.api.data.BatchLoader;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.Tensor;

class BatchLoaderTest {
    private static final int N = 103;
    @TempDir static Path tmp;
    private static Path file;
    private static final DatasetSource SOURCE = new Hdf5DatasetSource();

    @BeforeAll static void write() {
        // sample i holds (i, -i): a batch shows which samples it read
        float[] v = new float[N * 2];
        for (int i = 0; i < N; i++) {
            v[2 * i] = i;
            v[2 * i + 1] = -i;
        }
        file = tmp.resolve("idx.h5");
        SOURCE.write(file, DatasetContent.of(Map.of("i", Tensor.of(v, N, 2))).withCompression(true));
    }

    private static List<int[]> drain(BatchLoader.Epoch e) {
        List<int[]> out = new ArrayList<>();
        try (e) {
            for (Batch b : e) {
                float[] v = b.get("i").toFloatArray();
                int[] s = b.samples();
                for (int k = 0; k < s.length; k++) {
                    assertEquals(s[k], v[2 * k], 0f, "batch row " + k + " holds the sample it names");
                    assertEquals(-s[k], v[2 * k + 1], 0f);
                }
                out.add(s);
            }
        }
        return out;
    }

    @Test void shuffledEpochVisitsEverySampleOnce() {
        try (Dataset ds = SOURCE.open(file)) {
            BatchLoader l = BatchLoader.over(ds).batchSize(10).shuffle(5).build();
            assertEquals(11, l.batchesPerEpoch());
            List<int[]> e0 = drain(l.epoch(0));
            assertEquals(11, e0.size());
            assertEquals(3, e0.get(10).length);
            BitSet seen = new BitSet();
            for (int[] b : e0) for (int i : b) {
                assertFalse(seen.get(i), "sample " + i + " twice");
                seen.set(i);
            }
            assertEquals(N, seen.cardinality());
            int[] flat = e0.stream().flatMapToInt(Arrays::stream).toArray();
            int[] sorted = flat.clone();
            Arrays.sort(sorted);
            assertFalse(Arrays.equals(flat, sorted), "shuffled");
            assertArrayEquals(l.order(0), flat);
            assertArrayEquals(l.order(0), BatchLoader.over(ds).batchSize(7).shuffle(5).build().order(0), "order depends on seed and epoch only");
            assertFalse(Arrays.equals(l.order(0), l.order(1)), "a new order each epoch");
            assertFalse(Arrays.equals(l.order(0), BatchLoader.over(ds).shuffle(6).build().order(0)), "seed matters");
        }
    }

    @Test void prefetchAndResumeGiveTheSameBatches() {
        try (Dataset ds = SOURCE.open(file)) {
            BatchLoader plain = BatchLoader.over(ds).batchSize(8).shuffle(9).build();
            BatchLoader pre = BatchLoader.over(ds).batchSize(8).shuffle(9).prefetch(3).build();
            List<int[]> a = drain(plain.epoch(2));
            List<int[]> b = drain(pre.epoch(2));
            assertEquals(a.size(), b.size());
            for (int k = 0; k < a.size(); k++) assertArrayEquals(a.get(k), b.get(k));
            List<int[]> resumed = drain(pre.epoch(2, 5));
            assertEquals(a.size() - 5, resumed.size());
            for (int k = 0; k < resumed.size(); k++) assertArrayEquals(a.get(k + 5), resumed.get(k));
            // closing mid-epoch stops the reader without error
            BatchLoader.Epoch e = pre.epoch(3);
            assertTrue(e.hasNext());
            e.next();
            e.close();
        }
    }

    @Test void dropLastSubsetAndUnshuffled() {
        try (Dataset ds = SOURCE.open(file)) {
            assertEquals(10, BatchLoader.over(ds).batchSize(10).dropLast(true).build().batchesPerEpoch());
            List<int[]> r = drain(BatchLoader.over(ds).batchSize(4).range(90, 100).build().epoch(0));
            assertArrayEquals(new int[] {90, 91, 92, 93}, r.get(0));
            assertArrayEquals(new int[] {98, 99}, r.get(2));
            List<int[]> s = drain(BatchLoader.over(ds).batchSize(2).subset(new int[] {7, 3, 50}).shuffle(1).build().epoch(0));
            int[] got = s.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertArrayEquals(new int[] {3, 7, 50}, got);
            assertThrows(IllegalArgumentException.class, () -> BatchLoader.over(ds).subset(new int[] {N}));
        }
    }

    @Test void readErrorsReachTheConsumerThroughPrefetch() {
        float[] v = new float[40];
        v[33] = Float.NaN; // sample 16
        Path f = tmp.resolve("nan.h5");
        SOURCE.write(f, DatasetContent.of(Map.of("a", Tensor.of(v, 20, 2))));
        try (Dataset ds = SOURCE.open(f)) {
            BatchLoader l = BatchLoader.over(ds).batchSize(4).prefetch(2).build();
            try (BatchLoader.Epoch e = l.epoch(0)) {
                for (int k = 0; k < 4; k++) e.next();
                DataFormatException x = assertThrows(DataFormatException.class, e::next);
                assertTrue(x.getMessage().contains("1 NaN"), x.getMessage());
                assertFalse(e.hasNext());
            }
            assertThrows(DataFormatException.class, () -> BatchLoader.over(ds).fields("nope"));
        }
    }
}
