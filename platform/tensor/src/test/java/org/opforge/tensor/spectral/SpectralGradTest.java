package org.opforge.tensor.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.FftNorm;
import org.opforge.tensor.GradCheck;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/**
 * Finite-difference checks (float64) of every spectral op, at odd and even lengths, and second-order
 * checks through nonlinear compositions so the gradient rules of the transforms are themselves
 * differentiated.
 */
class SpectralGradTest {
    private final Rng rng = new Rng(99);

    private Tensor real(int... shape) {
        return Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, shape);
    }

    private Tensor cplx(int... shape) {
        return Tensor.complex(real(shape), real(shape));
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 7, 8, 12, 17})
    void oneDimensionalTransforms(int n) {
        for (FftNorm norm : FftNorm.values()) {
            GradCheck.check("rfft " + norm, x -> Spectral.rfft(x[0], 1, norm), real(2, n, 3));
            GradCheck.check("irfft " + norm, x -> Spectral.irfft(x[0], n, 1, norm), cplx(2, n / 2 + 1, 3));
            GradCheck.check("fft " + norm, x -> Spectral.fft(x[0], -1, norm), cplx(3, n));
            GradCheck.check("ifft " + norm, x -> Spectral.ifft(x[0], 0, norm), cplx(n, 2));
        }
        // irfft of fewer / more bins than n/2+1 (zero-extended / cut, as torch)
        GradCheck.check("irfft short", x -> Spectral.irfft(x[0], 2 * n, -1, FftNorm.BACKWARD), cplx(2, n / 2 + 1));
        GradCheck.check("irfft long", x -> Spectral.irfft(x[0], n, -1, FftNorm.BACKWARD), cplx(2, n + 2));
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {5, 8, 13, 16})
    void prunedPrimitivesAndWeights(int n) {
        int lo = (n + 1) / 3, hi = n / 4;
        GradCheck.check("c2c analysis", x -> Spectral.c2c(x[0], 1, n, lo, hi, false, false, 0.7), cplx(2, n, 2));
        GradCheck.check("c2c synthesis", x -> Spectral.c2c(x[0], 1, n, lo, hi, true, true, 0.3), cplx(2, lo + hi, 2));
        int bins = n / 2 + 1;
        for (boolean herm : new boolean[] {false, true}) {
            GradCheck.check("r2c herm=" + herm, x -> Spectral.r2c(x[0], 0, bins - 1, herm, 1.5), real(n, 3));
            GradCheck.check("c2r herm=" + herm, x -> Spectral.c2r(x[0], 0, n, herm, 0.5), cplx(bins, 3));
        }
    }

    @Test
    void multiDimensionalTransforms() {
        GradCheck.check("rfftn 2-D", x -> Spectral.rfftn(x[0], 2, FftNorm.ORTHO), real(2, 5, 6));
        GradCheck.check("irfftn 2-D", x -> Spectral.irfftn(x[0], new int[] {5, 6}, FftNorm.BACKWARD), cplx(2, 5, 4));
        GradCheck.check("irfftn 2-D odd", x -> Spectral.irfftn(x[0], new int[] {4, 7}, FftNorm.FORWARD), cplx(2, 4, 4));
        GradCheck.check("rfftn 3-D", x -> Spectral.rfftn(x[0], 3, FftNorm.BACKWARD), real(1, 3, 4, 5));
        GradCheck.check("irfftn 3-D", x -> Spectral.irfftn(x[0], new int[] {3, 4, 6}, FftNorm.BACKWARD), cplx(1, 3, 4, 4));
        GradCheck.check("fftn 3-D", x -> Spectral.fftn(x[0], 3, FftNorm.ORTHO), cplx(3, 2, 5));
        GradCheck.check("ifftn 2-D of a real input", x -> Spectral.ifftn(x[0], 2, FftNorm.BACKWARD), real(3, 4));
    }

    @Test
    void irfftIgnoresTheImaginaryPartOfBinZeroAndNyquist() {
        for (int n : new int[] {8, 9}) {
            Tensor z = cplx(2, n / 2 + 1).requiresGrad(true);
            Tensor y = Spectral.irfft(z, n, -1, FftNorm.BACKWARD);
            Tensor g = Autograd.grad(y, real(2, n), false, z)[0];
            double[] d = g.toDoubleArray();
            int bins = n / 2 + 1;
            for (int r = 0; r < 2; r++) {
                assertEquals(0.0, d[2 * (r * bins) + 1], "Im bin 0, n = " + n);
                if (n % 2 == 0) assertEquals(0.0, d[2 * (r * bins + n / 2) + 1], "Im bin n/2, n = " + n);
            }
        }
    }

    @Test
    void complexChannelMixing() {
        GradCheck.check("mix 1-D", x -> Spectral.complexMulChannels(x[0], x[1]), cplx(2, 3, 5), cplx(3, 4, 5));
        GradCheck.check("mix 2-D", x -> Spectral.complexMulChannels(x[0], x[1]), cplx(2, 3, 2, 3), cplx(3, 2, 2, 3));
        GradCheck.check("mix 3-D", x -> Spectral.complexMulChannels(x[0], x[1]), cplx(1, 2, 2, 2, 2), cplx(2, 3, 2, 2, 2));
        GradCheck.check("mix real x", x -> Spectral.complexMulChannels(x[0], x[1]), real(2, 3, 4), cplx(3, 2, 4));
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {9, 10})
    void spectralConvolutions(int s) {
        GradCheck.check("spectralConv1d", x -> Spectral.spectralConv1d(x[0], x[1]), real(2, 3, s), cplx(3, 2, s / 2 + 1));
        GradCheck.check("spectralConv1d few modes", x -> Spectral.spectralConv1d(x[0], x[1]), real(2, 3, s), cplx(3, 2, 3));
        GradCheck.check("spectralConv2d", x -> Spectral.spectralConv2d(x[0], x[1], x[2]),
                real(2, 2, s - 2, s), cplx(2, 3, 2, s / 2 + 1), cplx(2, 3, 2, s / 2 + 1));
        GradCheck.check("spectralConv3d", x -> Spectral.spectralConv3d(x[0], x[1], x[2], x[3], x[4]),
                real(1, 2, 4, 5, s - 4), cplx(2, 2, 2, 2, 2), cplx(2, 2, 2, 2, 2), cplx(2, 2, 2, 2, 2), cplx(2, 2, 2, 2, 2));
    }

    @Test
    void secondOrderThroughNonlinearCompositions() {
        // rfft then irfft with a complex square in between: the Hessian involves both gradient rules
        GradCheck.checkBoth("irfft(rfft(x)^2) even", x -> {
            Tensor z = Spectral.rfft(x[0], -1, FftNorm.ORTHO);
            return Spectral.irfft(z.mul(z), 8, -1, FftNorm.ORTHO);
        }, real(2, 8));
        GradCheck.checkBoth("irfft(rfft(x)^2) odd", x -> {
            Tensor z = Spectral.rfft(x[0], -1, FftNorm.BACKWARD);
            return Spectral.irfft(z.mul(z), 7, -1, FftNorm.BACKWARD);
        }, real(2, 7));
        GradCheck.checkBoth("irfft(z)^2", x -> Spectral.irfft(x[0], 6, -1, FftNorm.BACKWARD).square(), cplx(3, 4));
        GradCheck.checkBoth("rfft2 . irfft2", x -> {
            Tensor z = Spectral.rfftn(x[0], 2, FftNorm.FORWARD);
            return Spectral.irfftn(z.mul(z), new int[] {4, 5}, FftNorm.FORWARD);
        }, real(4, 5));
        GradCheck.checkBoth("spectralConv2d(x, w)^2", x -> Spectral.spectralConv2d(x[0], x[1], x[2]).square(),
                real(1, 2, 6, 6), cplx(2, 2, 2, 3), cplx(2, 2, 2, 3));
        GradCheck.checkBoth("spectralConv1d(x, w)^2", x -> Spectral.spectralConv1d(x[0], x[1]).square(), real(2, 2, 7), cplx(2, 3, 3));
    }
}
