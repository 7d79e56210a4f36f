package org.opforge.solvers.wos;

import java.util.stream.IntStream;
import org.opforge.meshes.Box2D;
import org.opforge.meshes.Geometry2D;
import org.opforge.solvers.FastRandom;
import org.opforge.solvers.Seeds;

/**
 * Walk-on-Spheres (Muller 1956) for the Poisson problem {@code -Δu = f} in a 2-D domain with
 * {@code u = g} on its boundary.
 *
 * <p>From {@code x₀}, a walk repeatedly jumps to a uniform point on the largest circle around the
 * current point that fits in the domain (radius {@code R = |sdf(x)|}), until it is within
 * {@code ε} of the boundary; it then scores {@code g} at the boundary point next to it
 * ({@link Geometry2D#project}). Each visited disc adds an unbiased one-sample estimate of the source
 * integral {@code ∫_B G_R(x, y) f(y) dy}, with the disc's Green's function
 * {@code G_R(x, y) = ln(R / |y - x|) / 2π}: drawing {@code y} with density proportional to
 * {@code G_R}, whose integral is {@code R²/4}, the estimate is {@code (R²/4) f(y)}. The radial
 * density {@code ∝ r ln(R/r)} is sampled exactly as {@code r = R √(U₁U₂)}.
 *
 * <p>The walk's score is unbiased up to the {@code O(ε)} shell. The estimate at a point reports
 * the standard error of the mean of its walks. Point {@code p} of a batch uses the random stream
 * {@code Seeds.derive(seed, p)}, so batches are reproducible for any thread count. Instances are
 * immutable and thread-safe if the fields and geometry are.
 */
public final class WalkOnSpheres {
    private final Geometry2D domain;
    private final Field2D source;
    private final Field2D boundary;
    private final double epsilon;
    private final int maxSteps;

    /**
     * @param domain the domain (its SDF magnitude must not exceed the distance to the boundary)
     * @param source {@code f}, or {@code null} for the Laplace equation
     * @param boundary {@code g}, evaluated on (or within {@code ε} of) the boundary
     * @param epsilon shell width, positive and small compared with the domain
     * @param maxSteps cap on the steps of one walk (a walk that reaches it scores {@code g} where it stopped)
     * @throws IllegalArgumentException for a non-positive shell or step cap, or a domain that encloses nothing
     */
    public WalkOnSpheres(Geometry2D domain, Field2D source, Field2D boundary, double epsilon, int maxSteps) {
        if (domain == null || boundary == null) {
            throw new IllegalArgumentException("Walk-on-Spheres needs a domain and boundary data g");
        }
        Box2D b = domain.bounds();
        double size = Math.max(b.width(), b.height());
        if (!(epsilon > 0) || !(epsilon < 0.5 * size)) {
            throw new IllegalArgumentException("Walk-on-Spheres epsilon must be positive and small compared with the domain size " + size
                    + ", got " + epsilon);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("Walk-on-Spheres maxSteps must be positive, got " + maxSteps);
        }
        requireNonEmpty(domain, epsilon);
        this.domain = domain;
        this.source = source;
        this.boundary = boundary;
        this.epsilon = epsilon;
        this.maxSteps = maxSteps;
    }

    /** Defaults: {@code ε = 1e-4} times the domain size, at most 10,000 steps per walk. */
    public static WalkOnSpheres of(Geometry2D domain, Field2D source, Field2D boundary) {
        Box2D b = domain.bounds();
        return new WalkOnSpheres(domain, source, boundary, 1e-4 * Math.max(b.width(), b.height()), 10_000);
    }

    /** Searches a grid over the bounding box for a point deeper than ε: an empty domain fails here, before any walk. */
    private static void requireNonEmpty(Geometry2D domain, double epsilon) {
        Box2D b = domain.bounds();
        int n = 257;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = b.xmin() + b.width() * (i + 0.5) / n;
                double y = b.ymin() + b.height() * (j + 0.5) / n;
                if (domain.sdf(x, y) < -epsilon) {
                    return;
                }
            }
        }
        throw new IllegalArgumentException("the domain " + domain + " encloses nothing: its SDF is nowhere below -epsilon=" + epsilon
                + " on a 257x257 grid over its bounding box " + b);
    }

    public Geometry2D domain() {
        return domain;
    }

    public double epsilon() {
        return epsilon;
    }

    /** How the first steps of the walks from one point are drawn. */
    public enum FirstStep {
        /** every walk draws its first direction independently */
        INDEPENDENT,
        /**
         * the {@code K} first directions are stratified, one uniform in each of {@code [2πj/K, 2π(j+1)/K)}:
         * the mean stays unbiased; the reported standard error treats the walks as independent (an upper
         * bound)
         */
        STRATIFIED,
        /**
         * walks come in pairs whose first directions are opposite ({@code θ}, {@code θ + π}) with
         * {@code θ} uniform: the pair means are independent, so the reported standard error is exact
         */
        ANTITHETIC,
        /**
         * antithetic pairs whose {@code K/2} angles {@code θ_j} are stratified, one uniform in each of
         * {@code [jπ/(K/2), (j+1)π/(K/2))}: the mean stays unbiased and the standard error computed from
         * the pair means is an upper bound
         */
        STRATIFIED_ANTITHETIC;

        /** Whether walks come in antithetic pairs (then K must be even and at least 4). */
        public boolean paired() {
            return this == ANTITHETIC || this == STRATIFIED_ANTITHETIC;
        }
    }

    /** Estimate at one point with its own stream {@code seed}, independent first steps. */
    public Estimate estimate(double x, double y, int walks, long seed) {
        return estimate(x, y, walks, seed, FirstStep.INDEPENDENT);
    }

    /**
     * Estimate at one point with its own stream {@code seed}. With paired first steps, {@code walks}
     * must be even and the standard error comes from the {@code walks/2} pair means.
     */
    public Estimate estimate(double x, double y, int walks, long seed, FirstStep first) {
        boolean paired = first.paired();
        if (walks < 2 || (paired && (walks % 2 != 0 || walks < 4))) {
            throw new IllegalArgumentException(paired ? "walks must be even and at least 4 with " + first + " first steps, got " + walks
                    : "walks must be at least 2 to report a standard error, got " + walks);
        }
        checkInside(x, y, -1);
        FastRandom rng = new FastRandom(seed);
        double mean = 0;
        double m2 = 0;
        long steps = 0;
        int groups = paired ? walks / 2 : walks;
        double[] score = new double[2];
        for (int w = 0; w < groups; w++) {
            double value;
            if (paired) {
                double u = rng.nextDouble();
                double theta = Math.PI * (first == FirstStep.STRATIFIED_ANTITHETIC ? (w + u) / groups : u);
                double c = Math.cos(theta);
                double s = Math.sin(theta);
                walk(x, y, c, s, rng, score);
                value = score[0];
                steps += (long) score[1];
                walk(x, y, -c, -s, rng, score);
                value = 0.5 * (value + score[0]);
            } else if (first == FirstStep.STRATIFIED) {
                double theta = 2 * Math.PI * (w + rng.nextDouble()) / groups;
                walk(x, y, Math.cos(theta), Math.sin(theta), rng, score);
                value = score[0];
            } else {
                walk(x, y, 0, 0, rng, score);
                value = score[0];
            }
            steps += (long) score[1];
            // Welford's update keeps the variance accurate when the mean is large
            double d = value - mean;
            mean += d / (w + 1);
            m2 += d * (value - mean);
        }
        double var = m2 / (groups - 1);
        return new Estimate(mean, Math.sqrt(var / groups), walks, (double) steps / walks);
    }

    /**
     * Estimates at many points, in parallel. Point {@code p} uses stream {@code Seeds.derive(seed, p)}.
     *
     * @param xy interleaved coordinates {@code x0, y0, x1, y1, ...}
     * @param mean receives the estimates (length {@code xy.length / 2})
     * @param standardError receives their standard errors, or {@code null} when not wanted
     */
    public void estimate(double[] xy, int walks, long seed, double[] mean, double[] standardError) {
        int n = xy.length / 2;
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("interleaved coordinates must have even length, got " + xy.length);
        }
        if (mean.length < n || (standardError != null && standardError.length < n)) {
            throw new IllegalArgumentException("output arrays must hold " + n + " values");
        }
        for (int p = 0; p < n; p++) {
            checkInside(xy[2 * p], xy[2 * p + 1], p);
        }
        IntStream range = IntStream.range(0, n);
        if ((long) n * walks >= 2048) {
            range = range.parallel();
        }
        range.forEach(p -> {
            Estimate e = estimate(xy[2 * p], xy[2 * p + 1], walks, Seeds.derive(seed, p));
            mean[p] = e.mean();
            if (standardError != null) {
                standardError[p] = e.standardError();
            }
        });
    }

    private void checkInside(double x, double y, int p) {
        if (!(domain.sdf(x, y) <= 0)) {
            throw new IllegalArgumentException("query point " + (p >= 0 ? p + " " : "") + "(" + x + ", " + y + ") lies outside the domain "
                    + domain + " (sdf " + domain.sdf(x, y) + ")");
        }
    }

    /**
     * One walk, writing {@code {score, steps}} into {@code out}. A nonzero {@code (dx0, dy0)} (a unit
     * vector) is the direction of the first step; otherwise every direction is drawn.
     */
    private void walk(double x, double y, double dx0, double dy0, FastRandom rng, double[] out) {
        double acc = 0;
        int steps = 0;
        while (true) {
            double d = -domain.sdf(x, y);
            if (d < epsilon || steps >= maxSteps) {
                break;
            }
            double dx;
            double dy;
            if (steps == 0 && (dx0 != 0 || dy0 != 0)) {
                dx = dx0;
                dy = dy0;
            } else {
                // a uniform direction by rejection from the square: cheaper than cos/sin
                double r2;
                do {
                    dx = 2 * rng.nextDouble() - 1;
                    dy = 2 * rng.nextDouble() - 1;
                    r2 = dx * dx + dy * dy;
                } while (r2 > 1 || r2 < 1e-12);
                double inv = 1 / Math.sqrt(r2);
                dx *= inv;
                dy *= inv;
            }
            if (source != null) {
                // y ~ G_R(x, .) / (R²/4): radius R √(U₁U₂), direction independent and uniform (reuse the rotated one)
                double rad = d * Math.sqrt(rng.nextDouble() * rng.nextDouble());
                acc += 0.25 * d * d * source.value(x - rad * dy, y + rad * dx);
            }
            x += d * dx;
            y += d * dy;
            steps++;
        }
        // score g at the boundary point next to where the walk stopped
        double[] b = domain.project(x, y);
        x = b[0];
        y = b[1];
        out[0] = acc + boundary.value(x, y);
        out[1] = steps;
    }
}
