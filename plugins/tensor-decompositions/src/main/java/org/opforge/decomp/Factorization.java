package org.opforge.decomp;

/**
 * A tensor in a low-rank format, with float64 factors. Implementations are immutable value types.
 */
public sealed interface Factorization permits CpTensor, TuckerTensor, TtTensor {
    DecompositionMethod method();

    /** Shape of the full tensor this factorization represents. */
    int[] shape();

    /** The full tensor (tensorly {@code cp_to_tensor}, {@code tucker_to_tensor}, {@code tt_to_tensor}). */
    DenseTensor toTensor();

    /** Number of stored values: every entry of every factor, core and weight vector. */
    long parameterCount();

    /** The ranks: {@code [R]} for CP, the core shape for Tucker, {@code [1, r_1, ..., r_{N-1}, 1]} for TT. */
    int[] ranks();
}
