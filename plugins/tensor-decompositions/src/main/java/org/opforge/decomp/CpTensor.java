package org.opforge.decomp;

import java.util.Arrays;
import java.util.List;

/**
 * A rank-R CP (CANDECOMP/PARAFAC) tensor: weights {@code w} (R) and factors {@code U_k} of shape
 * {@code (I_k, R)}, representing {@code X[i_0, ..., i_{N-1}] = sum_r w[r] prod_k U_k[i_k, r]}
 * (tensorly {@code cp_to_tensor}).
 */
public final class CpTensor implements Factorization {
    private final double[] weights;
    private final DenseTensor[] factors;
    private final int[] shape;

    public CpTensor(double[] weights, List<DenseTensor> factors) {
        if (factors.isEmpty()) throw new IllegalArgumentException("CpTensor: at least one factor is needed");
        int rank = weights.length;
        this.weights = weights.clone();
        this.factors = factors.toArray(new DenseTensor[0]);
        this.shape = new int[this.factors.length];
        for (int k = 0; k < shape.length; k++) {
            int[] fs = this.factors[k].shape();
            if (fs.length != 2 || fs[1] != rank) {
                throw new IllegalArgumentException("CpTensor: factor " + k + " must be (I_" + k + ", " + rank + ") for "
                        + rank + " weights, found " + Arrays.toString(fs));
            }
            shape[k] = fs[0];
        }
    }

    @Override public DecompositionMethod method() { return DecompositionMethod.CP; }

    @Override public int[] shape() { return shape.clone(); }

    public int rank() { return weights.length; }

    @Override public int[] ranks() { return new int[] {weights.length}; }

    public double[] weights() { return weights.clone(); }

    public DenseTensor factor(int k) { return factors[k]; }

    public List<DenseTensor> factors() { return List.of(factors); }

    /** R + R * sum_k I_k. */
    @Override public long parameterCount() {
        long p = weights.length;
        for (int s : shape) p += (long) s * weights.length;
        return p;
    }

    /**
     * The full tensor, computed as {@code (U_0 diag(w)) KR(U_1, ..., U_{N-1})^T}: the mode-0 unfolding,
     * which in C order is the tensor itself.
     */
    @Override public DenseTensor toTensor() {
        int r = weights.length;
        double[] a = factors[0].raw().clone();
        for (int i = 0; i < shape[0]; i++) for (int q = 0; q < r; q++) a[i * r + q] *= weights[q];
        DenseTensor kr = TensorAlgebra.khatriRao(List.of(factors).subList(1, factors.length), r);
        int cols = kr.shape()[0];
        return DenseTensor.wrap(Matrices.mulTransB(a, kr.raw(), shape[0], r, cols), shape);
    }

    /**
     * The same tensor with unit-norm factor columns and the norms multiplied into the weights
     * (tensorly {@code cp_normalize}); a zero column keeps its values and gets weight 0.
     */
    public CpTensor normalize() {
        int r = weights.length;
        double[] w = weights.clone();
        DenseTensor[] f = new DenseTensor[factors.length];
        for (int k = 0; k < factors.length; k++) {
            double[] u = factors[k].raw().clone();
            int rows = shape[k];
            for (int q = 0; q < r; q++) {
                double n = 0;
                for (int i = 0; i < rows; i++) n += u[i * r + q] * u[i * r + q];
                n = Math.sqrt(n);
                if (n == 0) {
                    w[q] = 0;
                    continue;
                }
                for (int i = 0; i < rows; i++) u[i * r + q] /= n;
                w[q] *= n;
            }
            f[k] = DenseTensor.wrap(u, rows, r);
        }
        return new CpTensor(w, List.of(f));
    }

    @Override public String toString() {
        return "CpTensor(shape=" + Arrays.toString(shape) + ", rank=" + weights.length + ")";
    }
}
