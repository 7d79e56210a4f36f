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
 */
public final class WosLabelSource implements LabelSource {
    /** How the labels evolve over the epochs. */
    public enum Refresh { ACCUMULATE, FIXED }

    private final StarPoissonSet set;
    private final WosLabels labels;
    private final Refresh refresh;
    private final float[] targets;

    /**
     * @param walks {@code K}, walks per interior point and refresh
     * @param first how the first steps of a point's walks are drawn
     * @param epsilon the boundary shell width
     */
    public WosLabelSource(StarPoissonSet set, int walks, WalkOnSpheres.FirstStep first, double epsilon, Refresh refresh, long seed) {
        this.set = set;
        this.refresh = refresh;
        List<WalkOnSpheres> solvers = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < set.samples(); i++) {
            solvers.add(set.solver(i, epsilon, 100_000));
            points.add(set.interiorPoints(i));
        }
        labels = new WosLabels(solvers, points, walks, first, seed);
        targets = new float[set.samples() * set.points()];
        for (int i = 0; i < set.samples(); i++) {
            for (int p = 0; p < set.boundaryPoints(); p++) {
                // feature 2 is g at the nearest boundary point: at a boundary point, g there
                targets[i * set.points() + p] = (float) set.feature(i, p, 2);
            }
        }
    }

    @Override
    public Tensor targets(int epoch) {
        if (epoch < 1) throw new IllegalArgumentException("epochs count from 1, found " + epoch);
        int needed = refresh == Refresh.FIXED ? 1 : epoch;
        double[][] means = null;
        while (labels.refreshes() < needed) means = labels.refresh();
        if (means == null) means = labels.means();
        int nb = set.boundaryPoints();
        for (int i = 0; i < set.samples(); i++) {
            for (int p = nb; p < set.points(); p++) targets[i * set.points() + p] = (float) means[i][p - nb];
        }
        return Tensor.of(targets, set.samples(), set.points());
    }

    @Override
    public double seconds() { return labels.seconds(); }

    /** Walks per interior point behind the current labels. */
    public int walksPerPoint() { return labels.walksPerPoint(); }

    /** Mean steps per walk in the last refresh. */
    public double meanSteps() { return labels.meanSteps(); }
}
