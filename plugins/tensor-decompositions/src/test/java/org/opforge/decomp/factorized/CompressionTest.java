package org.opforge.decomp.factorized;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opforge.decomp.DecompositionMethod;
import org.opforge.decomp.DecompositionOptions;
import org.opforge.decomp.RankSpec;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/** Post-hoc compression of real and complex weights. */
class CompressionTest {
    private static final DecompositionOptions OPTS = DecompositionOptions.defaults();

    private static double relativeError(Tensor approx, Tensor ref) {
        double[] a = approx.toDoubleArray(), r = ref.toDoubleArray();
        double num = 0, den = 0;
        for (int i = 0; i < r.length; i++) {
            num += (a[i] - r[i]) * (a[i] - r[i]);
            den += r[i] * r[i];
        }
        return Math.sqrt(num / den);
    }

    private static Tensor complexOf(Tensor re, Tensor im) {
        return Tensor.complex(re, im).detach();
    }

    /**
     * Complex weights that the real-stack route represents exactly: real factors with complex CP weights,
     * a complex Tucker core, a complex last TT core.
     */
    private static Tensor plantedComplex(TensorFormat f, int[] shape, Rng rng) {
        FactorizedTensor re = FactorizedTensors.random(f, shape, rankFor(f), DType.FLOAT64, Device.CPU, 1, rng);
        switch (f) {
            case CP: {
                CpFactorizedTensor cp = (CpFactorizedTensor) re;
                List<Tensor> fs = new ArrayList<>();
                for (int k = 0; k < shape.length; k++) fs.add(cp.factor(k).detach().to(DType.COMPLEX128));
                Tensor w = complexOf(Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, 3), Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, 3));
                return new CpFactorizedTensor(w, fs).reconstruct().detach();
            }
            case TUCKER: {
                TuckerFactorizedTensor t = (TuckerFactorizedTensor) re;
                List<Tensor> fs = new ArrayList<>();
                for (int k = 0; k < shape.length; k++) fs.add(t.factor(k).detach().to(DType.COMPLEX128));
                Tensor core = complexOf(t.core().detach(), Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, t.core().shape()));
                return new TuckerFactorizedTensor(core, fs).reconstruct().detach();
            }
            default: {
                TtFactorizedTensor t = (TtFactorizedTensor) re;
                List<Tensor> cs = new ArrayList<>();
                int n = shape.length;
                for (int k = 0; k < n - 1; k++) cs.add(t.core(k).detach().to(DType.COMPLEX128));
                Tensor last = t.core(n - 1);
                cs.add(complexOf(last.detach(), Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, last.shape())));
                return new TtFactorizedTensor(cs).reconstruct().detach();
            }
        }
    }

    private static RankSpec rankFor(TensorFormat f) {
        switch (f) {
            case CP: return RankSpec.of(3);
            case TUCKER: return RankSpec.of(2, 3, 2, 2);
            default: return RankSpec.of(1, 2, 3, 2, 1);
        }
    }

    @Test
    void plantedComplexWeightsAreRecovered() {
        int[] shape = {6, 5, 4, 3};
        for (TensorFormat f : new TensorFormat[] {TensorFormat.CP, TensorFormat.TUCKER, TensorFormat.TT}) {
            Tensor w = plantedComplex(f, shape, new Rng(40 + f.ordinal()));
            CompressionReport r = FactorizedTensors.compress(f.method(), w, rankFor(f), OPTS);
            assertTrue(r.relativeError() < 1e-6, f + ": reported relative error " + r.relativeError());
            Tensor back = r.factorized().reconstruct();
            assertEquals(DType.COMPLEX128, back.dtype());
            assertTrue(relativeError(back, w) < 1e-6, f + ": error of the complex factors " + relativeError(back, w));
            assertEquals(6 * 5 * 4 * 3, r.denseParameters());
            assertEquals(r.factorized().parameterCount(), r.factorizedParameters());
        }
    }

    @Test
    void reportedErrorIsTheErrorOfTheReturnedFactorsForGenericWeights() {
        int[] shape = {8, 8, 6, 4};
        for (DType dt : new DType[] {DType.FLOAT64, DType.COMPLEX128}) {
            Tensor w = Tensor.randn(new Rng(50), dt, Device.CPU, 0, 1, shape);
            for (DecompositionMethod m : DecompositionMethod.values()) {
                CompressionReport r = FactorizedTensors.compress(m, w, RankSpec.fraction(0.3), OPTS.withMaxIterations(30));
                double actual = relativeError(r.factorized().reconstruct(), w);
                assertEquals(actual, r.relativeError(), 1e-9, m + " " + dt);
                assertTrue(r.relativeError() > 0.05 && r.relativeError() < 1, m + " " + dt + ": a random tensor is not low rank, error " + r.relativeError());
                assertTrue(r.parameterFraction() < 0.45, m + " " + dt + ": " + r.factorizedParameters() + " of " + r.denseParameters());
                assertEquals(dt, r.factorized().dtype());
            }
        }
        // float32 weights give float32 factors
        Tensor w32 = Tensor.randn(new Rng(51), DType.COMPLEX64, Device.CPU, 0, 1, shape);
        assertEquals(DType.COMPLEX64, FactorizedTensors.compress(DecompositionMethod.TUCKER, w32, RankSpec.fraction(0.2), OPTS).factorized().dtype());
    }

    @Test
    void ttToleranceAppliesToComplexWeights() {
        Tensor w = Tensor.randn(new Rng(52), DType.COMPLEX128, Device.CPU, 0, 1, 6, 6, 4, 4);
        CompressionReport r = FactorizedTensors.compress(DecompositionMethod.TT, w, RankSpec.tolerance(0.4), OPTS);
        assertTrue(r.relativeError() <= 0.4, "error " + r.relativeError());
        assertTrue(relativeError(r.factorized().reconstruct(), w) <= 0.4);
    }

    @Test
    void fromDenseGivesTrainableFactorsThatContractLikeTheWeight() {
        Tensor w = plantedComplex(TensorFormat.TUCKER, new int[] {6, 5, 4, 3}, new Rng(60));
        FactorizedTensor f = FactorizedTensors.fromDense(TensorFormat.TUCKER, w, rankFor(TensorFormat.TUCKER), OPTS);
        Tensor x = Tensor.randn(new Rng(61), DType.COMPLEX128, Device.CPU, 0, 1, 2, 6, 4, 3);
        assertTrue(relativeError(f.contract(x), Contractions.contractDense(x, w)) < 1e-6);
        Tensor loss = f.contract(x).real().sum();
        loss.backward();
        for (Tensor p : f.parameters().values()) assertTrue(p.grad() != null, "gradient reaches every factor");
    }
}
