package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.ShardedDataset;
import org.opforge.tensor.Tensor;

class ShardedDatasetTest {
    @TempDir Path dir;
    private final Hdf5DatasetSource source = new Hdf5DatasetSource();

    /** Samples [from, from + n) of x = index, with 2 values per sample. */
    private void shard(String name, int from, int n) {
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = from + i;
            x[2 * i + 1] = -(from + i);
        }
        source.write(dir.resolve(name), new DatasetContent(Map.of("x", Tensor.of(x, n, 2)), Map.of("t", Tensor.of(new float[] {0, 1}, 2)),
                Map.of("samples", (long) n, "first_sample", (long) from), false));
    }

    @Test
    void shardsReadAsOneDataSet() {
        shard("s0.h5", 0, 3);
        shard("s1.h5", 3, 1);
        shard("s2.h5", 4, 4);
        ShardedDataset.writeManifest(dir.resolve("all.json"), List.of("s0.h5", "s1.h5", "s2.h5"), new int[] {3, 1, 4});
        try (Dataset d = source.open(dir.resolve("all.json"))) {
            assertEquals(8, d.samples());
            assertArrayEquals(new int[] {8, 2}, d.field("x").shape());
            assertArrayEquals(new float[] {7, -7, 0, 0, 3, -3, 4, -4, 2, -2}, d.read("x", new int[] {7, 0, 3, 4, 2}).toFloatArray());
            assertArrayEquals(new float[] {2, -2, 3, -3, 4, -4}, d.read("x", 2, 3).toFloatArray());
            assertArrayEquals(new float[] {0, 1}, d.readAll("coords/t").toFloatArray());
            assertEquals(8L, d.attributes().get("samples"));
            assertTrue(!d.attributes().containsKey("first_sample"));
            assertEquals(-7.0, d.stats("x").min());
        }
    }

    @Test
    void aMissingShardOrAWrongCountIsNamed() throws Exception {
        shard("s0.h5", 0, 3);
        ShardedDataset.writeManifest(dir.resolve("missing.json"), List.of("s0.h5", "gone.h5"), new int[] {3, 2});
        DataFormatException e = assertThrows(DataFormatException.class, () -> source.open(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("gone.h5"), e.getMessage());
        ShardedDataset.writeManifest(dir.resolve("count.json"), List.of("s0.h5"), new int[] {4});
        e = assertThrows(DataFormatException.class, () -> source.open(dir.resolve("count.json")));
        assertTrue(e.getMessage().contains("4 samples") && e.getMessage().contains("s0.h5"), e.getMessage());
        Files.writeString(dir.resolve("other.json"), "{\"opforge_format\": \"something\"}");
        e = assertThrows(DataFormatException.class, () -> source.open(dir.resolve("other.json")));
        assertTrue(e.getMessage().contains("opforge_format"), e.getMessage());
    }
}
