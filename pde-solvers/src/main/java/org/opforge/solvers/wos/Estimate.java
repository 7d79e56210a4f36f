package org.opforge.solvers.wos;

/**
 * A Monte Carlo estimate: the sample mean of {@code walks} independent walk scores, its standard
 * error {@code s / √walks} ({@code s} the sample standard deviation), and the mean walk length.
 */
public record Estimate(double mean, double standardError, int walks, double meanSteps) {
}
