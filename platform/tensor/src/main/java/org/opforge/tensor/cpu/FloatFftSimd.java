package org.opforge.tensor.cpu;

/**
 * SIMD versions of the hot loops of {@link FloatFft} (lanes are the vector lanes), used when the lane
 * count V is a multiple of {@link #width()}. The implementation on jdk.incubator.vector is loaded only
 * when that module is present and {@code opforge.cpu.nosimd} is not set; otherwise {@link #KERNEL} is
 * null and FloatFft runs its plain loops. Both compute bitwise the same values (same operations in the
 * same order, no fused multiply-adds).
 */
interface FloatFftSimd {
    FloatFftSimd KERNEL = load();

    private static FloatFftSimd load() {
        return SimdKernels.load(FloatFftSimd.class, "VectorFloatFft");
    }

    /** Floats per vector; V must be a multiple of it. */
    int width();

    /** Radix-2 Stockham stage, arguments as {@code FloatFft.radix2}. */
    void radix2(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, float[] twr, float[] twi, int V);

    /** Radix-4 Stockham stage, arguments as {@code FloatFft.radix4}. */
    void radix4(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, float[] twr, float[] twi, int V);

    /** Post-processing of one bin of the even real transform, arguments as {@code FloatFft.r2cPost}. */
    void r2cPost(float[] ar, float[] ai, float[] xr, float[] xi, int k1, int k2, int o, float h, float wr, float wi, int V);

    /** Pre-processing of one row of the even complex-to-real transform, arguments as {@code FloatFft.c2rPre}. */
    void c2rPre(float[] xr, float[] xi, float[] ar, float[] ai, int k1, int k2, float u, float s, int V);
}
