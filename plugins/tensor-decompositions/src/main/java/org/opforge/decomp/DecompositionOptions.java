package org.opforge.decomp;

/**
 * Settings of the iterative decompositions.
 *
 * @param maxIterations ALS / HOOI sweeps at most (each sweep updates every factor once)
 * @param tolerance     stop when the relative reconstruction error changes by less than this between sweeps
 * @param cpInit        how CP-ALS starts
 * @param tuckerAlgorithm HOSVD (one pass, quasi-optimal) or HOOI (alternating refinement from HOSVD)
 * @param seed          seed of the random initialization and of random padding columns
 */
public record DecompositionOptions(int maxIterations, double tolerance, CpInit cpInit, TuckerAlgorithm tuckerAlgorithm, long seed) {
    /** CP-ALS starting point. */
    public enum CpInit {
        /** Factor k = leading R left singular vectors of the mode-k unfolding (random columns beyond I_k). */
        SVD,
        /** Factors with i.i.d. standard normal entries. */
        RANDOM
    }

    public enum TuckerAlgorithm { HOSVD, HOOI }

    public DecompositionOptions {
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be at least 1, found " + maxIterations);
        if (!(tolerance >= 0)) throw new IllegalArgumentException("tolerance must be >= 0, found " + tolerance);
        if (cpInit == null) throw new IllegalArgumentException("cpInit must not be null");
        if (tuckerAlgorithm == null) throw new IllegalArgumentException("tuckerAlgorithm must not be null");
    }

    /** 500 sweeps, tolerance 1e-12, SVD initialization, HOOI, seed 0. */
    public static DecompositionOptions defaults() {
        return new DecompositionOptions(500, 1e-12, CpInit.SVD, TuckerAlgorithm.HOOI, 0L);
    }

    public DecompositionOptions withMaxIterations(int n) { return new DecompositionOptions(n, tolerance, cpInit, tuckerAlgorithm, seed); }

    public DecompositionOptions withTolerance(double t) { return new DecompositionOptions(maxIterations, t, cpInit, tuckerAlgorithm, seed); }

    public DecompositionOptions withCpInit(CpInit i) { return new DecompositionOptions(maxIterations, tolerance, i, tuckerAlgorithm, seed); }

    public DecompositionOptions withTuckerAlgorithm(TuckerAlgorithm a) { return new DecompositionOptions(maxIterations, tolerance, cpInit, a, seed); }

    public DecompositionOptions withSeed(long s) { return new DecompositionOptions(maxIterations, tolerance, cpInit, tuckerAlgorithm, s); }
}
