package org.opforge.decomp.factorized;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opforge.decomp.RankSpec;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Factorized weights: the factor-by-factor contraction equals the contraction with the reconstructed
 * weight, and the gradients of both reach the factors (checked against central finite differences in
 * float64 / complex128).
 */
class FactorizedTensorTest {
    private static final int[] SHAPE = {3, 4, 3, 2};

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (DType dt : new DType[] {DType.FLOAT64, DType.COMPLEX128}) {
            a.add(Arguments.of(TensorFormat.CP, RankSpec.of(3), dt));
            a.add(Arguments.of(TensorFormat.TUCKER, RankSpec.of(2, 3, 2, 2), dt));
            a.add(Arguments.of(TensorFormat.TT, RankSpec.of(1, 2, 3, 2, 1), dt));
            a.add(Arguments.of(TensorFormat.DENSE, RankSpec.of(1), dt));
        }
        return a.stream();
    }

    private static FactorizedTensor make(TensorFormat f, RankSpec r, DType dt, long seed) {
        return FactorizedTensors.random(f, SHAPE, r, dt, Device.CPU, 0.7, new Rng(seed));
    }

    /** Real inner product <y, u> = sum Re(y) Re(u) + Im(y) Im(u): the loss of the gradient checks. */
    private static Tensor inner(Tensor y, Tensor u) {
        if (!y.dtype().isComplex()) return y.mul(u).sum();
        return y.real().mul(u.real()).sum().add(y.imag().mul(u.imag()).sum());
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void contractionEqualsContractionWithReconstructedWeight(TensorFormat format, RankSpec rank, DType dt) {
        FactorizedTensor w = make(format, rank, dt, 1);
        Tensor x = Tensor.randn(new Rng(2), dt, Device.CPU, 0, 1, 5, 3, 3, 2);
        Tensor y = w.contract(x);
        assertArrayEquals(new int[] {5, 4, 3, 2}, y.shape());
        Tensor ref = Contractions.contractDense(x, w.reconstruct());
        assertArrayEquals(SHAPE, w.reconstruct().shape());
        assertClose(ref.toDoubleArray(), y.toDoubleArray(), 1e-12, format + " " + dt);
        // the dense reference itself: y[b,o,m] = sum_i x[b,i,m] W[i,o,m] element by element
        double[] xv = x.toDoubleArray(), wv = w.reconstruct().toDoubleArray(), rv = ref.toDoubleArray();
        int s = dt.isComplex() ? 2 : 1;
        int b = 4, o = 3, m = 5; // one entry: b=4, o=3, flat mode index 5
        double re = 0, im = 0;
        for (int i = 0; i < 3; i++) {
            int xi = ((b * 3 + i) * 6 + m) * s, wi = ((i * 4 + o) * 6 + m) * s;
            if (s == 1) re += xv[xi] * wv[wi];
            else {
                re += xv[xi] * wv[wi] - xv[xi + 1] * wv[wi + 1];
                im += xv[xi] * wv[wi + 1] + xv[xi + 1] * wv[wi];
            }
        }
        int yi = ((b * 4 + o) * 6 + m) * s;
        assertEquals(re, rv[yi], 1e-12);
        if (s == 2) assertEquals(im, rv[yi + 1], 1e-12);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void reconstructionGradientMatchesFiniteDifferences(TensorFormat format, RankSpec rank, DType dt) {
        FactorizedTensor w = make(format, rank, dt, 3);
        Tensor u = Tensor.randn(new Rng(4), dt, Device.CPU, 0, 1, SHAPE);
        checkGradients(w.parameters(), () -> inner(w.reconstruct(), u), format + " " + dt + " reconstruct");
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void contractionGradientMatchesFiniteDifferences(TensorFormat format, RankSpec rank, DType dt) {
        FactorizedTensor w = make(format, rank, dt, 5);
        Tensor x = Tensor.randn(new Rng(6), dt, Device.CPU, 0, 1, 2, 3, 3, 2).requiresGrad(true);
        Tensor v = Tensor.randn(new Rng(7), dt, Device.CPU, 0, 1, 2, 4, 3, 2);
        Map<String, Tensor> leaves = new java.util.LinkedHashMap<>(w.parameters());
        leaves.put("x", x);
        checkGradients(leaves, () -> inner(w.contract(x), v), format + " " + dt + " contract");
    }

    /** Backward once, then compare every slot (re and im separately) with a central difference. */
    private static void checkGradients(Map<String, Tensor> leaves, java.util.function.Supplier<Tensor> loss, String what) {
        for (Tensor t : leaves.values()) t.zeroGrad();
        loss.get().backward();
        double h = 1e-6;
        for (Map.Entry<String, Tensor> e : leaves.entrySet()) {
            Tensor p = e.getValue();
            assertNotNull(p.grad(), what + ": no gradient reached " + e.getKey());
            double[] g = p.grad().toDoubleArray();
            double[] base = p.toDoubleArray();
            double[] fd = new double[base.length];
            for (int j = 0; j < base.length; j++) {
                double[] d = base.clone();
                d[j] = base[j] + h;
                p.assign(Tensor.of(d, p.dtype(), Device.CPU, p.shape()));
                double up = loss.get().item();
                d[j] = base[j] - h;
                p.assign(Tensor.of(d, p.dtype(), Device.CPU, p.shape()));
                double down = loss.get().item();
                fd[j] = (up - down) / (2 * h);
            }
            p.assign(Tensor.of(base, p.dtype(), Device.CPU, p.shape()));
            assertClose(fd, g, 1e-6, what + " d/d " + e.getKey());
        }
    }

    /** max |got - ref| <= tol * max(1, max |ref|). */
    static void assertClose(double[] ref, double[] got, double tol, String what) {
        assertEquals(ref.length, got.length, what + ": length");
        double scale = 1, err = 0;
        for (int i = 0; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            err = Math.max(err, Math.abs(ref[i] - got[i]));
        }
        assertTrue(err <= tol * scale, what + ": max error " + err + " > " + tol + " * " + scale);
    }

    @Test
    void parameterNamesFollowTltorch() {
        assertEquals(List.of("weights", "factors.0", "factors.1", "factors.2", "factors.3"),
                new ArrayList<>(make(TensorFormat.CP, RankSpec.of(2), DType.FLOAT64, 1).parameters().keySet()));
        assertEquals(List.of("core", "factors.0", "factors.1", "factors.2", "factors.3"),
                new ArrayList<>(make(TensorFormat.TUCKER, RankSpec.of(2), DType.FLOAT64, 1).parameters().keySet()));
        assertEquals(List.of("factors.0", "factors.1", "factors.2", "factors.3"),
                new ArrayList<>(make(TensorFormat.TT, RankSpec.of(2), DType.FLOAT64, 1).parameters().keySet()));
        for (Tensor t : make(TensorFormat.TT, RankSpec.of(2), DType.COMPLEX64, 1).parameters().values()) {
            assertTrue(t.isLeaf() && t.requiresGrad());
            assertEquals(DType.COMPLEX64, t.dtype());
        }
    }

    @Test
    void randomInitHasTheTargetStandardDeviation() {
        int[] shape = {16, 16, 8, 8};
        for (DType dt : new DType[] {DType.FLOAT64, DType.COMPLEX128}) {
            for (TensorFormat f : TensorFormat.values()) {
                double sum2 = 0;
                int n = 0;
                for (long seed = 0; seed < 4; seed++) {
                    FactorizedTensor w = FactorizedTensors.random(f, shape, RankSpec.fraction(0.1), dt, Device.CPU, 0.02, new Rng(seed));
                    for (double v : w.reconstruct().toDoubleArray()) sum2 += v * v;
                    n += 16 * 16 * 8 * 8;
                }
                double std = Math.sqrt(sum2 / n);
                assertEquals(0.02, std, 0.02 * 0.25, f + " " + dt + ": std of the full tensor");
            }
        }
    }

    @Test
    void contractRejectsMismatchedInput() {
        FactorizedTensor w = make(TensorFormat.CP, RankSpec.of(2), DType.FLOAT64, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.contract(Tensor.zeros(DType.FLOAT64, Device.CPU, 2, 4, 3, 2)));
        assertTrue(e.getMessage().contains("(B, 3, 3, 2)"), e.getMessage());
    }

    @Test
    void factorsMustBeLeaves() {
        Tensor a = Tensor.zeros(DType.FLOAT64, Device.CPU, 3, 2).requiresGrad(true);
        Function<Tensor, Tensor> op = t -> t.mul(2.0);
        assertThrows(IllegalArgumentException.class, () -> new TtFactorizedTensor(List.of(op.apply(a).reshape(1, 3, 2),
                Tensor.zeros(DType.FLOAT64, Device.CPU, 2, 3, 1))));
    }
}
