package org.opforge.meshes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A hierarchy of node-centred grids for problems with Dirichlet boundaries, holding only the
 * interior unknowns (boundary values are zero in the correction equations multigrid solves).
 *
 * <p>Along each axis a fine level with {@code m} interior nodes (full indices {@code 1..m}, the
 * boundary at {@code 0} and {@code m+1}) keeps the even nodes: the coarse level has
 * {@code m / 2} interior nodes, coarse node {@code c} sitting on fine node {@code 2c}. When
 * {@code m} is odd the coarse grid is uniform with twice the spacing; when {@code m} is even its
 * last interval is one fine spacing long. This makes every resolution coarsenable, not only
 * {@code 2^k - 1}, which matters for the 64x64 and 421x421 grids of published data sets.
 *
 * <p>Prolongation {@code P} is (multi)linear interpolation: a fine node on a coarse node copies
 * it, a fine node between two coarse nodes takes their mean (a boundary neighbour counts as 0);
 * in several dimensions {@code P} is the tensor product of the 1-D operators. Restriction is
 * {@code R = P^T}, the choice that keeps Galerkin coarse operators {@code P^T A P} symmetric;
 * dividing by {@code 2^d} gives the classical full-weighting stencil. Arrays are row-major
 * over the interior nodes of a level. Immutable and thread-safe.
 */
public final class MultigridHierarchy {
    private final int[][] sizes;

    private MultigridHierarchy(int[][] sizes) {
        this.sizes = sizes;
    }

    /**
     * Builds the hierarchy from the finest interior sizes down to the first level where some axis
     * has at most {@code coarsestMax} interior nodes (or where another halving would leave none).
     *
     * @param interiorSizes interior node counts per axis on the finest level (1 to 3 axes, each at least 1)
     * @param coarsestMax stop coarsening once an axis has at most this many interior nodes (at least 1)
     */
    public static MultigridHierarchy dirichlet(int[] interiorSizes, int coarsestMax) {
        if (interiorSizes.length < 1 || interiorSizes.length > 3) {
            throw new IllegalArgumentException("multigrid dimension must be 1, 2 or 3, got " + interiorSizes.length);
        }
        if (coarsestMax < 1) {
            throw new IllegalArgumentException("coarsestMax must be at least 1, got " + coarsestMax);
        }
        for (int d = 0; d < interiorSizes.length; d++) {
            if (interiorSizes[d] < 1) {
                throw new IllegalArgumentException("interior size along axis " + d + " must be at least 1, got " + interiorSizes[d]);
            }
        }
        List<int[]> levels = new ArrayList<>();
        int[] s = interiorSizes.clone();
        levels.add(s);
        while (true) {
            int min = Arrays.stream(s).min().getAsInt();
            if (min <= coarsestMax || min / 2 < 1) {
                break;
            }
            int[] c = new int[s.length];
            for (int d = 0; d < s.length; d++) {
                c[d] = s[d] / 2;
            }
            levels.add(c);
            s = c;
        }
        return new MultigridHierarchy(levels.toArray(new int[0][]));
    }

    /** Number of levels; level 0 is the finest. */
    public int levels() {
        return sizes.length;
    }

    public int dimensions() {
        return sizes[0].length;
    }

    /** Interior node counts per axis on a level (a copy). */
    public int[] interiorSizes(int level) {
        return sizes[level].clone();
    }

    /** Number of unknowns on a level. */
    public int unknowns(int level) {
        int n = 1;
        for (int s : sizes[level]) {
            n *= s;
        }
        return n;
    }

    /**
     * Fine-node index (1-based, along one axis) of coarse interior node {@code c} (1-based): {@code 2c}.
     * Exposed so operator-dependent code can map coordinates between levels.
     */
    public static int fineIndexOfCoarse(int c) {
        return 2 * c;
    }

    /** {@code fine += P coarse}, where {@code coarse} lives on {@code fineLevel + 1}. */
    public void prolongAdd(int fineLevel, double[] coarse, double[] fine) {
        checkLevel(fineLevel);
        int[] fs = sizes[fineLevel];
        int[] cs = sizes[fineLevel + 1];
        checkLength("coarse", coarse, cs);
        checkLength("fine", fine, fs);
        // apply the 1-D interpolation axis by axis, growing one axis at a time
        int[] shape = cs.clone();
        double[] cur = coarse;
        for (int d = 0; d < shape.length; d++) {
            int[] next = shape.clone();
            next[d] = fs[d];
            double[] out = new double[product(next)];
            interpolateAxis(cur, shape, d, fs[d], out);
            cur = out;
            shape = next;
        }
        for (int i = 0; i < fine.length; i++) {
            fine[i] += cur[i];
        }
    }

    /** {@code coarse = P^T fine}, where {@code coarse} lives on {@code fineLevel + 1}. */
    public void restrict(int fineLevel, double[] fine, double[] coarse) {
        checkLevel(fineLevel);
        int[] fs = sizes[fineLevel];
        int[] cs = sizes[fineLevel + 1];
        checkLength("fine", fine, fs);
        checkLength("coarse", coarse, cs);
        int[] shape = fs.clone();
        double[] cur = fine;
        for (int d = 0; d < shape.length; d++) {
            int[] next = shape.clone();
            next[d] = cs[d];
            double[] out = d == shape.length - 1 ? coarse : new double[product(next)];
            transposeInterpolateAxis(cur, shape, d, cs[d], out);
            cur = out;
            shape = next;
        }
    }

    /** Full-weighting restriction {@code coarse = 2^-d P^T fine}: the average that preserves constants in the interior. */
    public void restrictAverage(int fineLevel, double[] fine, double[] coarse) {
        restrict(fineLevel, fine, coarse);
        double s = 1.0 / (1 << dimensions());
        for (int i = 0; i < coarse.length; i++) {
            coarse[i] *= s;
        }
    }

    /**
     * Interpolates along axis {@code d} of a row-major array of shape {@code shape} whose axis d has the
     * coarse size, into {@code out} whose axis d has {@code fineSize} entries.
     */
    private static void interpolateAxis(double[] in, int[] shape, int d, int fineSize, double[] out) {
        int mc = shape[d];
        int outer = 1;
        for (int k = 0; k < d; k++) {
            outer *= shape[k];
        }
        int inner = 1;
        for (int k = d + 1; k < shape.length; k++) {
            inner *= shape[k];
        }
        for (int o = 0; o < outer; o++) {
            int inBase = o * mc * inner;
            int outBase = o * fineSize * inner;
            for (int a = 0; a < fineSize; a++) {
                int dst = outBase + a * inner;
                if ((a & 1) == 1) {
                    int src = inBase + (a >> 1) * inner;
                    System.arraycopy(in, src, out, dst, inner);
                } else {
                    int k = a >> 1; // neighbours are coarse k-1 and k (0-based)
                    boolean left = k >= 1;
                    boolean right = k <= mc - 1;
                    int l = inBase + (k - 1) * inner;
                    int r = inBase + k * inner;
                    for (int t = 0; t < inner; t++) {
                        double v = 0;
                        if (left) {
                            v += in[l + t];
                        }
                        if (right) {
                            v += in[r + t];
                        }
                        out[dst + t] = 0.5 * v;
                    }
                }
            }
        }
    }

    /** The transpose of {@link #interpolateAxis}. */
    private static void transposeInterpolateAxis(double[] in, int[] shape, int d, int coarseSize, double[] out) {
        int m = shape[d];
        int outer = 1;
        for (int k = 0; k < d; k++) {
            outer *= shape[k];
        }
        int inner = 1;
        for (int k = d + 1; k < shape.length; k++) {
            inner *= shape[k];
        }
        Arrays.fill(out, 0.0);
        for (int o = 0; o < outer; o++) {
            int inBase = o * m * inner;
            int outBase = o * coarseSize * inner;
            for (int a = 0; a < m; a++) {
                int src = inBase + a * inner;
                if ((a & 1) == 1) {
                    int dst = outBase + (a >> 1) * inner;
                    for (int t = 0; t < inner; t++) {
                        out[dst + t] += in[src + t];
                    }
                } else {
                    int k = a >> 1;
                    if (k >= 1) {
                        int dst = outBase + (k - 1) * inner;
                        for (int t = 0; t < inner; t++) {
                            out[dst + t] += 0.5 * in[src + t];
                        }
                    }
                    if (k <= coarseSize - 1) {
                        int dst = outBase + k * inner;
                        for (int t = 0; t < inner; t++) {
                            out[dst + t] += 0.5 * in[src + t];
                        }
                    }
                }
            }
        }
    }

    private void checkLevel(int fineLevel) {
        if (fineLevel < 0 || fineLevel >= sizes.length - 1) {
            throw new IllegalArgumentException("fine level must be in [0, " + (sizes.length - 2) + "], got " + fineLevel);
        }
    }

    private static void checkLength(String name, double[] a, int[] shape) {
        int n = product(shape);
        if (a.length != n) {
            throw new IllegalArgumentException(name + " array has length " + a.length + ", expected " + n + " for interior shape "
                    + Arrays.toString(shape));
        }
    }

    private static int product(int[] s) {
        int n = 1;
        for (int v : s) {
            n *= v;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("MultigridHierarchy[");
        for (int l = 0; l < sizes.length; l++) {
            b.append(l == 0 ? "" : " > ").append(Arrays.toString(sizes[l]));
        }
        return b.append(']').toString();
    }
}
