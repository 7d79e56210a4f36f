package org.opforge.api.decomp;

/**
 * The outcome of a decomposition. Immutable.
 *
 * @param method                the method's name ("tucker")
 * @param rank                  the rank as requested, in canonical form ("0.1", "5", "[4, 4, 2]", "tol=0.01")
 * @param ranks                 the ranks chosen (CP: R; Tucker: one per mode; TT: the N+1 boundary-inclusive ranks)
 * @param denseParameters       entries of the dense tensor
 * @param factorizedParameters  entries of the factors
 * @param relativeError         {@code ||X - X'||_F / ||X||_F}
 * @param iterations            sweeps done (1 for one-pass algorithms)
 */
public record DecompositionSummary(String method, String rank, int[] ranks, long denseParameters, long factorizedParameters,
                                   double relativeError, int iterations) {
    public DecompositionSummary {
        ranks = ranks.clone();
    }

    @Override
    public int[] ranks() {
        return ranks.clone();
    }
}
