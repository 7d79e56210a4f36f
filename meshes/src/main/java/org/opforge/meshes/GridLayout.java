package org.opforge.meshes;

/**
 * Where the unknowns of a uniform grid sit. For an interval {@code [a, b]} split into cells of
 * width {@code h}: node-centred points are {@code a + i h}, {@code i = 0..n-1}, with
 * {@code h = (b - a) / (n - 1)} (both end points included); cell-centred points are
 * {@code a + (i + 1/2) h}, {@code i = 0..n-1}, with {@code h = (b - a) / n}.
 */
public enum GridLayout {
    /** Points at the cell vertices, end points included. */
    NODE,
    /** Points at the cell midpoints. */
    CELL
}
