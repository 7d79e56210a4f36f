package org.opforge.tensor.golden;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opforge.tensor.FftNorm;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/**
 * Golden cases of the spectral ops: rfft / irfft along one axis, rfft2 / irfft2 over two axes, the
 * complex channel einsum, and the FNO spectral convolutions. Axes, sizes, norms and modes come from
 * {@code spec}; the modes of a spectral convolution are also the trailing sizes of its weights, and
 * the two must agree.
 */
public final class SpectralGoldenCases implements GoldenCase {

    @Override public Set<String> cases() {
        return Set.of("rfft", "irfft", "rfft2", "irfft2", "complex_mul_channels", "spectral_conv1d", "spectral_conv2d");
    }

    @Override public Map<String, Tensor> run(GoldenFile f) {
        FftNorm norm = FftNorm.parse(f.specHas("norm") ? f.specString("norm") : null);
        Tensor y = switch (f.caseName()) {
            case "rfft" -> Spectral.rfft(f.input("x"), f.specInt("dim"), norm);
            case "irfft" -> Spectral.irfft(f.input("x"), f.specInt("n"), f.specInt("dim"), norm);
            case "rfft2" -> rfftOver(f.input("x"), f.specInts("dim"), norm);
            case "irfft2" -> irfftOver(f.input("x"), f.specInts("dim"), f.specInts("s"), norm);
            case "complex_mul_channels" -> Spectral.complexMulChannels(f.input("x"), f.input("w"));
            case "spectral_conv1d" -> {
                Tensor w = f.param("weights1");
                expectModes(f, "modes", w.size(2));
                yield Spectral.spectralConv1d(f.input("x"), w);
            }
            case "spectral_conv2d" -> {
                Tensor w1 = f.param("weights1"), w2 = f.param("weights2");
                expectModes(f, "modes1", w1.size(2));
                expectModes(f, "modes2", w1.size(3));
                yield Spectral.spectralConv2d(f.input("x"), w1, w2);
            }
            default -> throw new IllegalArgumentException(f.path().getFileName() + ": case '" + f.caseName() + "' is not a spectral case");
        };
        List<String> names = f.outputNames();
        if (names.size() != 1) {
            throw new IllegalArgumentException(f.path().getFileName() + ": case '" + f.caseName() + "' should have one output, found " + names);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(names.get(0), y);
        return out;
    }

    private static void expectModes(GoldenFile f, String key, int fromWeights) {
        if (f.specHas(key) && f.specInt(key) != fromWeights) {
            throw new IllegalArgumentException(f.path().getFileName() + ": spec " + key + " = " + f.specInt(key)
                    + " but the weights keep " + fromWeights + " modes");
        }
    }

    /** torch.fft.rfftn(x, dim=dims): one-sided transform over the last listed axis, full ones over the others. */
    static Tensor rfftOver(Tensor x, int[] dims, FftNorm norm) {
        Tensor y = Spectral.rfft(x, dims[dims.length - 1], norm);
        for (int k = dims.length - 2; k >= 0; k--) y = Spectral.fft(y, dims[k], norm);
        return y;
    }

    /**
     * torch.fft.irfftn(x, s=sizes, dim=dims): inverse complex transforms over the leading listed axes
     * (input cut or zero-extended at the end to the size), then irfft over the last one.
     */
    static Tensor irfftOver(Tensor x, int[] dims, int[] sizes, FftNorm norm) {
        if (sizes.length != dims.length) {
            throw new IllegalArgumentException("irfftn: " + sizes.length + " sizes for " + dims.length + " axes");
        }
        Tensor y = x;
        for (int k = 0; k < dims.length - 1; k++) {
            int a = dims[k], n = sizes[k], m = y.size(a);
            if (m > n) {
                y = y.slice(a, 0, n);
                m = n;
            }
            y = Spectral.c2c(y, a, n, m, 0, m < n, true, norm.inverseScale(n));
        }
        return Spectral.irfft(y, sizes[sizes.length - 1], dims[dims.length - 1], norm);
    }
}
