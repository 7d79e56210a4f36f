package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernel of the float32 FFT against the plain loops it replaces: bitwise equal results
 * (same operations in the same order) for the Stockham stages of power-of-two and mixed lengths
 * (radix-3/5 stages stay plain between SIMD radix-2/4 stages, Bluestein runs its power-of-two
 * convolution through them), and for the real-transform post- and pre-processing.
 */
class FloatFftSimdTest {
    private static float[] random(Random r, int size) {
        float[] f = new float[size];
        for (int i = 0; i < size; i++) f[i] = (float) r.nextGaussian();
        return f;
    }

    @Test
    void stagesMatchThePlainLoopsBitwise() {
        FloatFftSimd simd = FloatFftSimd.KERNEL;
        assumeTrue(simd != null, "jdk.incubator.vector not present");
        int w = simd.width();
        Random r = new Random(5);
        for (int n : new int[] {2, 4, 8, 16, 32, 64, 128, 512, 2048, 12, 48, 40, 96, 17}) {
            for (int V : new int[] {w, 2 * w, 3 * w}) {
                FftPlan p = FftPlan.of(n);
                float[] xr = random(r, n * V), xi = random(r, n * V);
                float[][] plain = transform(p, xr, xi, V, null), vec = transform(p, xr, xi, V, simd);
                assertArrayEquals(plain[0], vec[0], "real parts, n = " + n + ", V = " + V);
                assertArrayEquals(plain[1], vec[1], "imaginary parts, n = " + n + ", V = " + V);
            }
        }
    }

    /** Forward DFT of the lanes with the given kernel (null: plain loops), Bluestein included. */
    private static float[][] transform(FftPlan p, float[] xr, float[] xi, int V, FloatFftSimd simd) {
        if (p.isBluestein()) {
            // the convolution stages are what the kernel runs; compare those on the padded length
            p = p.conv;
            xr = java.util.Arrays.copyOf(xr, p.n * V);
            xi = java.util.Arrays.copyOf(xi, p.n * V);
        }
        float[] ar = xr.clone(), ai = xi.clone(), br = new float[ar.length], bi = new float[ar.length];
        boolean inB = FloatFft.stockham(p, ar, ai, br, bi, V, simd);
        return inB ? new float[][] {br, bi} : new float[][] {ar, ai};
    }

    @Test
    void realTransformPostAndPreProcessingMatchThePlainLoopsBitwise() {
        FloatFftSimd simd = FloatFftSimd.KERNEL;
        assumeTrue(simd != null, "jdk.incubator.vector not present");
        int V = 2 * simd.width(), rows = 9;
        Random r = new Random(6);
        float[] ar = random(r, rows * V), ai = random(r, rows * V);
        for (int k1 = 0; k1 < rows; k1++) {
            int k2 = rows - 1 - k1;
            float h = (float) r.nextGaussian(), wr = (float) r.nextGaussian(), wi = (float) r.nextGaussian();
            float[] pr = new float[V], pi = new float[V], vr = new float[V], vi = new float[V];
            FloatFft.r2cPost(ar, ai, pr, pi, k1 * V, k2 * V, 0, h, wr, wi, V);
            simd.r2cPost(ar, ai, vr, vi, k1 * V, k2 * V, 0, h, wr, wi, V);
            assertArrayEquals(pr, vr);
            assertArrayEquals(pi, vi);
            float[] qr = new float[rows * V], qi = new float[rows * V], ur = new float[rows * V], ui = new float[rows * V];
            FloatFft.c2rPre(ar, ai, qr, qi, k1 * V, k2 * V, wr, wi, V);
            simd.c2rPre(ar, ai, ur, ui, k1 * V, k2 * V, wr, wi, V);
            assertArrayEquals(qr, ur);
            assertArrayEquals(qi, ui);
        }
    }

    @Test
    void chunksOfNonLastAxesAreColumnBlocksOfOneOuterIndex() {
        // inner >= 16: the width pads inner the least among multiples of 16 up to 64
        assertEquals(48, CpuFftKernels.lanesFor(64, 640 * 33, 33));
        assertEquals(32, CpuFftKernels.lanesFor(64, 640 * 17, 17));
        assertEquals(16, CpuFftKernels.lanesFor(64, 640 * 65, 65));
        assertEquals(64, CpuFftKernels.lanesFor(64, 640 * 128, 128));
        int[] end = new int[1];
        // (outer 5, inner 33, V 48): chunk 3 is outer 3's only block
        assertEquals(5, CpuFftKernels.chunkCount(48, 5, 33));
        assertEquals(99, CpuFftKernels.chunkFirst(3, 48, 5, 33, end));
        assertEquals(132, end[0]);
        // (outer 2, inner 65, V 16): 5 blocks per outer, the last one holds a single column
        assertEquals(10, CpuFftKernels.chunkCount(16, 2, 65));
        assertEquals(65 + 64, CpuFftKernels.chunkFirst(9, 16, 2, 65, end));
        assertEquals(130, end[0]);
        // last axis: consecutive lanes
        assertEquals(16, CpuFftKernels.lanesFor(64, 1000, 1));
        assertEquals(63, CpuFftKernels.chunkCount(16, 1000, 1));
        assertEquals(32, CpuFftKernels.chunkFirst(2, 16, 1000, 1, end));
        assertEquals(1000, end[0]);
    }
}
