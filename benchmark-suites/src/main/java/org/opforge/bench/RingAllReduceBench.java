package org.opforge.bench;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.opforge.spark.RingAllReduce;

/**
 * The TCP ring all-reduce of data-parallel training ({@code opforge train --spark ... --replicas N})
 * alone: {@code k} ranks as threads of one JVM over loopback sum a vector the size of a 1M-parameter
 * FNO's gradient (1,057,281 floats and the loss pair). Prints the median time of one all-reduce per
 * ring size: the transfer cost of a step when no replica waits for another.
 *
 * <pre>java -cp ... org.opforge.bench.RingAllReduceBench [--floats 1057283] [--ranks 2 4] [--calls 30]</pre>
 */
public final class RingAllReduceBench {
    private RingAllReduceBench() {}

    public static void main(String[] args) throws Exception {
        int floats = 1_057_283, calls = 30;
        List<Integer> ranks = new ArrayList<>(List.of(2, 4));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--floats" -> floats = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--ranks" -> {
                    ranks.clear();
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) ranks.add(Integer.parseInt(args[++i]));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --floats N, --ranks K..., --calls N");
            }
        }
        for (int k : ranks) {
            double[] ms = run(k, floats, calls);
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "ring all-reduce, %d ranks, %d floats: median %.1f ms, min %.1f ms over %d calls (%d warm-up)%n",
                    k, floats, ms[ms.length / 2], ms[0], calls, 5);
        }
    }

    /** Milliseconds of each timed call on rank 0 (after 5 warm-up calls). */
    private static double[] run(int k, int n, int calls) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            ServerSocket s = RingAllReduce.listen();
            servers.add(s);
            addresses.add("127.0.0.1:" + s.getLocalPort());
        }
        ExecutorService pool = Executors.newFixedThreadPool(k);
        try {
            List<Future<double[]>> fs = new ArrayList<>();
            for (int r = 0; r < k; r++) {
                int rank = r;
                fs.add(pool.submit(() -> {
                    float[] v = new float[n];
                    double[] ms = new double[calls];
                    try (RingAllReduce ring = RingAllReduce.connect(rank, addresses, servers.get(rank), 60_000)) {
                        for (int c = -5; c < calls; c++) {
                            Arrays.fill(v, rank + 1);
                            long t0 = System.nanoTime();
                            ring.allReduceSum(v);
                            if (c >= 0) ms[c] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    if (v[n - 1] != k * (k + 1) / 2f) throw new IllegalStateException("wrong sum " + v[n - 1]);
                    return ms;
                }));
            }
            double[] first = fs.get(0).get();
            for (Future<double[]> f : fs) f.get();
            return first;
        } finally {
            pool.shutdownNow();
        }
    }
}
