package org.opforge.tensor.backend;

/**
 * Element-wise real functions with at most one scalar parameter {@code p}. Each is a kernel, not a
 * differentiable op: the gradient rules live in {@code org.opforge.tensor.Tensor} and are composed
 * from these.
 */
public enum UnaryOp {
    NEG, ABS, SIGN, EXP,
    /** exp(x) - 1, accurate for small x. */
    EXPM1,
    LOG, SQRT, RSQRT, RECIPROCAL, SQUARE,
    SIN, COS, TANH, SIGMOID, ERF,
    RELU,
    /** 1 where x > 0, else 0 (derivative of relu, with 0 at x = 0 as in PyTorch). */
    STEP,
    /** Gaussian cdf: 0.5 (1 + erf(x / sqrt 2)). */
    NORMAL_CDF,
    /** Gaussian pdf: exp(-x^2/2) / sqrt(2 pi). */
    NORMAL_PDF,
    /** Exact GELU x Phi(x), Phi the Gaussian cdf (one pass instead of cdf then product). */
    GELU,
    /** Derivative of GELU: Phi(x) + x phi(x). */
    GELU_GRAD,
    /** log(1 + exp(x)), exactly x where x > p (PyTorch's softplus threshold; p = 20). */
    SOFTPLUS,
    /** x raised to the constant power p. */
    POW_SCALAR,
    /** x + p. */
    ADD_SCALAR,
    /** x * p. */
    MUL_SCALAR,
    /** min(max(x, -p), p)... not used for clamps with two bounds: see CLAMP_MIN / CLAMP_MAX. */
    CLAMP_MIN, CLAMP_MAX,
    /** 1 where x > p else 0. */
    GT_SCALAR
}
