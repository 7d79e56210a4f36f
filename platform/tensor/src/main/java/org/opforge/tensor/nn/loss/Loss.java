package org.opforge.tensor.nn.loss;

import org.opforge.tensor.Tensor;

/** A differentiable scalar loss of a prediction against a target (the target gets no gradient use). */
@FunctionalInterface
public interface Loss {
    /** A 0-d tensor. */
    Tensor apply(Tensor prediction, Tensor target);
}
