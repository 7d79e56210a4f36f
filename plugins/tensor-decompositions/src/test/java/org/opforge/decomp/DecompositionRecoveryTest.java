package org.opforge.decomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Planted low-rank tensors are recovered to float64 accuracy; with Gaussian noise CP-ALS and HOOI reach
 * the noise floor; TT-SVD with a tolerance meets it.
 */
class DecompositionRecoveryTest {
    private static final DecompositionOptions OPTS = DecompositionOptions.defaults();

    @Test
    void cpAlsRecoversPlantedRankWithSvdAndRandomInit() {
        DenseTensor x = Planted.cp(new Random(11), 3, 6, 7, 8).toTensor();
        for (DecompositionOptions.CpInit init : DecompositionOptions.CpInit.values()) {
            DecompositionResult r = CpAls.decompose(x, 3, OPTS.withCpInit(init).withSeed(5));
            assertTrue(r.relativeError() < 1e-6, init + ": relative error " + r.relativeError() + " after " + r.iterations() + " sweeps");
            assertEquals(3 + 3 * (6 + 7 + 8), r.factorizedParameters());
            assertEquals(6 * 7 * 8, r.denseParameters());
            // normalized: unit columns, norms in the weights
            CpTensor cp = (CpTensor) r.factorization();
            for (DenseTensor f : cp.factors()) {
                for (int q = 0; q < 3; q++) {
                    double s = 0;
                    for (int i = 0; i < f.size(0); i++) s += f.get(i, q) * f.get(i, q);
                    assertEquals(1, s, 1e-12);
                }
            }
        }
    }

    @Test
    void cpAlsRecoversOrderFourTensor() {
        DenseTensor x = Planted.cp(new Random(12), 4, 5, 4, 6, 3).toTensor();
        DecompositionResult r = Decompositions.decompose(DecompositionMethod.CP, x, RankSpec.of(4));
        assertTrue(r.relativeError() < 1e-6, "relative error " + r.relativeError());
    }

    @Test
    void tuckerHosvdAndHooiRecoverPlantedRanks() {
        int[] ranks = {2, 3, 4};
        DenseTensor x = Planted.tucker(new Random(13), ranks, 6, 7, 8).toTensor();
        DecompositionResult h = TuckerDecomposition.hosvd(x, ranks);
        DecompositionResult o = TuckerDecomposition.hooi(x, ranks, OPTS);
        assertTrue(h.relativeError() < 1e-6, "HOSVD relative error " + h.relativeError());
        assertTrue(o.relativeError() < 1e-6, "HOOI relative error " + o.relativeError());
        assertArrayEquals(ranks, o.factorization().ranks());
        assertEquals(2 * 3 * 4 + 6 * 2 + 7 * 3 + 8 * 4, o.factorizedParameters());
    }

    @Test
    void ttSvdRecoversPlantedRanks() {
        int[] ranks = {1, 2, 3, 2, 1};
        DenseTensor x = Planted.tt(new Random(14), ranks, 4, 5, 6, 3).toTensor();
        DecompositionResult r = TensorTrainSvd.decompose(x, ranks);
        assertTrue(r.relativeError() < 1e-6, "relative error " + r.relativeError());
        assertArrayEquals(ranks, r.factorization().ranks());
        // a tolerance finds the planted ranks too
        DecompositionResult t = TensorTrainSvd.decompose(x, 1e-8);
        assertArrayEquals(ranks, t.factorization().ranks());
        assertTrue(t.relativeError() < 1e-8);
    }

    @Test
    void cpAlsReachesTheNoiseFloor() {
        Random rnd = new Random(21);
        DenseTensor[] xe = Planted.withNoise(rnd, Planted.cp(rnd, 3, 30, 30, 30).toTensor(), 0.1);
        double noise = xe[1].norm() / xe[0].norm();
        DecompositionResult r = CpAls.decompose(xe[0], 3, OPTS);
        assertTrue(Math.abs(r.relativeError() / noise - 1) <= 0.01,
                "CP-ALS error " + r.relativeError() + " vs noise level " + noise + " after " + r.iterations() + " sweeps");
    }

    @Test
    void hooiReachesTheNoiseFloorAndImprovesOnHosvd() {
        Random rnd = new Random(22);
        int[] ranks = {3, 4, 3};
        DenseTensor[] xe = Planted.withNoise(rnd, Planted.tucker(rnd, ranks, 30, 30, 30).toTensor(), 0.1);
        double noise = xe[1].norm() / xe[0].norm();
        DecompositionResult o = TuckerDecomposition.hooi(xe[0], ranks, OPTS);
        DecompositionResult h = TuckerDecomposition.hosvd(xe[0], ranks);
        assertTrue(Math.abs(o.relativeError() / noise - 1) <= 0.01, "HOOI error " + o.relativeError() + " vs noise level " + noise);
        assertTrue(o.relativeError() <= h.relativeError() + 1e-15, "HOOI " + o.relativeError() + " worse than HOSVD " + h.relativeError());
    }

    @Test
    void ttSvdWithToleranceMeetsIt() {
        Random rnd = new Random(23);
        DenseTensor low = Planted.tt(rnd, new int[] {1, 3, 4, 3, 1}, 6, 7, 8, 5).toTensor();
        DenseTensor noisy = Planted.withNoise(rnd, low, 0.05)[0];
        for (double eps : new double[] {0.5, 0.2, 0.06, 0.01}) {
            DecompositionResult r = Decompositions.decompose(DecompositionMethod.TT, noisy, RankSpec.tolerance(eps));
            assertTrue(r.relativeError() <= eps, "tolerance " + eps + ": relative error " + r.relativeError());
        }
        // each of the N-1 = 3 truncations may drop eps/sqrt(3) = 0.069 > noise 0.05: the planted ranks
        // suffice, so the tolerance does not overshoot them
        DecompositionResult r = TensorTrainSvd.decompose(noisy, 0.12);
        int[] got = r.factorization().ranks();
        assertTrue(got[1] <= 3 && got[2] <= 4 && got[3] <= 3, "ranks " + java.util.Arrays.toString(got));
        // a pure noise tensor needs nearly full ranks for a small tolerance but still meets it
        DenseTensor g = Planted.gaussian(rnd, 5, 6, 7);
        assertTrue(TensorTrainSvd.decompose(g, 0.3).relativeError() <= 0.3);
    }

    @Test
    void fractionRanksGiveAboutThatShareOfParameters() {
        DenseTensor x = Planted.gaussian(new Random(31), 16, 16, 8, 8);
        for (DecompositionMethod m : DecompositionMethod.values()) {
            DecompositionResult r = Decompositions.decompose(m, x, RankSpec.fraction(0.1), OPTS.withMaxIterations(5));
            assertTrue(r.parameterFraction() > 0.06 && r.parameterFraction() < 0.14,
                    m + ": " + r.factorizedParameters() + " of " + r.denseParameters() + " parameters");
        }
    }

    @Test
    void invalidRequestsAreRejectedWithTheReason() {
        DenseTensor x = Planted.gaussian(new Random(32), 3, 4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Decompositions.decompose(DecompositionMethod.CP, x, RankSpec.tolerance(0.1)));
        assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TuckerDecomposition.hosvd(x, new int[] {2, 5, 2}));
        assertTrue(e.getMessage().contains("mode 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Decompositions.decompose(DecompositionMethod.TT, x, RankSpec.of(1, 9, 2, 1)));
        assertTrue(e.getMessage().contains("exceed"), e.getMessage());
    }
}
