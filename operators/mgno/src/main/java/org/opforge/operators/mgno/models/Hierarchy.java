package org.opforge.operators.mgno.models;

import java.util.Arrays;

/**
 * The grids of a V-cycle: level 0 the input grid {@code n1 x n2}, each next level
 * {@code ceil(n / 2)} per side (a 3x3 convolution with stride 2 and padding 1). With {@code levels = 0}
 * the count is automatic as in the reference: halve while the coarser smaller side stays at least
 * {@link #AUTO_COARSEST}, at most {@link #AUTO_MAX} levels (32 gives 32, 16, 8, 4). A hierarchy holds a
 * level only while its smaller side is at least {@link #MIN_SIDE} (a 3x3 stencil with reflect padding
 * needs two points); MgNO's stencils are in grid units, so the hierarchy is tied to the training grid.
 */
public record Hierarchy(int[][] sizes) {
    public static final int AUTO_COARSEST = 4, AUTO_MAX = 6, MIN_SIDE = 2;

    /** The hierarchy of {@code levels} levels (0: automatic) on an {@code n1 x n2} grid; an error names both when it cannot hold them. */
    public static Hierarchy of(int n1, int n2, int levels) {
        if (n1 < 1 || n2 < 1) throw new IllegalArgumentException("MgNO: grid " + n1 + "x" + n2 + " must have positive sides");
        if (levels < 0) throw new IllegalArgumentException("MgNO: levels must be >= 0 (0 = automatic), found " + levels);
        if (levels == 0) {
            levels = 1;
            for (int m = Math.min(n1, n2); levels < AUTO_MAX && (m + 1) / 2 >= AUTO_COARSEST; m = (m + 1) / 2) levels++;
        }
        int[][] s = new int[levels][];
        s[0] = new int[] {n1, n2};
        for (int l = 1; l < levels; l++) s[l] = new int[] {(s[l - 1][0] + 1) / 2, (s[l - 1][1] + 1) / 2};
        int max = 0;
        while (max < levels && Math.min(s[max][0], s[max][1]) >= MIN_SIDE) max++;
        if (max < levels) {
            throw new IllegalArgumentException("MgNO: a grid " + n1 + "x" + n2 + " holds at most " + Math.max(max, 1)
                    + " levels (coarsest side >= " + MIN_SIDE + "), levels = " + levels + " would need the grids " + describe(s));
        }
        return new Hierarchy(s);
    }

    public int levels() { return sizes.length; }

    public int[] grid() { return sizes[0].clone(); }

    /** "32x32, 16x16, 8x8, 4x4". */
    public static String describe(int[][] sizes) {
        StringBuilder b = new StringBuilder();
        for (int[] s : sizes) b.append(b.length() == 0 ? "" : ", ").append(s[0]).append('x').append(s[1]);
        return b.toString();
    }

    @Override public String toString() { return describe(sizes); }

    @Override public boolean equals(Object o) { return o instanceof Hierarchy h && Arrays.deepEquals(sizes, h.sizes); }

    @Override public int hashCode() { return Arrays.deepHashCode(sizes); }
}
