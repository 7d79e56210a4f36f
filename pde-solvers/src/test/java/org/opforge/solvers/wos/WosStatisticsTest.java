package org.opforge.solvers.wos;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opforge.meshes.Star;
import org.opforge.solvers.Seeds;

/**
 * The Walk-on-Spheres estimator against the closed-form solutions of the WoS-NO family on the
 * peer's star (c1 = 0.1, c2 = 0.05, ε = 1e-3): unbiased (errors over standard errors are standard
 * normal), error ∝ 1/√K, and paired first steps lower the variance at equal K.
 */
class WosStatisticsTest {
    private static final Star STAR = Star.of(0.1, 0.05);
    private static final int INSTANCE_COUNT = 16;
    private static final int PER_INSTANCE = 40;
    private static final int POINTS = INSTANCE_COUNT * PER_INSTANCE;

    /**
     * Instances and points: 16 instances, 40 interior points each, uniform in the star at depth
     * at least 0.02 (inside the ε shell a walk stops at once and reports a zero standard error
     * beside its O(ε) shell bias).
     */
    private static final ManufacturedPoisson[] INSTANCES = new ManufacturedPoisson[INSTANCE_COUNT];
    private static final double[][] XY = new double[INSTANCE_COUNT][];

    static {
        Random r = new Random(3);
        for (int i = 0; i < INSTANCE_COUNT; i++) {
            INSTANCES[i] = ManufacturedPoisson.draw(r::nextDouble, r::nextGaussian, 0.5, 0.5);
            XY[i] = new double[2 * PER_INSTANCE];
            for (int p = 0; p < PER_INSTANCE; ) {
                double[] q = STAR.sampleInterior(1, r::nextDouble);
                if (STAR.sdf(q[0], q[1]) < -0.02) {
                    XY[i][2 * p] = q[0];
                    XY[i][2 * p + 1] = q[1];
                    p++;
                }
            }
        }
    }

    /** {errors, standard errors} over all points with K walks per point. */
    private static double[][] run(int points, int walks, WalkOnSpheres.FirstStep first, long seed) {
        double[] err = new double[points * INSTANCE_COUNT];
        double[] se = new double[points * INSTANCE_COUNT];
        for (int i = 0; i < INSTANCE_COUNT; i++) {
            WalkOnSpheres wos = INSTANCES[i].walkOnSpheres(STAR, 1e-3, 100_000);
            for (int p = 0; p < points; p++) {
                double x = XY[i][2 * p];
                double y = XY[i][2 * p + 1];
                Estimate e = wos.estimate(x, y, walks, Seeds.derive(seed, i * 1000L + p), first);
                err[i * points + p] = e.mean() - INSTANCES[i].u(x, y);
                se[i * points + p] = e.standardError();
            }
        }
        return new double[][] {err, se};
    }

    private static double meanSquare(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s / v.length;
    }

    @Test
    void errorOverStandardErrorIsStandardNormal() {
        for (WalkOnSpheres.FirstStep first : new WalkOnSpheres.FirstStep[] {WalkOnSpheres.FirstStep.INDEPENDENT,
                WalkOnSpheres.FirstStep.ANTITHETIC}) {
            // walk scores are skewed (a rare walk reaches a large disc near a bump), so the sample standard
            // error is only reliable for many walks: K = 512
            double[][] r = run(8, 512, first, 17);
            int n = r[0].length;
            double mean = 0;
            double m2 = 0;
            double errSum = 0;
            double varSum = 0;
            for (int k = 0; k < n; k++) {
                double z = r[0][k] / r[1][k];
                mean += z;
                m2 += z * z;
                errSum += r[0][k];
                varSum += r[1][k] * r[1][k];
            }
            mean /= n;
            double sd = Math.sqrt(m2 / n - mean * mean);
            double pooled = errSum / Math.sqrt(varSum);
            System.out.printf("%s: z mean %.3f, z std %.3f over %d points, K = 512; pooled error / its standard error %.2f%n", first, mean,
                    sd, n, pooled);
            // the pooled error has a standard normal law when the estimator is unbiased
            assertEquals(0, pooled, 3, first + ": summed error over its standard error");
            // 128 z-scores: the mean's standard error is 0.09 (skewed scores also pull the mean of z slightly
            // negative: a missed rare walk makes both the error and the standard error small)
            assertEquals(0, mean, 0.35, first + ": mean of error / standard error");
            assertEquals(1, sd, 0.2, first + ": standard deviation of error / standard error");
        }
    }

    @Test
    void errorFallsAsOneOverSqrtK() {
        int[] walks = {16, 64, 256};
        double[] rms = new double[walks.length];
        for (int k = 0; k < walks.length; k++) {
            rms[k] = Math.sqrt(meanSquare(run(16, walks[k], WalkOnSpheres.FirstStep.INDEPENDENT, 100 + k)[0]));
        }
        double slope = Math.log(rms[2] / rms[0]) / Math.log((double) walks[2] / walks[0]);
        System.out.printf("RMS error at K = 16, 64, 256: %.4f %.4f %.4f, slope %.3f%n", rms[0], rms[1], rms[2], slope);
        assertEquals(-0.5, slope, 0.08, "log-log slope of the RMS error against K");
    }

    @Test
    void pairedFirstStepsLowerTheVarianceAtEqualK() {
        double independent = meanSquare(run(PER_INSTANCE, 16, WalkOnSpheres.FirstStep.INDEPENDENT, 7)[0]);
        double stratified = meanSquare(run(PER_INSTANCE, 16, WalkOnSpheres.FirstStep.STRATIFIED, 7)[0]);
        double antithetic = meanSquare(run(PER_INSTANCE, 16, WalkOnSpheres.FirstStep.ANTITHETIC, 7)[0]);
        double both = meanSquare(run(PER_INSTANCE, 16, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 7)[0]);
        System.out.printf("mean squared error at K = 16 over %d points: independent %.5f, stratified %.5f (%.2fx), antithetic %.5f (%.2fx), "
                + "stratified+antithetic %.5f (%.2fx)%n", POINTS, independent, stratified, stratified / independent, antithetic,
                antithetic / independent, both, both / independent);
        assertTrue(antithetic < 0.92 * independent, "antithetic " + antithetic + " vs independent " + independent);
        assertTrue(both < 0.92 * independent, "stratified+antithetic " + both + " vs independent " + independent);
        assertTrue(stratified < 0.92 * independent, "stratified " + stratified + " vs independent " + independent);
    }

    @Test
    void onlineLabelsAreARunningMeanReproducibleAcrossRefreshes() {
        WalkOnSpheres wos = INSTANCES[0].walkOnSpheres(STAR, 1e-3, 100_000);
        WosLabels a = new WosLabels(java.util.List.of(wos, wos), java.util.List.of(XY[0], XY[1]), 10,
                WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 5);
        double[][] first = a.refresh();
        double[][] second = a.refresh();
        assertEquals(20, a.walksPerPoint());
        WosLabels b = new WosLabels(java.util.List.of(wos, wos), java.util.List.of(XY[0], XY[1]), 10,
                WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 5);
        assertArrayEquals(first[1], b.refresh()[1], 0.0);
        // the second refresh alone, from its own streams: the running mean is the average of both
        for (int p = 0; p < 3; p++) {
            double x = XY[1][2 * p];
            double y = XY[1][2 * p + 1];
            double e1 = wos.estimate(x, y, 10, Seeds.derive(Seeds.derive(Seeds.derive(5, 1), p), 1),
                    WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC).mean();
            assertEquals(0.5 * (first[1][p] + e1), second[1][p], 1e-12);
        }
    }
}
