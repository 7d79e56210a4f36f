package org.opforge.tensor.cpu;

/**
 * GEMM dispatch by dtype for {@link CpuBackend#gemm}: float32 to {@link Sgemm}, float64 to
 * {@link Dgemm}, complex as four real products on split parts,
 * Re C = Re A Re B - Im A Im B, Im C = Re A Im B + Im A Re B (per-call scratch for the parts).
 */
final class Gemm {
    private Gemm() {}

    /** Name of the float32 micro-kernel in use ("java", or "vector-512 12x16" where 512-bit SIMD is preferred). */
    static String kernelName() { return Sgemm.KERNEL.name(); }

    static void run(boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
                    CpuBuffer a, long aOff, long aStride, CpuBuffer b, long bOff, long bStride,
                    double beta, CpuBuffer c, long cOff, long cStride) {
        if (a.dtype != c.dtype || b.dtype != c.dtype) {
            throw new IllegalArgumentException("gemm: operand dtypes " + a.dtype + ", " + b.dtype + " and result " + c.dtype + " differ");
        }
        if (!c.dtype.isComplex()) {
            if (c.f != null) {
                Sgemm.gemm(ta, tb, batch, m, n, k, (float) alpha, a.f, (int) aOff, aStride, b.f, (int) bOff, bStride,
                        (float) beta, c.f, (int) cOff, cStride);
            } else {
                Dgemm.gemm(ta, tb, batch, m, n, k, alpha, a.d, (int) aOff, aStride, b.d, (int) bOff, bStride,
                        beta, c.d, (int) cOff, cStride);
            }
            return;
        }
        complex(ta, tb, batch, m, n, k, alpha, a, aOff, aStride, b, bOff, bStride, beta, c, cOff, cStride);
    }

    private static void complex(boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
                                CpuBuffer a, long aOff, long aStride, CpuBuffer b, long bOff, long bStride,
                                double beta, CpuBuffer c, long cOff, long cStride) {
        // split every matrix the batch touches into dense real parts with compact batch strides
        int aBatches = aStride == 0 ? 1 : batch, bBatches = bStride == 0 ? 1 : batch;
        int aSize = m * k, bSize = k * n, cSize = m * n;
        boolean dbl = c.d != null;
        if (!dbl) {
            float[] ar = new float[aBatches * aSize], ai = new float[ar.length];
            float[] br = new float[bBatches * bSize], bi = new float[br.length];
            splitF(a.f, aOff, aStride, aBatches, aSize, ar, ai);
            splitF(b.f, bOff, bStride, bBatches, bSize, br, bi);
            float[] cr = new float[batch * cSize], ci = new float[cr.length];
            long as = aStride == 0 ? 0 : aSize, bs = bStride == 0 ? 0 : bSize;
            float al = (float) alpha;
            Sgemm.gemm(ta, tb, batch, m, n, k, al, ar, 0, as, br, 0, bs, 0f, cr, 0, cSize);
            Sgemm.gemm(ta, tb, batch, m, n, k, -al, ai, 0, as, bi, 0, bs, 1f, cr, 0, cSize);
            Sgemm.gemm(ta, tb, batch, m, n, k, al, ar, 0, as, bi, 0, bs, 0f, ci, 0, cSize);
            Sgemm.gemm(ta, tb, batch, m, n, k, al, ai, 0, as, br, 0, bs, 1f, ci, 0, cSize);
            float[] z = c.f;
            float be = (float) beta;
            for (int q = 0; q < batch; q++) {
                int base = (int) (cOff + q * cStride) * 2;
                for (int e = 0; e < cSize; e++) {
                    int s = base + 2 * e;
                    z[s] = cr[q * cSize + e] + (beta == 0 ? 0f : be * z[s]);
                    z[s + 1] = ci[q * cSize + e] + (beta == 0 ? 0f : be * z[s + 1]);
                }
            }
        } else {
            double[] ar = new double[aBatches * aSize], ai = new double[ar.length];
            double[] br = new double[bBatches * bSize], bi = new double[br.length];
            splitD(a.d, aOff, aStride, aBatches, aSize, ar, ai);
            splitD(b.d, bOff, bStride, bBatches, bSize, br, bi);
            double[] cr = new double[batch * cSize], ci = new double[cr.length];
            long as = aStride == 0 ? 0 : aSize, bs = bStride == 0 ? 0 : bSize;
            Dgemm.gemm(ta, tb, batch, m, n, k, alpha, ar, 0, as, br, 0, bs, 0, cr, 0, cSize);
            Dgemm.gemm(ta, tb, batch, m, n, k, -alpha, ai, 0, as, bi, 0, bs, 1, cr, 0, cSize);
            Dgemm.gemm(ta, tb, batch, m, n, k, alpha, ar, 0, as, bi, 0, bs, 0, ci, 0, cSize);
            Dgemm.gemm(ta, tb, batch, m, n, k, alpha, ai, 0, as, br, 0, bs, 1, ci, 0, cSize);
            double[] z = c.d;
            for (int q = 0; q < batch; q++) {
                int base = (int) (cOff + q * cStride) * 2;
                for (int e = 0; e < cSize; e++) {
                    int s = base + 2 * e;
                    z[s] = cr[q * cSize + e] + (beta == 0 ? 0 : beta * z[s]);
                    z[s + 1] = ci[q * cSize + e] + (beta == 0 ? 0 : beta * z[s + 1]);
                }
            }
        }
    }

    private static void splitF(float[] z, long off, long stride, int batches, int size, float[] re, float[] im) {
        for (int q = 0; q < batches; q++) {
            int base = (int) (off + q * stride) * 2;
            for (int e = 0; e < size; e++) {
                re[q * size + e] = z[base + 2 * e];
                im[q * size + e] = z[base + 2 * e + 1];
            }
        }
    }

    private static void splitD(double[] z, long off, long stride, int batches, int size, double[] re, double[] im) {
        for (int q = 0; q < batches; q++) {
            int base = (int) (off + q * stride) * 2;
            for (int e = 0; e < size; e++) {
                re[q * size + e] = z[base + 2 * e];
                im[q * size + e] = z[base + 2 * e + 1];
            }
        }
    }
}
