package org.opforge.tensor.nn.loss;

import org.opforge.tensor.Tensor;

/** How per-sample values become the loss: their mean (PyTorch's 'mean', FNO's size_average) or their sum. */
public enum Reduction {
    MEAN, SUM;

    /** Reduces a 1-D tensor of per-sample values to a 0-d one. */
    public Tensor reduce(Tensor perSample) {
        return this == MEAN ? perSample.mean() : perSample.sum();
    }
}
