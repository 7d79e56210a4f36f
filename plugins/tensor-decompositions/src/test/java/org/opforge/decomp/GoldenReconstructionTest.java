package org.opforge.decomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opforge.decomp.factorized.Contractions;
import org.opforge.decomp.factorized.CpFactorizedTensor;
import org.opforge.decomp.factorized.TtFactorizedTensor;
import org.opforge.decomp.factorized.TuckerFactorizedTensor;
import org.opforge.tensor.Tensor;

/**
 * tensorly reconstructions (cp_to_tensor, tucker_to_tensor, tt_to_tensor, mode_dot) against the golden
 * files, both with the float64 algorithms and with the differentiable factorized weights.
 */
class GoldenReconstructionTest {
    private static final Set<String> CASES = Set.of("cp_reconstruct", "tucker_reconstruct", "tt_reconstruct", "mode_dot");
    private static final double TOL = 1e-12;

    @TestFactory
    Stream<DynamicTest> everyDecompositionGoldenFile() {
        List<GoldenFiles.Golden> files = GoldenFiles.load(CASES);
        assertFalse(files.isEmpty(), "no golden file with case in " + CASES + " under " + GoldenFiles.dir().toAbsolutePath());
        return files.stream().map(g -> DynamicTest.dynamicTest(g.caseName() + " " + g.path().getFileName(), () -> check(g)));
    }

    private static void check(GoldenFiles.Golden g) {
        DenseTensor y = g.output("y");
        switch (g.caseName()) {
            case "cp_reconstruct": {
                List<DenseTensor> f = g.indexed("factors");
                CpTensor cp = new CpTensor(g.input("weights").data(), f);
                assertArrayEquals(intList(g.spec().get("shape")), cp.shape());
                assertClose(y, cp.toTensor(), g);
                List<Tensor> leaves = new ArrayList<>();
                for (DenseTensor d : f) leaves.add(d.toTensor());
                assertClose(y, new CpFactorizedTensor(g.input("weights").toTensor(), leaves).reconstruct(), g);
                break;
            }
            case "tucker_reconstruct": {
                List<DenseTensor> f = g.indexed("factors");
                TuckerTensor t = new TuckerTensor(g.input("core"), f);
                assertArrayEquals(intList(g.spec().get("ranks")), t.ranks());
                assertClose(y, t.toTensor(), g);
                List<Tensor> leaves = new ArrayList<>();
                for (DenseTensor d : f) leaves.add(d.toTensor());
                assertClose(y, new TuckerFactorizedTensor(g.input("core").toTensor(), leaves).reconstruct(), g);
                break;
            }
            case "tt_reconstruct": {
                List<DenseTensor> c = g.indexed("cores");
                TtTensor t = new TtTensor(c);
                assertArrayEquals(intList(g.spec().get("ranks")), t.ranks());
                assertClose(y, t.toTensor(), g);
                List<Tensor> leaves = new ArrayList<>();
                for (DenseTensor d : c) leaves.add(d.toTensor());
                assertClose(y, new TtFactorizedTensor(leaves).reconstruct(), g);
                break;
            }
            case "mode_dot": {
                int mode = ((Number) g.spec().get("mode")).intValue();
                DenseTensor x = g.input("tensor"), m = g.input("matrix");
                assertClose(y, TensorAlgebra.modeDot(x, m, mode), g);
                assertClose(y, Contractions.modeDot(x.toTensor(), m.toTensor(), mode), g);
                break;
            }
            default:
                throw new IllegalStateException("unexpected case " + g.caseName());
        }
    }

    private static int[] intList(Object o) {
        return ((List<?>) o).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static void assertClose(DenseTensor ref, Tensor got, GoldenFiles.Golden g) {
        assertClose(ref, DenseTensor.of(got.toDoubleArray(), got.shape()), g);
    }

    private static void assertClose(DenseTensor ref, DenseTensor got, GoldenFiles.Golden g) {
        assertArrayEquals(ref.shape(), got.shape(), g.path() + ": shape");
        double scale = 0, err = 0;
        double[] r = ref.data(), v = got.data();
        for (int i = 0; i < r.length; i++) {
            scale = Math.max(scale, Math.abs(r[i]));
            err = Math.max(err, Math.abs(r[i] - v[i]));
        }
        assertTrue(err <= TOL * scale, g.path() + ": max |got - ref| = " + err + " > " + TOL + " * " + scale);
        assertEquals(r.length, v.length);
    }
}
