package org.opforge.tensor.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.FftNorm;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.fft.FftService;
import org.opforge.tensor.fft.TensorFftService;

/** The service is found through ServiceLoader and computes the same transforms as the definition. */
class FftServiceTest {

    @Test
    void serviceLoaderFindsTheBuiltInProvider() {
        assertInstanceOf(TensorFftService.class, FftService.get());
    }

    @Test
    void twoDimensionalRealRoundTripAndValues() {
        FftService fft = FftService.get();
        Random r = new Random(5);
        int h = 6, w = 5;
        double[] x = new double[2 * h * w];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        Tensor t = Tensor.of(x, 2, h, w);
        Tensor z = fft.rfft(t, 2, FftNorm.ORTHO);
        assertArrayEquals(new int[] {2, h, w / 2 + 1}, z.shape());
        // bin (1, 2) of image 1 by the definition
        double re = 0, im = 0;
        for (int a = 0; a < h; a++) {
            for (int b = 0; b < w; b++) {
                double ang = -2 * Math.PI * (1.0 * a / h + 2.0 * b / w);
                re += x[h * w + a * w + b] * Math.cos(ang);
                im += x[h * w + a * w + b] * Math.sin(ang);
            }
        }
        double[] zd = z.toDoubleArray();
        int k = 2 * (((1 * h) + 1) * (w / 2 + 1) + 2);
        assertEquals(re / Math.sqrt(h * w), zd[k], 1e-12);
        assertEquals(im / Math.sqrt(h * w), zd[k + 1], 1e-12);
        assertArrayEquals(x, fft.irfft(z, new int[] {h, w}, FftNorm.ORTHO).toDoubleArray(), 1e-12);
        double[] c = fft.ifft(fft.fft(t, 3, FftNorm.FORWARD), 3, FftNorm.FORWARD).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], c[2 * i], 1e-12);
            assertEquals(0, c[2 * i + 1], 1e-12);
        }
    }
}
