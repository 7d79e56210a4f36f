package org.opforge.decomp.factorized;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/**
 * Tucker weight {@code W = G x_0 U_0 x_1 U_1 ... x_{N-1} U_{N-1}} with a trainable core G
 * (r_0..r_{N-1}) and factors U_k (I_k, r_k).
 */
public final class TuckerFactorizedTensor implements FactorizedTensor {
    private final Tensor core;
    private final Tensor[] factors;
    private final int[] shape;

    public TuckerFactorizedTensor(Tensor core, List<Tensor> factors) {
        int[] cs = core.shape();
        if (factors.size() != cs.length) {
            throw new IllegalArgumentException("Tucker core of order " + cs.length + " needs " + cs.length + " factors, found " + factors.size());
        }
        this.factors = factors.toArray(new Tensor[0]);
        shape = new int[cs.length];
        for (int k = 0; k < cs.length; k++) {
            Tensor f = this.factors[k];
            if (f.dim() != 2 || f.size(1) != cs[k]) {
                throw new IllegalArgumentException("Tucker factor " + k + " must be (I_" + k + ", " + cs[k] + ") for core "
                        + Arrays.toString(cs) + ", found " + Arrays.toString(f.shape()));
            }
            if (f.dtype() != core.dtype()) {
                throw new IllegalArgumentException("Tucker factor " + k + " has dtype " + f.dtype() + ", the core " + core.dtype());
            }
            shape[k] = f.size(0);
            FactorizedTensors.trainable(f);
        }
        this.core = FactorizedTensors.trainable(core);
    }

    @Override public TensorFormat format() { return TensorFormat.TUCKER; }

    @Override public int[] shape() { return shape.clone(); }

    @Override public DType dtype() { return core.dtype(); }

    @Override public int[] ranks() { return core.shape(); }

    public Tensor core() { return core; }

    public Tensor factor(int k) { return factors[k]; }

    @Override public Map<String, Tensor> parameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("core", core);
        for (int k = 0; k < factors.length; k++) p.put("factors." + k, factors[k]);
        return p;
    }

    @Override public long parameterCount() {
        long p = core.numel();
        for (Tensor f : factors) p += f.numel();
        return p;
    }

    @Override public Tensor reconstruct() {
        Tensor t = core;
        for (int k = 0; k < factors.length; k++) t = Contractions.modeDot(t, factors[k], k);
        return t;
    }

    /**
     * Projects the input channels on U_0 ({@code (B, M, r_0)}), expands the core along the modes only
     * ({@code G_m[m, a, c] = (G x_{k>=2} U_k)[a, c, m]}), contracts the two per mode m
     * ({@code (M, B, r_0) @ (M, r_0, r_1)}) and expands the output channels with U_1.
     */
    @Override public Tensor contract(Tensor x) {
        if (shape.length < 2) throw new IllegalStateException("contract needs a weight of shape (I, O, modes...), found " + Arrays.toString(shape));
        Contractions.Shape sh = Contractions.Shape.check(x, shape);
        int r0 = core.size(0), r1 = core.size(1);
        Tensor xa = x.reshape(sh.b, sh.in, sh.m).permute(0, 2, 1).matmul(factors[0]);
        Tensor gm = core;
        for (int k = 2; k < factors.length; k++) gm = Contractions.modeDot(gm, factors[k], k);
        gm = gm.reshape(r0, r1, sh.m).permute(2, 0, 1);
        Tensor z = xa.permute(1, 0, 2).matmul(gm);
        Tensor y = z.matmul(factors[1].transpose(0, 1));
        return y.permute(1, 2, 0).reshape(sh.outShape);
    }
}
