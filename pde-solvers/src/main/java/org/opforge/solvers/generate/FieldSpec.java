package org.opforge.solvers.generate;

/**
 * A per-sample field of a generated data set.
 *
 * @param name field name ("a", "u", ...)
 * @param shape shape of one sample (empty for a scalar per sample)
 * @param role what it is to an operator: an input, the target solution, or auxiliary information
 */
public record FieldSpec(String name, int[] shape, Role role) {
    public enum Role { INPUT, TARGET, AUXILIARY }

    public int sampleSize() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
