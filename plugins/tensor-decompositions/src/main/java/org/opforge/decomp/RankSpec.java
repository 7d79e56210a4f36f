package org.opforge.decomp;

import java.util.Arrays;

/**
 * How large a factorization should be: explicit ranks, a fraction of the dense parameter count
 * (tensorly / tltorch: {@code rank=0.1} means about 10% of the parameters), or, for tensor trains, a
 * relative error tolerance that chooses the ranks.
 */
public sealed interface RankSpec permits RankSpec.Fixed, RankSpec.Fraction, RankSpec.Tolerance {

    /**
     * Explicit ranks: one value R for CP; one value (used for every mode, capped at I_k) or one per mode for
     * Tucker; one value (every internal rank) or N-1 internal ranks or N+1 boundary-inclusive ranks for TT.
     */
    record Fixed(int[] ranks) implements RankSpec {
        public Fixed {
            if (ranks.length == 0) throw new IllegalArgumentException("rank list is empty");
            for (int r : ranks) if (r < 1) throw new IllegalArgumentException("ranks must be >= 1, found " + Arrays.toString(ranks));
            ranks = ranks.clone();
        }

        @Override public int[] ranks() { return ranks.clone(); }

        @Override public String toString() { return ranks.length == 1 ? Integer.toString(ranks[0]) : Arrays.toString(ranks); }
    }

    /** A fraction of the dense parameter count, > 0 (values above 1 over-parametrize). */
    record Fraction(double fraction) implements RankSpec {
        public Fraction {
            if (!(fraction > 0) || Double.isInfinite(fraction)) {
                throw new IllegalArgumentException("rank fraction must be a positive number, found " + fraction);
            }
        }

        @Override public String toString() { return Double.toString(fraction); }
    }

    /** Relative error bound {@code ||X - X_tt|| <= tolerance ||X||} (TT-SVD only), in (0, 1). */
    record Tolerance(double tolerance) implements RankSpec {
        public Tolerance {
            if (!(tolerance > 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must lie in (0, 1), found " + tolerance);
            }
        }

        @Override public String toString() { return "tol=" + tolerance; }
    }

    static RankSpec of(int... ranks) { return new Fixed(ranks); }

    static RankSpec fraction(double f) { return new Fraction(f); }

    static RankSpec tolerance(double t) { return new Tolerance(t); }

    /**
     * Parses a command-line rank: a number with a decimal point or exponent is a fraction ({@code 0.1},
     * {@code 1e-2}); an integer or a comma-separated list of integers is explicit ({@code 5},
     * {@code 4,4,2,2}).
     */
    static RankSpec parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("rank is empty");
        try {
            if (t.contains(",")) {
                return new Fixed(Arrays.stream(t.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray());
            }
            if (t.matches("[0-9]+")) return new Fixed(new int[] {Integer.parseInt(t)});
            return new Fraction(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rank '" + text + "' is neither a fraction (0.1), an integer (5) nor a list (4,4,2)", e);
        }
    }
}
