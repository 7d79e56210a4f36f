package org.opforge.tensor.golden;

import java.util.Set;

/**
 * Rebuilds one kind of golden computation (the file's {@code case} attribute) from its {@code spec}
 * with the engine. Handlers are grouped by area (core, conv, spectral, nn) in classes listed in
 * {@link GoldenCases#ALL}; the test dispatches every file to the handler that claims its case.
 */
public interface GoldenCase {
    /** The {@code case} attribute values this handler computes. */
    Set<String> cases();

    /**
     * Runs the computation. Inputs and parameters come from {@link GoldenFile#input} and
     * {@link GoldenFile#param} (fresh leaves that require a gradient); the returned map holds one
     * tensor per dataset of {@code outputs/} (complex outputs as complex tensors), still attached to
     * the graph. The harness then forms L = sum_k sum(out_k * upstream_k), runs backward, and compares
     * outputs and the gradients of every leaf with {@code grads/}.
     */
    java.util.Map<String, org.opforge.tensor.Tensor> run(GoldenFile file);

    /**
     * Relative tolerance of the comparison max|got - ref| <= tol * max|ref| for this file: 1e-5 for
     * float32 computations (references are exact to ~1 float32 ulp, PyTorch's own float32 error is
     * ~1e-7), 1e-10 for float64 ones. Override only with a reason (long float32 chains such as a full
     * FNO accumulate more rounding).
     */
    default double tolerance(GoldenFile file) {
        return file.isFloat64() ? 1e-10 : 1e-5;
    }
}
