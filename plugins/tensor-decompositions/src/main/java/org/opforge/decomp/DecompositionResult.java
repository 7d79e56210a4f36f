package org.opforge.decomp;

/**
 * A decomposition with its quality: {@code relativeError = ||X - X_hat||_F / ||X||_F} computed from the
 * explicit reconstruction, and parameter counts of the dense and the factorized form.
 *
 * @param iterations ALS / HOOI sweeps done (0 for the one-pass HOSVD and TT-SVD)
 * @param converged  whether the error change fell below the tolerance before the sweep limit (true for one-pass methods)
 */
public record DecompositionResult(Factorization factorization, double relativeError, long denseParameters,
                                  long factorizedParameters, int iterations, boolean converged) {

    public DecompositionMethod method() { return factorization.method(); }

    /** factorized / dense parameter count. */
    public double parameterFraction() { return (double) factorizedParameters / denseParameters; }

    /** dense / factorized parameter count. */
    public double compressionRatio() { return (double) denseParameters / factorizedParameters; }

    static DecompositionResult of(DenseTensor x, Factorization f, int iterations, boolean converged) {
        return new DecompositionResult(f, f.toTensor().relativeErrorTo(x), x.numel(), f.parameterCount(), iterations, converged);
    }
}
