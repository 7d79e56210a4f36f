package org.opforge.decomp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opforge.tensor.Rng;

/**
 * Tucker decomposition with orthonormal factors (De Lathauwer, De Moor, Vandewalle 2000).
 *
 * <p>HOSVD: {@code U_k} = the leading r_k left singular vectors of the mode-k unfolding {@code X_(k)},
 * and the core is the projection {@code G = X x_0 U_0^T ... x_{N-1} U_{N-1}^T}; its error is at most
 * sqrt(N) times the best rank-(r_0..r_{N-1}) error.
 *
 * <p>HOOI: starting from HOSVD, each sweep replaces {@code U_k} by the leading r_k left singular vectors
 * of the unfolding of {@code X x_{j != k} U_j^T}, which never increases the error
 * {@code ||X - X_hat||^2 = ||X||^2 - ||G||^2}; sweeps stop when the relative error changes by less than
 * the tolerance.
 */
public final class TuckerDecomposition {
    private TuckerDecomposition() {}

    public static DecompositionResult hosvd(DenseTensor x, int[] ranks) {
        checkRanks(x, ranks);
        Rng rng = new Rng(0);
        List<DenseTensor> factors = new ArrayList<>();
        for (int k = 0; k < x.order(); k++) factors.add(leadingVectors(x, k, ranks[k], rng));
        return DecompositionResult.of(x, new TuckerTensor(project(x, factors, -1), factors), 0, true);
    }

    public static DecompositionResult hooi(DenseTensor x, int[] ranks, DecompositionOptions options) {
        checkRanks(x, ranks);
        Rng rng = new Rng(options.seed());
        int n = x.order();
        List<DenseTensor> factors = new ArrayList<>();
        for (int k = 0; k < n; k++) factors.add(leadingVectors(x, k, ranks[k], rng));
        double norm2 = x.norm() * x.norm();
        double previous = Double.POSITIVE_INFINITY;
        int sweep = 0;
        boolean converged = norm2 == 0;
        while (!converged && sweep < options.maxIterations()) {
            sweep++;
            for (int k = 0; k < n; k++) {
                DenseTensor y = project(x, factors, k);
                factors.set(k, leadingVectors(y, k, ranks[k], rng));
            }
            DenseTensor core = project(x, factors, -1);
            double g = core.norm();
            // orthonormal factors: ||X - X_hat||^2 = ||X||^2 - ||G||^2 (cheap, used only to decide when to stop)
            double err = Math.sqrt(Math.abs(norm2 - g * g) / norm2);
            if (Math.abs(previous - err) < options.tolerance()) converged = true;
            previous = err;
        }
        return DecompositionResult.of(x, new TuckerTensor(project(x, factors, -1), factors), sweep, converged);
    }

    /** X x_j U_j^T over every mode j except {@code skip} (-1 projects every mode). */
    private static DenseTensor project(DenseTensor x, List<DenseTensor> factors, int skip) {
        DenseTensor y = x;
        for (int j = 0; j < factors.size(); j++) {
            if (j != skip) y = TensorAlgebra.modeDotTransposed(y, factors.get(j), j);
        }
        return y;
    }

    private static DenseTensor leadingVectors(DenseTensor x, int mode, int rank, Rng rng) {
        DenseTensor unf = TensorAlgebra.unfold(x, mode);
        int rows = unf.shape()[0];
        return DenseTensor.wrap(Matrices.leadingLeftVectors(unf.raw(), rows, unf.shape()[1], rank, rng), rows, rank);
    }

    private static void checkRanks(DenseTensor x, int[] ranks) {
        int[] s = x.shape();
        if (ranks.length != s.length) {
            throw new IllegalArgumentException("Tucker: " + ranks.length + " ranks given for a tensor of order " + s.length
                    + " (shape " + Arrays.toString(s) + ")");
        }
        for (int k = 0; k < s.length; k++) {
            if (ranks[k] < 1 || ranks[k] > s[k]) {
                throw new IllegalArgumentException("Tucker: rank " + ranks[k] + " of mode " + k + " must lie in [1, " + s[k]
                        + "] for shape " + Arrays.toString(s));
            }
        }
    }
}
