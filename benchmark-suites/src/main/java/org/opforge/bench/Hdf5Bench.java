package org.opforge.bench;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.opforge.api.data.Batch;
import org.opforge.api.data.BatchLoader;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.Rng;

/**
 * Reading speed of the HDF5 plugin:
 * <ol>
 *   <li>loading {@code darcy_train_16.h5} (fields x, y: 1000 x 16 x 16 float32, 2 MB) whole: open the
 *       file, read both fields into tensors, close; MB of field data per second;</li>
 *   <li>streaming a generated data set of about 1 GB (fields x, y: N x 64 x 64 float32) in batches
 *       of 32 through {@link BatchLoader}: one epoch in file order, one shuffled, one shuffled with a
 *       prefetch thread; MB of field data per second.</li>
 * </ol>
 * The generated file is written in a temporary directory (deleted at the end) with jhdf directly:
 * each sample's rows are drawn from a pool of random rows, so writing needs little heap; reading
 * cost does not depend on the values. Right after writing, the file sits in the page cache: the
 * streaming figures are warm-cache figures (memory-mapped reads), not disk figures.
 *
 * <p>Usage: {@code Hdf5Bench [data dir holding darcy_train_16.h5 (default benchmark-suites/data, from the repository root)] [size MB (default 1024)]}.
 */
public final class Hdf5Bench {
    private static final int SIDE = 64;

    private Hdf5Bench() {}

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "benchmark-suites/data");
        long sizeMb = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        DatasetSource src = DatasetSource.find();
        System.out.printf(Locale.ROOT, "cores %d, java %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);

        Path darcy = dataDir.resolve("darcy_train_16.h5");
        // steady state: the JIT has compiled the read path after a few hundred loads
        double[] t = new double[100];
        long bytes = 0;
        for (int r = -300; r < t.length; r++) {
            long t0 = System.nanoTime();
            try (Dataset ds = src.open(darcy)) {
                bytes = ds.readAll("x").numel() * 4 + ds.readAll("y").numel() * 4;
            }
            if (r >= 0) t[r] = (System.nanoTime() - t0) / 1e9;
        }
        report("darcy_train_16.h5 whole, open + read x, y + close", bytes, t);
        try (Dataset ds = src.open(darcy)) {
            for (int r = -300; r < t.length; r++) {
                long t0 = System.nanoTime();
                ds.readAll("x");
                ds.readAll("y");
                if (r >= 0) t[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        report("darcy_train_16.h5 whole, read x, y of an open file", bytes, t);

        Path dir = Files.createTempDirectory("hdf5bench");
        try {
            int n = (int) (sizeMb * 1e6 / (2.0 * SIDE * SIDE * 4));
            Path big = dir.resolve("big.h5");
            long w0 = System.nanoTime();
            writeLarge(big, n);
            double wsec = (System.nanoTime() - w0) / 1e9;
            long fileBytes = Files.size(big);
            System.out.printf(Locale.ROOT, "generated %s: %d samples x 2 fields x %dx%d float32 = %.0f MB in %.1f s (%.0f MB/s write)%n",
                    big.getFileName(), n, SIDE, SIDE, fileBytes / 1e6, wsec, fileBytes / 1e6 / wsec);
            try (Dataset ds = src.open(big)) {
                // the first epoch also pays the page-table faults of the fresh mapping and the JIT
                BatchLoader ordered = BatchLoader.over(ds).batchSize(32).build();
                BatchLoader shuffled = BatchLoader.over(ds).batchSize(32).shuffle(1).build();
                BatchLoader prefetched = BatchLoader.over(ds).batchSize(32).shuffle(2).prefetch(2).build();
                for (int epoch = 0; epoch < 2; epoch++) {
                    stream(ds, "epoch " + epoch + ", in file order, no prefetch", ordered, epoch);
                    stream(ds, "epoch " + epoch + ", shuffled, no prefetch", shuffled, epoch);
                    stream(ds, "epoch " + epoch + ", shuffled, prefetch 2", prefetched, epoch);
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void report(String label, long bytes, double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        double med = s[s.length / 2];
        System.out.printf(Locale.ROOT, "%s (%.2f MB): median %.3f ms = %.0f MB/s, best %.3f ms = %.0f MB/s%n",
                label, bytes / 1e6, med * 1e3, bytes / 1e6 / med, s[0] * 1e3, bytes / 1e6 / s[0]);
    }

    private static void stream(Dataset ds, String label, BatchLoader loader, int epoch) {
        long t0 = System.nanoTime();
        long bytes = 0;
        double checksum = 0;
        try (BatchLoader.Epoch e = loader.epoch(epoch)) {
            for (Batch b : e) {
                bytes += b.get("x").numel() * 4 + b.get("y").numel() * 4;
                checksum += b.get("x").toFloatArray()[0]; // touch the data as a consumer would
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "stream batches of 32, %s: %.0f MB in %.2f s = %.0f MB/s (%d batches/s; checksum %.1f)%n",
                label, bytes / 1e6, s, bytes / 1e6 / s, (long) (loader.batchesPerEpoch() / s), checksum);
    }

    /** Native layout, fields x and y [n, SIDE, SIDE]; rows from a pool of random rows, so the heap holds the pool and the row references only. */
    private static void writeLarge(Path file, int n) {
        Rng rng = new Rng(7);
        int pool = 4096;
        float[][] rows = new float[pool][SIDE];
        for (float[] row : rows) for (int j = 0; j < SIDE; j++) row[j] = (float) rng.nextNormal();
        float[][][] x = new float[n][SIDE][];
        float[][][] y = new float[n][SIDE][];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < SIDE; r++) {
                x[i][r] = rows[rng.nextInt(pool)];
                y[i][r] = rows[rng.nextInt(pool)];
            }
        }
        try (WritableHdfFile w = HdfFile.write(file)) {
            w.putAttribute("opforge_format", "dataset");
            w.putAttribute("source", "Hdf5Bench synthetic data (rows drawn from a pool of 4096 random rows)");
            w.putDataset("x", x);
            w.putDataset("y", y);
        }
    }
}
