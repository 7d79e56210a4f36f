package org.opforge.decomp.factorized;

import java.util.Map;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/**
 * A weight tensor of shape {@code (I, O, m_1, ..., m_d)} held as trainable factors (leaves with
 * {@code requiresGrad}). Both {@link #reconstruct()} and {@link #contract(Tensor)} are built from
 * differentiable tensor ops, so a loss computed from either sends gradients to the factors.
 *
 * <p>The contraction is the spectral channel mixing of (T)FNO:
 * {@code y[b, o, m] = sum_i x[b, i, m] W[i, o, m]} for every multi-index m of the trailing modes
 * (einsum {@code "bi...,io...->bo..."}); implementations contract factor by factor without forming W.
 */
public interface FactorizedTensor {
    TensorFormat format();

    /** Shape of the full tensor. */
    int[] shape();

    /** Element type of the factors and of the full tensor (real or complex). */
    DType dtype();

    /** CP {@code [R]}; Tucker the core shape; TT {@code [1, r_1, ..., 1]}; dense the shape. */
    int[] ranks();

    /**
     * The trainable leaves by name, in a fixed order, named as tltorch's state_dict keys: {@code weights},
     * {@code factors.k} (CP); {@code core}, {@code factors.k} (Tucker); {@code factors.k} (TT cores);
     * {@code tensor} (dense).
     */
    Map<String, Tensor> parameters();

    /** Number of stored entries (a complex entry counts once). */
    long parameterCount();

    /** The full tensor, differentiable with respect to the factors. */
    Tensor reconstruct();

    /**
     * {@code y[b, o, m...] = sum_i x[b, i, m...] W[i, o, m...]} for x of shape {@code (B, I, m_1..m_d)};
     * returns {@code (B, O, m_1..m_d)}. Equal to {@link Contractions#contractDense}{@code (x, reconstruct())}.
     */
    Tensor contract(Tensor x);
}
