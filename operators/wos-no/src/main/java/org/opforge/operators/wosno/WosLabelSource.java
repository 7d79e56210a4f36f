package org.opforge.operators.wosno;

import java.util.ArrayList;
import java.util.List;
import org.opforge.api.training.LabelSource;
import org.opforge.solvers.wos.WalkOnSpheres;
import org.opforge.solvers.wos.WosLabels;
import org.opforge.tensor.Tensor;

/**
 * Online Walk-on-Spheres labels for any operator trained on point values (WoS-NO): before epoch
 * {@code e} every interior point of every training sample gets {@code K} fresh walks and its label is
 * the running mean of all {@code K e} walks so far ({@link Refresh#ACCUMULATE}, the reference's
 * cache), or the {@code K} walks drawn once before the first epoch ({@link Refresh#FIXED}, a static
 * noisy data set); boundary points carry {@code g} exactly. Walks are seeded per (sample, point,
 * refresh) ({@link WosLabels}), so the labels do not depend on the thread count, and a run resumed
 * at epoch {@code e} sees the labels of an uninterrupted one.
 *
 * <p>On a masked grid ({@link #onGrid}) the labelled points are the inside nodes of each sample (point
 * {@code p} is the {@code p}-th inside node in row-major order) and the targets {@code [N, n, n]} are
 * 0 at the outside nodes, which a masked loss does not count.
 */
public final class WosLabelSource implements LabelSource {
    /** How the labels evolve over the epochs. */
    public enum Refresh { ACCUMULATE, FIXED }

    /**
     * Where the labels go: per sample the solver, the points to label (interleaved) and their positions
     * in the sample's row of the targets; the fixed values of the other positions; the targets' shape.
     */
    private record Layout(List<WalkOnSpheres> solvers, List<double[]> points, List<int[]> slots, float[] fixed, int[] shape) {}

    private final WosLabels labels;
    private final Refresh refresh;
    private final List<int[]> slots;
    private final float[] targets;
    private final int[] shape;

    /**
     * Labels at the interior points of a point-cloud set; the boundary points carry {@code g}.
     *
     * @param walks {@code K}, walks per interior point and refresh
     * @param first how the first steps of a point's walks are drawn
     * @param epsilon the boundary shell width
     */
    public WosLabelSource(StarPoissonSet set, int walks, WalkOnSpheres.FirstStep first, double epsilon, Refresh refresh, long seed) {
        this(points(set, epsilon), walks, first, refresh, seed);
    }

    /**
     * Labels at the inside nodes of a masked grid, 0 at the outside nodes.
     *
     * @param walks {@code K}, walks per inside node and refresh
     * @param first how the first steps of a node's walks are drawn
     * @param epsilon the boundary shell width
     */
    public static WosLabelSource onGrid(StarPoissonGrid grid, int walks, WalkOnSpheres.FirstStep first, double epsilon, Refresh refresh, long seed) {
        List<WalkOnSpheres> solvers = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        List<int[]> slots = new ArrayList<>();
        for (int i = 0; i < grid.samples(); i++) {
            solvers.add(grid.solver(i, epsilon, 100_000));
            points.add(grid.insidePoints(i));
            slots.add(grid.insideNodes(i));
        }
        int n = grid.resolution();
        return new WosLabelSource(new Layout(solvers, points, slots, new float[grid.samples() * n * n], new int[] {grid.samples(), n, n}), walks,
                first, refresh, seed);
    }

    private static Layout points(StarPoissonSet set, double epsilon) {
        List<WalkOnSpheres> solvers = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        List<int[]> slots = new ArrayList<>();
        int nb = set.boundaryPoints();
        int[] interior = new int[set.points() - nb];
        for (int p = 0; p < interior.length; p++) interior[p] = nb + p;
        float[] fixed = new float[set.samples() * set.points()];
        for (int i = 0; i < set.samples(); i++) {
            solvers.add(set.solver(i, epsilon, 100_000));
            points.add(set.interiorPoints(i));
            slots.add(interior);
            for (int p = 0; p < nb; p++) {
                // feature 2 is g at the nearest boundary point: at a boundary point, g there
                fixed[i * set.points() + p] = (float) set.feature(i, p, 2);
            }
        }
        return new Layout(solvers, points, slots, fixed, new int[] {set.samples(), set.points()});
    }

    private WosLabelSource(Layout layout, int walks, WalkOnSpheres.FirstStep first, Refresh refresh, long seed) {
        this.refresh = refresh;
        this.labels = new WosLabels(layout.solvers(), layout.points(), walks, first, seed);
        this.slots = layout.slots();
        this.targets = layout.fixed();
        this.shape = layout.shape();
    }

    @Override
    public Tensor targets(int epoch) {
        if (epoch < 1) throw new IllegalArgumentException("epochs count from 1, found " + epoch);
        int needed = refresh == Refresh.FIXED ? 1 : epoch;
        double[][] means = null;
        while (labels.refreshes() < needed) means = labels.refresh();
        if (means == null) means = labels.means();
        int per = targets.length / shape[0];
        for (int i = 0; i < means.length; i++) {
            int[] at = slots.get(i);
            for (int p = 0; p < at.length; p++) targets[i * per + at[p]] = (float) means[i][p];
        }
        return Tensor.of(targets, shape);
    }

    @Override
    public double seconds() { return labels.seconds(); }

    /** Walks per labelled point behind the current labels. */
    public int walksPerPoint() { return labels.walksPerPoint(); }

    /** Mean steps per walk in the last refresh. */
    public double meanSteps() { return labels.meanSteps(); }
}
