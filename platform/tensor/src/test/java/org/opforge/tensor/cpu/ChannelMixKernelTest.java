package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.Rng;

/**
 * The float32 channel contraction (plain and, when the vector module is present, SIMD) against the
 * definition in double, for every transpose / conjugation flag and for sizes with odd batch and
 * channel counts and mode counts that leave a tail after the last full vector.
 */
class ChannelMixKernelTest {
    private static List<ChannelMixKernel> kernels() {
        List<ChannelMixKernel> ks = new ArrayList<>();
        ks.add(new ChannelMix.Plain());
        if (!(ChannelMix.KERNEL instanceof ChannelMix.Plain)) ks.add(ChannelMix.KERNEL);
        return ks;
    }

    private static float[] random(int n, long seed) {
        Rng r = new Rng(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextNormal();
        return f;
    }

    @Test
    void matchesTheDefinition() {
        int[][] sizes = {{3, 5, 3, 19}, {4, 8, 6, 64}, {1, 2, 1, 7}, {5, 3, 4, 131}};
        for (ChannelMixKernel k : kernels()) {
            for (int[] sz : sizes) {
                int nb = sz[0], ni = sz[1], no = sz[2], modes = sz[3];
                for (int flags = 0; flags < 16; flags++) {
                    boolean tA = (flags & 1) != 0, cA = (flags & 2) != 0, tB = (flags & 4) != 0, cB = (flags & 8) != 0;
                    float[] a = random(2 * nb * ni * modes, flags * 7L + nb), b = random(2 * ni * no * modes, flags * 11L + no);
                    float[] out = new float[2 * nb * no * modes];
                    ChannelMix.mix(k, a, tA, cA, b, tB, cB, out, nb, ni, no, modes);
                    double err = 0, max = 0;
                    for (int bb = 0; bb < nb; bb++) {
                        for (int o = 0; o < no; o++) {
                            for (int m = 0; m < modes; m++) {
                                double re = 0, im = 0;
                                for (int i = 0; i < ni; i++) {
                                    int pa = 2 * ((tA ? i * nb + bb : bb * ni + i) * modes + m);
                                    int pb = 2 * ((tB ? o * ni + i : i * no + o) * modes + m);
                                    double xr = a[pa], xi = cA ? -a[pa + 1] : a[pa + 1];
                                    double yr = b[pb], yi = cB ? -b[pb + 1] : b[pb + 1];
                                    re += xr * yr - xi * yi;
                                    im += xr * yi + xi * yr;
                                }
                                int d = 2 * ((bb * no + o) * modes + m);
                                err = Math.max(err, Math.max(Math.abs(out[d] - re), Math.abs(out[d + 1] - im)));
                                max = Math.max(max, Math.max(Math.abs(re), Math.abs(im)));
                            }
                        }
                    }
                    assertTrue(err <= 1e-5 * max, k.name() + " sizes " + java.util.Arrays.toString(sz) + " flags " + flags
                            + ": max error " + err + " for scale " + max);
                }
            }
        }
    }
}
