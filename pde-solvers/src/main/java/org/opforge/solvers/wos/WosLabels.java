package org.opforge.solvers.wos;

import java.util.List;
import java.util.stream.IntStream;
import org.opforge.solvers.Seeds;

/**
 * Online Walk-on-Spheres labels (WoS-NO): at every refresh each interior point of each instance gets
 * {@code K} fresh walks, and its label is the running mean of all walks drawn so far
 * ({@code K(e+1)} of them after refresh {@code e = 0, 1, ...}); boundary points carry {@code g}
 * exactly. The walks of point {@code p} of instance {@code i} at refresh {@code e} use the stream
 * {@code derive(derive(derive(seed, i), p), e)}, so labels do not depend on the thread count or on
 * the order of the work. Not thread-safe: one trainer refreshes it.
 */
public final class WosLabels {
    private final List<WalkOnSpheres> solvers;
    private final List<double[]> points;
    private final int walks;
    private final WalkOnSpheres.FirstStep first;
    private final long seed;
    private final double[][] sums;
    private final int[] offsets;
    private int refreshes;
    private double seconds;
    private double meanSteps;

    /**
     * @param solvers one solver per instance (its domain, source and boundary data)
     * @param points per instance, the interior points {@code x0, y0, x1, y1, ...} to label
     * @param walks {@code K}, walks per point and refresh
     * @param first how the first steps are drawn (paired modes need an even {@code K} of at least 4)
     */
    public WosLabels(List<WalkOnSpheres> solvers, List<double[]> points, int walks, WalkOnSpheres.FirstStep first, long seed) {
        if (solvers.size() != points.size() || solvers.isEmpty()) {
            throw new IllegalArgumentException("WoS labels need one point set per solver, found " + solvers.size() + " solvers and "
                    + points.size() + " point sets");
        }
        if (walks < 2 || (first.paired() && (walks % 2 != 0 || walks < 4))) {
            throw new IllegalArgumentException("walks per refresh must be at least 2 (even and at least 4 with " + first
                    + " first steps), found " + walks);
        }
        this.solvers = List.copyOf(solvers);
        this.points = points.stream().map(double[]::clone).toList();
        this.walks = walks;
        this.first = first;
        this.seed = seed;
        sums = new double[solvers.size()][];
        offsets = new int[solvers.size() + 1];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = new double[this.points.get(i).length / 2];
            offsets[i + 1] = offsets[i] + sums[i].length;
        }
    }

    /**
     * Draws {@code K} more walks at every point and returns the running means, per instance (the
     * arrays are fresh copies).
     */
    public double[][] refresh() {
        long t0 = System.nanoTime();
        int e = refreshes;
        double[] steps = new double[offsets[sums.length]];
        IntStream.range(0, offsets[sums.length]).parallel().forEach(k -> {
            int i = instanceOf(k);
            int p = k - offsets[i];
            double[] xy = points.get(i);
            Estimate est = solvers.get(i).estimate(xy[2 * p], xy[2 * p + 1], walks, Seeds.derive(Seeds.derive(Seeds.derive(seed, i), p), e),
                    first);
            sums[i][p] += est.mean() * walks;
            steps[k] = est.meanSteps();
        });
        refreshes++;
        double total = 0;
        for (double s : steps) {
            total += s;
        }
        meanSteps = total / steps.length;
        seconds += (System.nanoTime() - t0) / 1e9;
        return means();
    }

    /** The running means after the refreshes so far. */
    public double[][] means() {
        if (refreshes == 0) {
            throw new IllegalStateException("no walks drawn yet: call refresh() first");
        }
        double[][] out = new double[sums.length][];
        double n = (double) walks * refreshes;
        for (int i = 0; i < sums.length; i++) {
            out[i] = new double[sums[i].length];
            for (int p = 0; p < out[i].length; p++) {
                out[i][p] = sums[i][p] / n;
            }
        }
        return out;
    }

    private int instanceOf(int k) {
        int lo = 0;
        int hi = sums.length;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (offsets[mid] <= k) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {@code K}: walks per point and refresh. */
    public int walks() {
        return walks;
    }

    /** Refreshes so far. */
    public int refreshes() {
        return refreshes;
    }

    /** Walks per point drawn so far. */
    public int walksPerPoint() {
        return walks * refreshes;
    }

    /** Wall-clock seconds spent in {@link #refresh()}. */
    public double seconds() {
        return seconds;
    }

    /** Mean number of steps per walk in the last refresh. */
    public double meanSteps() {
        return meanSteps;
    }

    public int instances() {
        return sums.length;
    }
}
