package org.opforge.decomp.factorized;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/** The dense format: the weight is one leaf; contraction is the batched matrix product over the modes. */
public final class DenseFactorizedTensor implements FactorizedTensor {
    private final Tensor tensor;

    /** Wraps {@code tensor} (shape (I, O, modes...)) and marks it as trainable. */
    public DenseFactorizedTensor(Tensor tensor) {
        if (tensor.dim() < 2) throw new IllegalArgumentException("dense weight must have at least 2 axes (I, O, ...), found " + tensor.dim());
        this.tensor = tensor.isLeaf() ? tensor.requiresGrad(true) : tensor;
    }

    @Override public TensorFormat format() { return TensorFormat.DENSE; }

    @Override public int[] shape() { return tensor.shape(); }

    @Override public DType dtype() { return tensor.dtype(); }

    @Override public int[] ranks() { return tensor.shape(); }

    @Override public Map<String, Tensor> parameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("tensor", tensor);
        return p;
    }

    @Override public long parameterCount() { return tensor.numel(); }

    @Override public Tensor reconstruct() { return tensor; }

    @Override public Tensor contract(Tensor x) { return Contractions.contractDense(x, tensor); }
}
