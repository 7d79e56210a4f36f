package org.opforge.decomp.factorized;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/**
 * Tensor-train weight {@code W[i_0..i_{N-1}] = G_0[:, i_0, :] ... G_{N-1}[:, i_{N-1}, :]} with trainable
 * cores G_k (r_k, I_k, r_{k+1}), r_0 = r_N = 1.
 */
public final class TtFactorizedTensor implements FactorizedTensor {
    private final Tensor[] cores;
    private final int[] shape;
    private final int[] ranks;

    public TtFactorizedTensor(List<Tensor> cores) {
        if (cores.isEmpty()) throw new IllegalArgumentException("a tensor train needs at least one core");
        this.cores = cores.toArray(new Tensor[0]);
        int n = this.cores.length;
        shape = new int[n];
        ranks = new int[n + 1];
        ranks[0] = 1;
        for (int k = 0; k < n; k++) {
            Tensor c = this.cores[k];
            if (c.dim() != 3 || c.size(0) != ranks[k]) {
                throw new IllegalArgumentException("TT core " + k + " must be (" + ranks[k] + ", I_" + k + ", r_" + (k + 1) + "), found "
                        + Arrays.toString(c.shape()));
            }
            if (c.dtype() != this.cores[0].dtype()) {
                throw new IllegalArgumentException("TT core " + k + " has dtype " + c.dtype() + ", core 0 " + this.cores[0].dtype());
            }
            shape[k] = c.size(1);
            ranks[k + 1] = c.size(2);
            FactorizedTensors.trainable(c);
        }
        if (ranks[n] != 1) throw new IllegalArgumentException("the last TT core must end in rank 1, found " + Arrays.toString(this.cores[n - 1].shape()));
    }

    @Override public TensorFormat format() { return TensorFormat.TT; }

    @Override public int[] shape() { return shape.clone(); }

    @Override public DType dtype() { return cores[0].dtype(); }

    @Override public int[] ranks() { return ranks.clone(); }

    public Tensor core(int k) { return cores[k]; }

    @Override public Map<String, Tensor> parameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (int k = 0; k < cores.length; k++) p.put("factors." + k, cores[k]);
        return p;
    }

    @Override public long parameterCount() {
        long p = 0;
        for (Tensor c : cores) p += c.numel();
        return p;
    }

    @Override public Tensor reconstruct() {
        return chain(0, cores.length).reshape(shape);
    }

    /** Product of cores from..to-1 as a matrix (r_from * I_from...I_{to-1}, r_to), left to right. */
    private Tensor chain(int from, int to) {
        Tensor acc = cores[from].reshape(ranks[from] * shape[from], ranks[from + 1]);
        for (int k = from + 1; k < to; k++) {
            acc = acc.matmul(cores[k].reshape(ranks[k], shape[k] * ranks[k + 1])).reshape(-1, ranks[k + 1]);
        }
        return acc;
    }

    /**
     * {@code y[b,o,m] = sum_{a,c} (sum_i x[b,i,m] G_0[i,a]) G_1[a,o,c] H[c,m]} with {@code H} the product
     * of the mode cores G_2..G_{N-1} as an (r_2, M) matrix: project the channels on G_0, apply G_1 per
     * mode as {@code (B, M, r_1) @ (r_1, O r_2)}, and contract r_2 with H per mode.
     */
    @Override public Tensor contract(Tensor x) {
        if (shape.length < 2) throw new IllegalStateException("contract needs a weight of shape (I, O, modes...), found " + Arrays.toString(shape));
        Contractions.Shape sh = Contractions.Shape.check(x, shape);
        int r1 = ranks[1], r2 = ranks[2];
        Tensor xa = x.reshape(sh.b, sh.in, sh.m).permute(0, 2, 1).matmul(cores[0].reshape(sh.in, r1));
        Tensor u = xa.matmul(cores[1].reshape(r1, sh.out * r2)).reshape(sh.b, sh.m, sh.out, r2);
        Tensor y;
        if (cores.length == 2) {
            y = u.reshape(sh.b, sh.m, sh.out);
        } else {
            Tensor h = chain(2, cores.length).reshape(r2, sh.m);
            y = u.matmul(h.transpose(0, 1).reshape(sh.m, r2, 1)).reshape(sh.b, sh.m, sh.out);
        }
        return y.permute(0, 2, 1).reshape(sh.outShape);
    }
}
