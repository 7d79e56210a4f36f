package org.opforge.decomp;

import java.util.Arrays;
import java.util.List;

/**
 * A Tucker tensor: core {@code G} of shape {@code (r_0, ..., r_{N-1})} and factors {@code U_k} of shape
 * {@code (I_k, r_k)}, representing {@code X = G x_0 U_0 x_1 U_1 ... x_{N-1} U_{N-1}}, i.e.
 * {@code X[i...] = sum_{a...} G[a_0, ..., a_{N-1}] prod_k U_k[i_k, a_k]} (tensorly {@code tucker_to_tensor}).
 */
public final class TuckerTensor implements Factorization {
    private final DenseTensor core;
    private final DenseTensor[] factors;
    private final int[] shape;

    public TuckerTensor(DenseTensor core, List<DenseTensor> factors) {
        int[] cs = core.shape();
        if (factors.size() != cs.length) {
            throw new IllegalArgumentException("TuckerTensor: a core of order " + cs.length + " needs " + cs.length
                    + " factors, found " + factors.size());
        }
        this.core = core;
        this.factors = factors.toArray(new DenseTensor[0]);
        this.shape = new int[cs.length];
        for (int k = 0; k < cs.length; k++) {
            int[] fs = this.factors[k].shape();
            if (fs.length != 2 || fs[1] != cs[k]) {
                throw new IllegalArgumentException("TuckerTensor: factor " + k + " must be (I_" + k + ", " + cs[k]
                        + ") for core shape " + Arrays.toString(cs) + ", found " + Arrays.toString(fs));
            }
            shape[k] = fs[0];
        }
    }

    @Override public DecompositionMethod method() { return DecompositionMethod.TUCKER; }

    @Override public int[] shape() { return shape.clone(); }

    @Override public int[] ranks() { return core.shape(); }

    public DenseTensor core() { return core; }

    public DenseTensor factor(int k) { return factors[k]; }

    public List<DenseTensor> factors() { return List.of(factors); }

    /** prod_k r_k + sum_k I_k r_k. */
    @Override public long parameterCount() {
        long p = core.numel();
        for (DenseTensor f : factors) p += f.numel();
        return p;
    }

    @Override public DenseTensor toTensor() {
        DenseTensor x = core;
        for (int k = 0; k < factors.length; k++) x = TensorAlgebra.modeDot(x, factors[k], k);
        return x;
    }

    @Override public String toString() {
        return "TuckerTensor(shape=" + Arrays.toString(shape) + ", ranks=" + Arrays.toString(core.shape()) + ")";
    }
}
