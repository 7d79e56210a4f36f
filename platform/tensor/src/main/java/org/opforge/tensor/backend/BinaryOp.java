package org.opforge.tensor.backend;

/** Element-wise binary kernels with NumPy broadcasting (see {@link Backend#binary}). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
    /** 1 where a > b else 0. */
    GT,
    /** 1 where a == b else 0. */
    EQ
}
