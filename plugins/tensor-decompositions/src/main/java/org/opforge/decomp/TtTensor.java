package org.opforge.decomp;

import java.util.Arrays;
import java.util.List;

/**
 * A tensor train (matrix product state): cores {@code G_k} of shape {@code (r_k, I_k, r_{k+1})} with
 * {@code r_0 = r_N = 1}, representing
 * {@code X[i_0, ..., i_{N-1}] = G_0[:, i_0, :] G_1[:, i_1, :] ... G_{N-1}[:, i_{N-1}, :]}
 * (a product of r_k x r_{k+1} matrices; tensorly {@code tt_to_tensor}).
 */
public final class TtTensor implements Factorization {
    private final DenseTensor[] cores;
    private final int[] shape;
    private final int[] ranks;

    public TtTensor(List<DenseTensor> cores) {
        if (cores.isEmpty()) throw new IllegalArgumentException("TtTensor: at least one core is needed");
        this.cores = cores.toArray(new DenseTensor[0]);
        int n = this.cores.length;
        shape = new int[n];
        ranks = new int[n + 1];
        ranks[0] = 1;
        for (int k = 0; k < n; k++) {
            int[] cs = this.cores[k].shape();
            if (cs.length != 3 || cs[0] != ranks[k]) {
                throw new IllegalArgumentException("TtTensor: core " + k + " must be (" + ranks[k] + ", I_" + k + ", r_" + (k + 1)
                        + "), found " + Arrays.toString(cs));
            }
            shape[k] = cs[1];
            ranks[k + 1] = cs[2];
        }
        if (ranks[n] != 1) {
            throw new IllegalArgumentException("TtTensor: the last core must end in rank 1, found " + Arrays.toString(this.cores[n - 1].shape()));
        }
    }

    @Override public DecompositionMethod method() { return DecompositionMethod.TT; }

    @Override public int[] shape() { return shape.clone(); }

    /** {@code [1, r_1, ..., r_{N-1}, 1]}. */
    @Override public int[] ranks() { return ranks.clone(); }

    public DenseTensor core(int k) { return cores[k]; }

    public List<DenseTensor> cores() { return List.of(cores); }

    /** sum_k r_k I_k r_{k+1}. */
    @Override public long parameterCount() {
        long p = 0;
        for (DenseTensor c : cores) p += c.numel();
        return p;
    }

    /**
     * Contracts left to right: the partial product is a matrix (I_0...I_k, r_{k+1}) multiplied by core
     * k+1 reshaped to (r_{k+1}, I_{k+1} r_{k+2}), then reshaped to (I_0...I_{k+1}, r_{k+2}).
     */
    @Override public DenseTensor toTensor() {
        double[] acc = cores[0].raw();
        int rows = shape[0];
        for (int k = 1; k < cores.length; k++) {
            acc = Matrices.mul(acc, cores[k].raw(), rows, ranks[k], shape[k] * ranks[k + 1]);
            rows *= shape[k];
        }
        return DenseTensor.wrap(cores.length == 1 ? acc.clone() : acc, shape);
    }

    @Override public String toString() {
        return "TtTensor(shape=" + Arrays.toString(shape) + ", ranks=" + Arrays.toString(ranks) + ")";
    }
}
