package org.opforge.decomp;

/**
 * Entry point without OSGi: dispatches a method and a {@link RankSpec} to CP-ALS, Tucker (HOSVD or
 * HOOI, as the options say) or TT-SVD. The service component of the bundle delegates here.
 */
public final class Decompositions {
    private Decompositions() {}

    public static DecompositionResult decompose(DecompositionMethod method, DenseTensor x, RankSpec rank, DecompositionOptions options) {
        if (rank instanceof RankSpec.Tolerance t) {
            if (method != DecompositionMethod.TT) {
                throw new IllegalArgumentException("a tolerance chooses ranks only for tt (TT-SVD); " + method.label()
                        + " needs explicit ranks or a fraction, found " + t);
            }
            return TensorTrainSvd.decompose(x, t.tolerance());
        }
        int[] ranks = Ranks.resolve(method, x.shape(), rank);
        switch (method) {
            case CP:
                return CpAls.decompose(x, ranks[0], options);
            case TUCKER:
                return options.tuckerAlgorithm() == DecompositionOptions.TuckerAlgorithm.HOSVD
                        ? TuckerDecomposition.hosvd(x, ranks)
                        : TuckerDecomposition.hooi(x, ranks, options);
            default:
                return TensorTrainSvd.decompose(x, ranks);
        }
    }

    public static DecompositionResult decompose(DecompositionMethod method, DenseTensor x, RankSpec rank) {
        return decompose(method, x, rank, DecompositionOptions.defaults());
    }
}
