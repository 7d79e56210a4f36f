package org.opforge.decomp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TT-SVD (Oseledets 2011, "Tensor-train decomposition", Algorithm 1): sweep left to right; at step k
 * the remainder is reshaped to a matrix {@code (r_k I_k, rest)}, its truncated SVD {@code U S V^T} gives
 * core k = U reshaped to {@code (r_k, I_k, r_{k+1})}, and {@code S V^T} is carried on. The last remainder
 * is the last core.
 *
 * <p>With a tolerance eps each truncation drops the largest tail of singular values whose energy is at
 * most {@code delta^2}, {@code delta = eps ||X|| / sqrt(N-1)}, which guarantees
 * {@code ||X - X_tt|| <= eps ||X||}.
 */
public final class TensorTrainSvd {
    private TensorTrainSvd() {}

    /** TT-SVD with ranks {@code [1, r_1, ..., r_{N-1}, 1]} (each is also capped by the unfolding's size). */
    public static DecompositionResult decompose(DenseTensor x, int[] ranks) {
        int n = x.order();
        if (ranks.length != n + 1 || ranks[0] != 1 || ranks[n] != 1) {
            throw new IllegalArgumentException("TT-SVD: ranks must be [1, r_1, ..., r_" + (n - 1) + ", 1] for a tensor of order " + n
                    + ", found " + Arrays.toString(ranks));
        }
        return sweep(x, ranks, -1);
    }

    /** TT-SVD choosing the smallest ranks with {@code ||X - X_tt|| <= tolerance ||X||}. */
    public static DecompositionResult decompose(DenseTensor x, double tolerance) {
        if (!(tolerance > 0 && tolerance < 1)) throw new IllegalArgumentException("TT-SVD: tolerance must lie in (0, 1), found " + tolerance);
        return sweep(x, null, tolerance);
    }

    private static DecompositionResult sweep(DenseTensor x, int[] maxRanks, double tolerance) {
        int[] s = x.shape();
        int n = s.length;
        double delta = n > 1 ? tolerance * x.norm() / Math.sqrt(n - 1) : 0;
        List<DenseTensor> cores = new ArrayList<>();
        double[] rest = x.raw();
        int r = 1;
        int cols = x.numel();
        for (int k = 0; k < n - 1; k++) {
            int rows = r * s[k];
            cols /= s[k];
            Matrices.Svd d = Matrices.svd(rest, rows, cols);
            int keep = maxRanks != null ? Math.min(maxRanks[k + 1], d.p()) : toleranceRank(d.s(), delta);
            cores.add(DenseTensor.wrap(d.leftVectors(keep), r, s[k], keep));
            rest = d.scaledRightTransposed(keep);
            r = keep;
        }
        cores.add(DenseTensor.wrap(n == 1 ? rest.clone() : rest, r, s[n - 1], 1));
        return DecompositionResult.of(x, new TtTensor(cores), 0, true);
    }

    /** Smallest k >= 1 with sum_{i >= k} s_i^2 <= delta^2. */
    static int toleranceRank(double[] sv, double delta) {
        double tail = 0, budget = delta * delta;
        int k = sv.length;
        while (k > 1 && tail + sv[k - 1] * sv[k - 1] <= budget) {
            tail += sv[k - 1] * sv[k - 1];
            k--;
        }
        return k;
    }
}
