package org.opforge.decomp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random test tensors: planted low-rank tensors in each format and Gaussian noise of a given relative size. */
final class Planted {
    private Planted() {}

    static DenseTensor gaussian(Random rnd, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rnd.nextGaussian();
        return DenseTensor.of(d, shape);
    }

    static CpTensor cp(Random rnd, int rank, int... shape) {
        List<DenseTensor> f = new ArrayList<>();
        for (int s : shape) f.add(gaussian(rnd, s, rank));
        double[] w = new double[rank];
        for (int r = 0; r < rank; r++) w[r] = 1 + rnd.nextDouble();
        return new CpTensor(w, f);
    }

    static TuckerTensor tucker(Random rnd, int[] ranks, int... shape) {
        List<DenseTensor> f = new ArrayList<>();
        for (int k = 0; k < shape.length; k++) f.add(gaussian(rnd, shape[k], ranks[k]));
        return new TuckerTensor(gaussian(rnd, ranks), f);
    }

    static TtTensor tt(Random rnd, int[] ranks, int... shape) {
        List<DenseTensor> c = new ArrayList<>();
        for (int k = 0; k < shape.length; k++) c.add(gaussian(rnd, ranks[k], shape[k], ranks[k + 1]));
        return new TtTensor(c);
    }

    /** x + e with e Gaussian scaled to ||e|| = level ||x||; returns {x + e, e}. */
    static DenseTensor[] withNoise(Random rnd, DenseTensor x, double level) {
        DenseTensor e = gaussian(rnd, x.shape());
        e = e.scale(level * x.norm() / e.norm());
        return new DenseTensor[] {x.add(e), e};
    }
}
