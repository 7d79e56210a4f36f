package org.opforge.decomp;

import java.util.Arrays;

/**
 * Turns a {@link RankSpec} into concrete ranks for a tensor shape, with tensorly's rules
 * ({@code validate_cp_rank}, {@code validate_tucker_rank}, {@code validate_tt_rank}) for a fraction
 * {@code f} of the dense parameter count {@code P = prod_k I_k}; rounding is to the nearest integer.
 */
public final class Ranks {
    private Ranks() {}

    /** CP: a rank-R CP has about R * sum_k I_k parameters, so R = round(f P / sum_k I_k), at least 1. */
    public static int cpRank(int[] shape, double fraction) {
        checkFraction(fraction);
        double p = dense(shape), s = 0;
        for (int d : shape) s += d;
        return (int) Math.max(1, Math.round(fraction * p / s));
    }

    /**
     * Tucker: ranks proportional to the mode sizes, r_k = round(x I_k) (at least 1, at most I_k), where x
     * solves {@code P x^N + x sum_k I_k^2 = f P} (core P x^N plus factors I_k * x I_k).
     */
    public static int[] tuckerRanks(int[] shape, double fraction) {
        checkFraction(fraction);
        double p = dense(shape), sq = 0;
        int n = shape.length;
        for (int d : shape) sq += (double) d * d;
        double lo = 0, hi = Math.max(fraction, 1.0);
        // the left side is increasing in x, so bisection on [0, max(f, 1)] as tensorly's brentq bracket
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            double v = p * Math.pow(mid, n) + sq * mid - fraction * p;
            if (v > 0) hi = mid;
            else lo = mid;
        }
        double x = 0.5 * (lo + hi);
        int[] r = new int[n];
        for (int k = 0; k < n; k++) r[k] = (int) Math.min(shape[k], Math.max(1, Math.round(shape[k] * x)));
        return r;
    }

    /**
     * Tensor train, ranks proportional to the mean size of the neighbouring modes (tensorly's default,
     * {@code constant_rank=False}): with {@code d_k = (I_k + I_{k+1}) / 2}, internal rank
     * {@code r_{k+1} = round(x d_k)} where x solves
     * {@code x^2 sum_{k=1}^{N-2} d_{k-1} I_k d_k + x (I_0 d_0 + I_{N-1} d_{N-2}) = f P}; each rank is then
     * capped at the largest useful value {@code min(I_0...I_k, I_{k+1}...I_{N-1})}.
     * Returns {@code [1, r_1, ..., r_{N-1}, 1]}.
     */
    public static int[] ttRanks(int[] shape, double fraction) {
        checkFraction(fraction);
        int n = shape.length;
        int[] r = new int[n + 1];
        r[0] = r[n] = 1;
        if (n == 1) return r;
        double[] avg = new double[n - 1];
        for (int k = 0; k < n - 1; k++) avg[k] = (shape[k] + shape[k + 1]) / 2.0;
        double a = 0;
        if (n > 2) {
            for (int k = 1; k < n - 1; k++) a += avg[k - 1] * shape[k] * avg[k];
        }
        double b = shape[0] * avg[0] + shape[n - 1] * avg[n - 2];
        double c = fraction * dense(shape);
        double x = a == 0 ? c / b : (-b + Math.sqrt(b * b + 4 * a * c)) / (2 * a);
        for (int k = 0; k < n - 1; k++) r[k + 1] = (int) Math.max(1, Math.round(avg[k] * x));
        return capTt(shape, r);
    }

    /** Caps internal TT ranks at min(prod of the sizes to the left, prod to the right), the exact TT ranks of a generic tensor. */
    static int[] capTt(int[] shape, int[] ranks) {
        int n = shape.length;
        int[] r = ranks.clone();
        for (int k = 1; k < n; k++) {
            long left = 1, right = 1;
            for (int j = 0; j < k; j++) left = Math.min(Integer.MAX_VALUE, left * shape[j]);
            for (int j = k; j < n; j++) right = Math.min(Integer.MAX_VALUE, right * shape[j]);
            r[k] = (int) Math.min(r[k], Math.min(left, right));
        }
        return r;
    }

    /**
     * Ranks of {@code method} for {@code shape}: CP {@code [R]}, Tucker {@code [r_0..r_{N-1}]}, TT
     * {@code [1, r_1, ..., r_{N-1}, 1]}. A tolerance is rejected: it decides ranks only while decomposing.
     */
    public static int[] resolve(DecompositionMethod method, int[] shape, RankSpec spec) {
        if (shape.length == 0) throw new IllegalArgumentException("ranks: a tensor of order 0 has no modes to factorize");
        if (spec instanceof RankSpec.Tolerance t) {
            throw new IllegalArgumentException("ranks: a tolerance (" + t.tolerance() + ") fixes ranks only inside TT-SVD; "
                    + "give explicit ranks or a fraction for " + method.label());
        }
        if (spec instanceof RankSpec.Fraction f) {
            switch (method) {
                case CP: return new int[] {cpRank(shape, f.fraction())};
                case TUCKER: return tuckerRanks(shape, f.fraction());
                default: return ttRanks(shape, f.fraction());
            }
        }
        int[] given = ((RankSpec.Fixed) spec).ranks();
        int n = shape.length;
        switch (method) {
            case CP:
                if (given.length != 1) throw new IllegalArgumentException("ranks: CP takes one rank, found " + Arrays.toString(given));
                return given;
            case TUCKER: {
                if (given.length != 1 && given.length != n) {
                    throw new IllegalArgumentException("ranks: Tucker of an order-" + n + " tensor takes 1 or " + n + " ranks, found " + Arrays.toString(given));
                }
                int[] r = new int[n];
                for (int k = 0; k < n; k++) {
                    r[k] = given.length == 1 ? Math.min(given[0], shape[k]) : given[k];
                    if (r[k] > shape[k]) {
                        throw new IllegalArgumentException("ranks: Tucker rank " + r[k] + " of mode " + k + " exceeds its size " + shape[k]
                                + " (shape " + Arrays.toString(shape) + ")");
                    }
                }
                return r;
            }
            default: {
                int[] r = new int[n + 1];
                r[0] = r[n] = 1;
                if (given.length == 1) {
                    for (int k = 1; k < n; k++) r[k] = given[0];
                    return capTt(shape, r);
                }
                if (given.length == n - 1) {
                    System.arraycopy(given, 0, r, 1, n - 1);
                } else if (given.length == n + 1) {
                    if (given[0] != 1 || given[n] != 1) {
                        throw new IllegalArgumentException("ranks: TT boundary ranks must be 1, found " + Arrays.toString(given));
                    }
                    r = given.clone();
                } else {
                    throw new IllegalArgumentException("ranks: TT of an order-" + n + " tensor takes 1, " + (n - 1) + " or " + (n + 1)
                            + " ranks, found " + Arrays.toString(given));
                }
                int[] capped = capTt(shape, r);
                if (!Arrays.equals(capped, r)) {
                    throw new IllegalArgumentException("ranks: TT ranks " + Arrays.toString(r) + " exceed the largest possible "
                            + Arrays.toString(capped) + " for shape " + Arrays.toString(shape));
                }
                return r;
            }
        }
    }

    /** Parameter count of {@code method} with {@code ranks} (as returned by {@link #resolve}) for {@code shape}. */
    public static long parameterCount(DecompositionMethod method, int[] shape, int[] ranks) {
        long p = 0;
        switch (method) {
            case CP:
                p = ranks[0];
                for (int d : shape) p += (long) d * ranks[0];
                return p;
            case TUCKER:
                p = 1;
                for (int r : ranks) p *= r;
                for (int k = 0; k < shape.length; k++) p += (long) shape[k] * ranks[k];
                return p;
            default:
                for (int k = 0; k < shape.length; k++) p += (long) ranks[k] * shape[k] * ranks[k + 1];
                return p;
        }
    }

    static double dense(int[] shape) {
        double p = 1;
        for (int d : shape) p *= d;
        return p;
    }

    private static void checkFraction(double f) {
        if (!(f > 0) || Double.isInfinite(f)) throw new IllegalArgumentException("rank fraction must be a positive number, found " + f);
    }
}
