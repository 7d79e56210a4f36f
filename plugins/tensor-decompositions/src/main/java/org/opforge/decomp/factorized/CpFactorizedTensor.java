package org.opforge.decomp.factorized;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/**
 * CP weight {@code W[i_0..i_{N-1}] = sum_r w[r] prod_k U_k[i_k, r]} with trainable weights w (R) and
 * factors U_k (I_k, R).
 */
public final class CpFactorizedTensor implements FactorizedTensor {
    private final Tensor weights;
    private final Tensor[] factors;
    private final int[] shape;
    private final int rank;

    /** Takes the given leaves (marked trainable); all of one dtype and device. */
    public CpFactorizedTensor(Tensor weights, List<Tensor> factors) {
        if (weights.dim() != 1) throw new IllegalArgumentException("CP weights must be a vector, found shape " + Arrays.toString(weights.shape()));
        if (factors.isEmpty()) throw new IllegalArgumentException("CP needs at least one factor");
        rank = weights.size(0);
        this.factors = factors.toArray(new Tensor[0]);
        shape = new int[this.factors.length];
        for (int k = 0; k < shape.length; k++) {
            Tensor f = this.factors[k];
            if (f.dim() != 2 || f.size(1) != rank) {
                throw new IllegalArgumentException("CP factor " + k + " must be (I_" + k + ", " + rank + "), found " + Arrays.toString(f.shape()));
            }
            if (f.dtype() != weights.dtype()) {
                throw new IllegalArgumentException("CP factor " + k + " has dtype " + f.dtype() + ", the weights " + weights.dtype());
            }
            shape[k] = f.size(0);
            FactorizedTensors.trainable(f);
        }
        this.weights = FactorizedTensors.trainable(weights);
    }

    @Override public TensorFormat format() { return TensorFormat.CP; }

    @Override public int[] shape() { return shape.clone(); }

    @Override public DType dtype() { return weights.dtype(); }

    @Override public int[] ranks() { return new int[] {rank}; }

    public Tensor weights() { return weights; }

    public Tensor factor(int k) { return factors[k]; }

    @Override public Map<String, Tensor> parameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("weights", weights);
        for (int k = 0; k < factors.length; k++) p.put("factors." + k, factors[k]);
        return p;
    }

    @Override public long parameterCount() {
        long p = rank;
        for (int s : shape) p += (long) s * rank;
        return p;
    }

    /**
     * Splits the modes in two halves and forms {@code (KR(U_0..U_{h-1}) diag(w)) KR(U_h..U_{N-1})^T},
     * which is the full tensor in C order; memory is (P_left + P_right) R instead of numel R.
     */
    @Override public Tensor reconstruct() {
        int h = (shape.length + 1) / 2;
        List<Tensor> all = Arrays.asList(factors);
        Tensor left = Contractions.khatriRao(all.subList(0, h), rank, dtype(), weights.device()).mul(weights);
        Tensor right = Contractions.khatriRao(all.subList(h, all.size()), rank, dtype(), weights.device());
        return left.matmul(right.transpose(0, 1)).reshape(shape);
    }

    /**
     * {@code y[b,o,m] = sum_r U_1[o,r] (w[r] prod_k U_{k+2}[m_k,r]) (sum_i x[b,i,m] U_0[i,r])}: project the
     * input channels on U_0, scale by the Khatri-Rao product of the mode factors, expand with U_1.
     */
    @Override public Tensor contract(Tensor x) {
        requireShape();
        Contractions.Shape sh = Contractions.Shape.check(x, shape);
        Tensor xa = x.reshape(sh.b, sh.in, sh.m).permute(0, 2, 1).matmul(factors[0]);
        List<Tensor> modes = Arrays.asList(factors).subList(2, factors.length);
        Tensor km = Contractions.khatriRao(modes, rank, dtype(), weights.device()).mul(weights);
        Tensor y = xa.mul(km).matmul(factors[1].transpose(0, 1));
        return y.permute(0, 2, 1).reshape(sh.outShape);
    }

    private void requireShape() {
        if (shape.length < 2) throw new IllegalStateException("contract needs a weight of shape (I, O, modes...), this CP tensor has shape " + Arrays.toString(shape));
    }
}
