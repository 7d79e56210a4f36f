package org.opforge.decomp.factorized;

/**
 * Outcome of compressing a dense weight: trainable factorized weights, the relative reconstruction
 * error {@code ||W - W_hat||_F / ||W||_F} (computed in float64) and the parameter counts (a complex
 * entry counts once).
 *
 * @param iterations ALS / HOOI sweeps used (0 for one-pass methods)
 */
public record CompressionReport(FactorizedTensor factorized, double relativeError, long denseParameters,
                                long factorizedParameters, int iterations) {

    public TensorFormat format() { return factorized.format(); }

    /** dense / factorized parameter count. */
    public double compressionRatio() { return (double) denseParameters / factorizedParameters; }

    /** factorized / dense parameter count. */
    public double parameterFraction() { return (double) factorizedParameters / denseParameters; }
}
