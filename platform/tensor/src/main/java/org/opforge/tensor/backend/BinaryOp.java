package org.opforge.tensor.backend;

/** Element-wise binary kernels with NumPy broadcasting (see {@link Backend#binary}). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
    /** 1 where a > b else 0. */
    GT,
    /** 1 where a == b else 0. */
    EQ,
    /**
     * {@code a H(b)} with H(b) = 1 for b > 0, 0 for b <= 0 and NaN for NaN b, the product in IEEE arithmetic:
     * ReLU's backward (a the upstream gradient, b the ReLU input) in one pass instead of a step and a product.
     */
    RELU_GRAD
}
