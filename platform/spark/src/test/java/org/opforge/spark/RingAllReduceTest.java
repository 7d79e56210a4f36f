package org.opforge.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RingAllReduceTest {
    @Test
    void everyRankGetsTheSameSumWhateverTheRingSize() throws Exception {
        for (int k : new int[] {1, 2, 3, 4}) {
            int n = 1001; // not a multiple of k: chunks of unequal length
            float[][] v = new float[k][n];
            SplittableRandom rnd = new SplittableRandom(k);
            double[] sum = new double[n];
            for (int r = 0; r < k; r++) for (int i = 0; i < n; i++) {
                v[r][i] = (float) rnd.nextGaussian();
                sum[i] += v[r][i];
            }
            List<ServerSocket> servers = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int r = 0; r < k; r++) {
                ServerSocket s = RingAllReduce.listen();
                servers.add(s);
                addresses.add("127.0.0.1:" + s.getLocalPort());
            }
            ExecutorService pool = Executors.newFixedThreadPool(k);
            try {
                List<Future<float[]>> fs = new ArrayList<>();
                for (int r = 0; r < k; r++) {
                    int rank = r;
                    fs.add(pool.submit(() -> {
                        try (RingAllReduce ring = RingAllReduce.connect(rank, addresses, servers.get(rank), 10_000)) {
                            assertEquals(k, ring.replicas());
                            ring.allReduceSum(v[rank]);
                            ring.allReduceSum(new float[0]);
                            return v[rank];
                        }
                    }));
                }
                float[] first = fs.get(0).get();
                for (int i = 0; i < n; i++) assertEquals(sum[i], first[i], 1e-5, "k=" + k + " element " + i);
                for (Future<float[]> f : fs) assertArrayEquals(first, f.get(), "k=" + k + ": the same bits on every rank");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
