package org.opforge.tensor.cpu;

/**
 * The plain-Java micro-kernel: an outer product per k step written as rank-1 row updates of
 * length nr = 16, which HotSpot's superword pass turns into vector FMAs (C stays in L1).
 */
final class JavaSgemmKernel implements SgemmKernel {
    static final int MR = 4, NR = 16;

    @Override public int mr() { return MR; }

    @Override public int nr() { return NR; }

    @Override public String name() { return "java"; }

    @Override public void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
        int c0 = co, c1 = co + ldc, c2 = co + 2 * ldc, c3 = co + 3 * ldc;
        for (int p = 0; p < kc; p++) {
            float a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2], a3 = ap[ao + 3];
            for (int j = 0; j < NR; j++) {
                float b = bp[bo + j];
                c[c0 + j] += a0 * b;
                c[c1 + j] += a1 * b;
                c[c2 + j] += a2 * b;
                c[c3 + j] += a3 * b;
            }
            ao += MR;
            bo += NR;
        }
    }

    @Override public void tileCols(int kc, float[] a, int ao, int lda, float[] bp, int bo, int ldb, float[] c, int co, int ldc) {
        int c0 = co, c1 = co + ldc, c2 = co + 2 * ldc, c3 = co + 3 * ldc;
        for (int p = 0; p < kc; p++) {
            int at = ao + p * lda;
            float a0 = a[at], a1 = a[at + 1], a2 = a[at + 2], a3 = a[at + 3];
            for (int j = 0; j < NR; j++) {
                float b = bp[bo + j];
                c[c0 + j] += a0 * b;
                c[c1 + j] += a1 * b;
                c[c2 + j] += a2 * b;
                c[c3 + j] += a3 * b;
            }
            bo += ldb;
        }
    }

    @Override public void tileRows(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] c, int co, int ldc) {
        int c0 = co, c1 = co + ldc, c2 = co + 2 * ldc, c3 = co + 3 * ldc;
        int r0 = ao, r1 = ao + lda, r2 = ao + 2 * lda, r3 = ao + 3 * lda;
        for (int p = 0; p < kc; p++) {
            float a0 = a[r0 + p], a1 = a[r1 + p], a2 = a[r2 + p], a3 = a[r3 + p];
            for (int j = 0; j < NR; j++) {
                float b = bp[bo + j];
                c[c0 + j] += a0 * b;
                c[c1 + j] += a1 * b;
                c[c2 + j] += a2 * b;
                c[c3 + j] += a3 * b;
            }
            bo += NR;
        }
    }
}
