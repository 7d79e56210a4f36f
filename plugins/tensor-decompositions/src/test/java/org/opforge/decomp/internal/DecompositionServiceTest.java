package org.opforge.decomp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opforge.api.OpForge;
import org.opforge.api.decomp.DecompositionRequest;
import org.opforge.api.decomp.DecompositionService;
import org.opforge.api.decomp.DecompositionSummary;
import org.opforge.decomp.DenseTensor;
import org.opforge.decomp.TuckerTensor;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/** The API's decomposition service as the host finds it without OSGi: through ServiceLoader. */
class DecompositionServiceTest {

    private static DecompositionService service() {
        List<DecompositionService> found = OpForge.services(DecompositionService.class, DecompositionServiceTest.class.getClassLoader());
        assertEquals(1, found.size(), "ServiceLoader providers of DecompositionService");
        return found.get(0);
    }

    @Test
    void exactLowRankTensorIsRecoveredAtItsRanks() {
        Random rnd = new Random(3);
        DenseTensor core = gaussian(rnd, 3, 2, 2);
        TuckerTensor planted = new TuckerTensor(core, List.of(gaussian(rnd, 6, 3), gaussian(rnd, 5, 2), gaussian(rnd, 4, 2)));
        Tensor x = planted.toTensor().toTensor();
        DecompositionSummary s = service().decompose(x, DecompositionRequest.of("tucker", "3,2,2"));
        assertEquals("tucker", s.method());
        assertArrayEquals(new int[] {3, 2, 2}, s.ranks());
        assertEquals(6 * 5 * 4, s.denseParameters());
        assertEquals(3 * 2 * 2 + 6 * 3 + 5 * 2 + 4 * 2, s.factorizedParameters());
        assertTrue(s.relativeError() < 1e-10, "exact rank: error " + s.relativeError());
    }

    @Test
    void toleranceRankChoosesTensorTrainRanksMeetingTheBound() {
        Random rnd = new Random(5);
        Tensor x = gaussian(rnd, 4, 5, 6).toTensor();
        DecompositionSummary s = service().decompose(x, DecompositionRequest.of("tt", "tol=0.3"));
        assertEquals("tol=0.3", s.rank());
        assertTrue(s.relativeError() <= 0.3, "error " + s.relativeError());
        assertEquals(4, s.ranks().length, "TT ranks are boundary-inclusive: N + 1");
    }

    @Test
    void complexWeightIsDecomposedAsComplex() {
        Rng rng = new Rng(1);
        Tensor w = Tensor.complex(Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 4, 4, 3, 3),
                Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 4, 4, 3, 3)).detach();
        DecompositionSummary s = service().decompose(w, DecompositionRequest.of("cp", "0.5").withIterations(20, 1e-9));
        assertEquals(4 * 4 * 3 * 3, s.denseParameters(), "complex entries count once");
        assertTrue(s.relativeError() > 0 && s.relativeError() < 1, "error " + s.relativeError());
    }

    @Test
    void badRequestsNameWhatWasExpected() {
        Tensor x = gaussian(new Random(1), 3, 3).toTensor();
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> service().decompose(x, DecompositionRequest.of("svd", "2")));
        assertTrue(m.getMessage().contains("cp, tucker, tt"), m.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> service().decompose(x, DecompositionRequest.of("tt", "tol=x")));
        assertTrue(t.getMessage().contains("tol=EPS"), t.getMessage());
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class,
                () -> service().decompose(x, DecompositionRequest.of("cp", "2").withCpInit("zeros")));
        assertTrue(i.getMessage().contains("[svd, random]"), i.getMessage());
        assertEquals(List.of("cp", "tucker", "tt"), service().methods());
    }

    private static DenseTensor gaussian(Random rnd, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rnd.nextGaussian();
        return DenseTensor.of(d, shape);
    }
}
