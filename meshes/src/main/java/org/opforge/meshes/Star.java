package org.opforge.meshes;

import java.util.function.DoubleSupplier;

/**
 * The star-shaped domain of WoS-NO: in polar coordinates around {@code (cx, cy)},
 * {@code |x - c| < R (1 + c1 cos 4θ + c2 cos 8θ)}.
 *
 * <p>The curve has no closed-form distance, so the SDF is the exact distance to a fine inscribed
 * polyline ({@value #VERTICES} vertices) minus a bound on how far the curve strays from its
 * chords, which makes {@code |sdf|} a certified lower bound of the true distance (the contract of
 * {@link Geometry2D}). Its sign comes from the exact radial test. Queries prune chunks of
 * segments by bounding circles, so a call costs a few hundred flops, not thousands.
 */
public final class Star implements Geometry2D {
    static final int VERTICES = 4096;
    private static final int CHUNK = 32;

    private final double cx;
    private final double cy;
    private final double scale;
    private final double c1;
    private final double c2;
    private final double[] vx = new double[VERTICES + 1];
    private final double[] vy = new double[VERTICES + 1];
    private final double[] chunkX;
    private final double[] chunkY;
    private final double[] chunkR;
    private final double[] cumulative = new double[VERTICES + 1];
    private final double chordError;
    private final Box2D bounds;

    /**
     * @param cx centre x
     * @param cy centre y
     * @param scale radius scale {@code R > 0}
     * @param c1 coefficient of {@code cos 4θ}
     * @param c2 coefficient of {@code cos 8θ}
     * @throws IllegalArgumentException when the radius function is not positive for every angle (the curve
     *     would pass through or around the centre and enclose nothing star-shaped)
     */
    public Star(double cx, double cy, double scale, double c1, double c2) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("star scale must be positive and finite, got " + scale);
        }
        if (!Double.isFinite(c1) || !Double.isFinite(c2)) {
            throw new IllegalArgumentException("star coefficients must be finite, got c1=" + c1 + ", c2=" + c2);
        }
        this.cx = cx;
        this.cy = cy;
        this.scale = scale;
        this.c1 = c1;
        this.c2 = c2;
        double minRho = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 8 * VERTICES; k++) {
            minRho = Math.min(minRho, rho(2 * Math.PI * k / (8 * VERTICES)));
        }
        if (!(minRho > 1e-3)) {
            throw new IllegalArgumentException("star radius 1 + c1 cos4θ + c2 cos8θ must stay positive, but with c1=" + c1 + ", c2=" + c2
                    + " its minimum is " + minRho + ": the curve does not enclose a star-shaped domain");
        }
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        double err = 0;
        for (int k = 0; k <= VERTICES; k++) {
            double t = 2 * Math.PI * k / VERTICES;
            double r = scale * rho(t);
            vx[k] = cx + r * Math.cos(t);
            vy[k] = cy + r * Math.sin(t);
            xmin = Math.min(xmin, vx[k]);
            xmax = Math.max(xmax, vx[k]);
            ymin = Math.min(ymin, vy[k]);
            ymax = Math.max(ymax, vy[k]);
            if (k > 0) {
                cumulative[k] = cumulative[k - 1] + Math.hypot(vx[k] - vx[k - 1], vy[k] - vy[k - 1]);
                // how far the true arc leaves the chord, probed inside the segment
                for (int q = 1; q < 8; q++) {
                    double tq = 2 * Math.PI * (k - 1 + q / 8.0) / VERTICES;
                    double rq = scale * rho(tq);
                    err = Math.max(err, segmentDistance(cx + rq * Math.cos(tq), cy + rq * Math.sin(tq), k - 1));
                }
            }
        }
        // the probe may miss the peak deviation by a little: keep a safety factor
        this.chordError = 1.5 * err + 1e-12 * scale;
        this.bounds = new Box2D(xmin - chordError, ymin - chordError, xmax + chordError, ymax + chordError);
        int chunks = VERTICES / CHUNK;
        chunkX = new double[chunks];
        chunkY = new double[chunks];
        chunkR = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            double mx = 0;
            double my = 0;
            for (int k = c * CHUNK; k <= (c + 1) * CHUNK; k++) {
                mx += vx[k];
                my += vy[k];
            }
            mx /= CHUNK + 1;
            my /= CHUNK + 1;
            double rr = 0;
            for (int k = c * CHUNK; k <= (c + 1) * CHUNK; k++) {
                rr = Math.max(rr, Math.hypot(vx[k] - mx, vy[k] - my));
            }
            chunkX[c] = mx;
            chunkY[c] = my;
            chunkR[c] = rr * (1 + 1e-12) + 1e-15;
        }
    }

    /** The WoS-NO star {@code r(θ) = 1 + c1 cos 4θ + c2 cos 8θ} centred at the origin. */
    public static Star of(double c1, double c2) {
        return new Star(0, 0, 1, c1, c2);
    }

    /** Dimensionless radius {@code 1 + c1 cos 4θ + c2 cos 8θ}. */
    private double rho(double theta) {
        return 1 + c1 * Math.cos(4 * theta) + c2 * Math.cos(8 * theta);
    }

    /** Boundary radius in the direction of {@code (dx, dy)} from the centre, without trigonometric calls. */
    private double radiusToward(double dx, double dy, double r2) {
        // cos 2θ = (dx² - dy²) / r², cos 4θ = 2 cos² 2θ - 1, cos 8θ = 2 cos² 4θ - 1
        double cos2 = (dx * dx - dy * dy) / r2;
        double cos4 = 2 * cos2 * cos2 - 1;
        double cos8 = 2 * cos4 * cos4 - 1;
        return scale * (1 + c1 * cos4 + c2 * cos8);
    }

    @Override
    public boolean contains(double x, double y) {
        double dx = x - cx;
        double dy = y - cy;
        double r2 = dx * dx + dy * dy;
        return r2 == 0 || Math.sqrt(r2) < radiusToward(dx, dy, r2);
    }

    @Override
    public double sdf(double x, double y) {
        double dx = x - cx;
        double dy = y - cy;
        double r2 = dx * dx + dy * dy;
        boolean inside = r2 == 0 || Math.sqrt(r2) < radiusToward(dx, dy, r2);
        // start from the chunk in the same direction: usually the nearest one
        double theta = Math.atan2(dy, dx);
        if (theta < 0) {
            theta += 2 * Math.PI;
        }
        int chunks = chunkX.length;
        int start = Math.min(chunks - 1, (int) (theta / (2 * Math.PI) * chunks));
        double best = chunkDistance(x, y, start);
        double r = Math.sqrt(r2);
        // every polyline point within 'best' lies in the disc around (x, y) of that radius, which a ray
        // from the centre sees under the angles theta ± asin(best / r) when it does not hold the centre;
        // segment k spans the angles [2πk/V, 2π(k+1)/V], so only the chunks meeting that window can do better
        int reach = chunks / 2;
        if (best < r) {
            double alpha = Math.asin(best / r);
            reach = Math.min(reach, (int) Math.ceil(alpha / (2 * Math.PI) * chunks) + 1);
        }
        for (int step = 1; step <= reach; step++) {
            for (int side = -1; side <= 1; side += 2) {
                int c = Math.floorMod(start + side * step, chunks);
                if (side == 1 && step == chunks - step) {
                    continue; // the opposite chunk, already visited from the other side
                }
                double ex = x - chunkX[c];
                double ey = y - chunkY[c];
                double rc = best + chunkR[c];
                if (ex * ex + ey * ey < rc * rc) {
                    best = Math.min(best, chunkDistance(x, y, c));
                }
            }
        }
        double d = Math.max(best - chordError, 0.0);
        return inside ? -d : d;
    }

    /** The point of the curve on the ray from the centre through {@code (x, y)} (exactly on the boundary). */
    @Override
    public double[] project(double x, double y) {
        double dx = x - cx;
        double dy = y - cy;
        double r2 = dx * dx + dy * dy;
        if (r2 == 0) {
            return boundaryPoint(0);
        }
        double k = radiusToward(dx, dy, r2) / Math.sqrt(r2);
        return new double[] {cx + k * dx, cy + k * dy};
    }

    private double chunkDistance(double x, double y, int c) {
        double best2 = Double.POSITIVE_INFINITY;
        for (int k = c * CHUNK; k < (c + 1) * CHUNK; k++) {
            best2 = Math.min(best2, segmentDistance2(x, y, k));
        }
        return Math.sqrt(best2);
    }

    private double segmentDistance(double x, double y, int k) {
        return Math.sqrt(segmentDistance2(x, y, k));
    }

    private double segmentDistance2(double x, double y, int k) {
        double ax = vx[k];
        double ay = vy[k];
        double bx = vx[k + 1] - ax;
        double by = vy[k + 1] - ay;
        double px = x - ax;
        double py = y - ay;
        double t = (px * bx + py * by) / (bx * bx + by * by);
        t = t < 0 ? 0 : (t > 1 ? 1 : t);
        double qx = px - t * bx;
        double qy = py - t * by;
        return qx * qx + qy * qy;
    }

    /** Boundary point at angle {@code theta}. */
    public double[] boundaryPoint(double theta) {
        double r = scale * rho(theta);
        return new double[] {cx + r * Math.cos(theta), cy + r * Math.sin(theta)};
    }

    /** Coefficient of {@code cos 4θ}. */
    public double c1() {
        return c1;
    }

    /** Coefficient of {@code cos 8θ}. */
    public double c2() {
        return c2;
    }

    /** Upper bound on the distance between the true curve and the polyline used for distances. */
    public double chordError() {
        return chordError;
    }

    @Override
    public Box2D bounds() {
        return bounds;
    }

    @Override
    public double perimeter() {
        return cumulative[VERTICES];
    }

    @Override
    public double[] sampleBoundary(int n, DoubleSupplier uniform01) {
        double[] xy = new double[2 * n];
        double total = cumulative[VERTICES];
        for (int i = 0; i < n; i++) {
            double s = total * uniform01.getAsDouble();
            int lo = 0;
            int hi = VERTICES;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] <= s) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double frac = (s - cumulative[lo]) / (cumulative[hi] - cumulative[lo]);
            double theta = 2 * Math.PI * (lo + frac) / VERTICES;
            double r = scale * rho(theta);
            xy[2 * i] = cx + r * Math.cos(theta);
            xy[2 * i + 1] = cy + r * Math.sin(theta);
        }
        return xy;
    }

    @Override
    public String toString() {
        return "Star[c=(" + cx + ", " + cy + "), R=" + scale + ", c1=" + c1 + ", c2=" + c2 + "]";
    }
}
