package org.opforge.hdf5;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.opforge.api.data.Batch;
import org.opforge.api.data.BatchLoader;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;

/**
 * Run by {@link StreamingTest} in a JVM with a small heap: streams one shuffled epoch of a file
 * several times larger than the heap through a prefetching {@link BatchLoader}, checks that every
 * sample arrives once with its own values, and fits {@code y = w x + b} by gradient descent on the
 * way. Prints OK and exits 0 on success.
 */
public final class StreamingMain {
    private StreamingMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long max = Runtime.getRuntime().maxMemory();
        long size = Files.size(file);
        System.out.printf("heap limit %.1f MB, file %.1f MB (%.1fx the heap)%n", max / 1e6, size / 1e6, (double) size / max);
        if (size < 4 * max) fail("the file must be at least 4x the heap");
        DatasetSource src = DatasetSource.find();
        long peak = 0;
        try (Dataset ds = src.open(file)) {
            int n = ds.samples();
            int side = ds.field("x").shape()[1];
            BatchLoader loader = BatchLoader.over(ds).fields("x", "y").batchSize(32).shuffle(7).prefetch(2).build();
            Tensor w = Tensor.scalar(0).requiresGrad(true);
            Tensor b = Tensor.scalar(0).requiresGrad(true);
            BitSet seen = new BitSet(n);
            double first = Double.NaN;
            double last = Double.NaN;
            int batches = 0;
            try (BatchLoader.Epoch epoch = loader.epoch(0)) {
                for (Batch batch : epoch) {
                    int[] idx = batch.samples();
                    float[] x = batch.get("x").toFloatArray();
                    float[] y = batch.get("y").toFloatArray();
                    int per = side * side;
                    for (int k = 0; k < idx.length; k++) {
                        if (seen.get(idx[k])) fail("sample " + idx[k] + " read twice");
                        seen.set(idx[k]);
                        // row 0 of each sample encodes its index: the batch holds the samples it names
                        for (int j = 0; j < side; j++) {
                            float want = idx[k] * (float) side + j;
                            if (x[k * per + j] != want || y[k * per + j] != -want) {
                                fail("sample " + idx[k] + " row 0 col " + j + ": x " + x[k * per + j] + " y " + y[k * per + j] + ", expected " + want);
                            }
                        }
                    }
                    Tensor xs = batch.get("x").slice(1, 1, side);
                    Tensor ys = batch.get("y").slice(1, 1, side);
                    Tensor loss = xs.mul(w).add(b).sub(ys).square().mean();
                    loss.backward();
                    try (var s = GradMode.noGrad()) {
                        w.assign(w.sub(w.grad().mul(0.3)));
                        b.assign(b.sub(b.grad().mul(0.3)));
                    }
                    w.zeroGrad();
                    b.zeroGrad();
                    double l = loss.item();
                    if (batches == 0) first = l;
                    last = l;
                    batches++;
                    Runtime rt = Runtime.getRuntime();
                    peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                }
            }
            if (seen.cardinality() != n) fail("saw " + seen.cardinality() + " of " + n + " samples");
            System.out.printf("%d batches, %d samples, loss %.4g -> %.4g, w %.4f b %.4f, peak heap used %.1f MB%n",
                    batches, n, first, last, w.item(), b.item(), peak / 1e6);
            if (!(last < first / 100)) fail("the fit did not converge");
            if (Math.abs(w.item() - 2) > 0.05 || Math.abs(b.item() - 1) > 0.05) fail("w, b not close to 2, 1");
        }
        System.out.println("OK");
    }

    private static void fail(String why) {
        System.out.println("FAIL: " + why);
        System.exit(1);
    }
}
