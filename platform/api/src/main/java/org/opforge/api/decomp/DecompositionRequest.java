package org.opforge.api.decomp;

import java.util.Objects;

/**
 * What to decompose into and how. Immutable.
 *
 * @param method          "cp", "tucker" or "tt"
 * @param rank            a fraction of the dense parameter count with a decimal point or exponent
 *                        ({@code "0.1"}), one rank ({@code "5"}), ranks per mode ({@code "4,4,2"}),
 *                        or, for tensor trains, {@code "tol=EPS"}: the smallest ranks with
 *                        {@code ||X - X_tt|| <= EPS ||X||}
 * @param maxIterations   ALS / HOOI sweeps at most
 * @param stopTolerance   stop when the relative error changes by less than this between sweeps
 * @param cpInit          CP-ALS start: "svd" or "random"
 * @param tuckerAlgorithm "hooi" or "hosvd"
 * @param seed            seed of random initializations
 */
public record DecompositionRequest(String method, String rank, int maxIterations, double stopTolerance, String cpInit,
                                   String tuckerAlgorithm, long seed) {
    public DecompositionRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rank, "rank");
        Objects.requireNonNull(cpInit, "cpInit");
        Objects.requireNonNull(tuckerAlgorithm, "tuckerAlgorithm");
    }

    /** {@code method} at {@code rank}: 500 sweeps, stop tolerance 1e-12, SVD start, HOOI, seed 0. */
    public static DecompositionRequest of(String method, String rank) {
        return new DecompositionRequest(method, rank, 500, 1e-12, "svd", "hooi", 0L);
    }

    public DecompositionRequest withIterations(int max, double stop) {
        return new DecompositionRequest(method, rank, max, stop, cpInit, tuckerAlgorithm, seed);
    }

    public DecompositionRequest withCpInit(String init) {
        return new DecompositionRequest(method, rank, maxIterations, stopTolerance, init, tuckerAlgorithm, seed);
    }

    public DecompositionRequest withTuckerAlgorithm(String algorithm) {
        return new DecompositionRequest(method, rank, maxIterations, stopTolerance, cpInit, algorithm, seed);
    }

    public DecompositionRequest withSeed(long s) {
        return new DecompositionRequest(method, rank, maxIterations, stopTolerance, cpInit, tuckerAlgorithm, s);
    }
}
