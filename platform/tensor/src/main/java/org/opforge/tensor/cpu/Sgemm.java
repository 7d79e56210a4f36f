package org.opforge.tensor.cpu;

/**
 * Blocked, packed, multithreaded float32 GEMM (the BLIS loop nest): C = alpha op(A) op(B) + beta C,
 * row-major, batched with per-operand batch strides (0 shares a matrix across the batch).
 *
 * <p>Loops, outermost first: column panels of width NC; k blocks of depth KC (B panel packed into
 * nr-wide slivers, it stays in L2/L3); row blocks of height MC (A block packed into mr-high
 * slivers with alpha applied, it stays in L2); then nr-wide B slivers (in L1) against each A sliver
 * through the micro-kernel. Edge tiles run into a scratch tile and are added back. Packing buffers
 * are per thread and reused across calls.
 *
 * <p>Parallelism: a batch of small products is split over the batch; a single large product is
 * split into column (or, when taller than wide, row) ranges aligned to the tile, one packing per
 * thread.
 */
final class Sgemm {
    private Sgemm() {}

    static final int KC = 256, MC = 144, NC = 2048;

    /** The micro-kernel in use: SIMD when jdk.incubator.vector is available, plain Java otherwise. */
    static final SgemmKernel KERNEL = pickKernel();

    private static SgemmKernel pickKernel() {
        if (!Boolean.getBoolean("opforge.cpu.nosimd") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (SgemmKernel) Class.forName("org.opforge.tensor.cpu.VectorSgemmKernel").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // module present but unusable here (e.g. not wired into this class loader): plain path
            }
        }
        return new JavaSgemmKernel();
    }

    private static final class Buffers {
        float[] a = new float[0], b = new float[0], tile = new float[0];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    static void gemm(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha,
                     float[] a, int aOff, long aStride, float[] b, int bOff, long bStride,
                     float beta, float[] c, int cOff, long cStride) {
        gemm(KERNEL, ta, tb, batch, m, n, k, alpha, a, aOff, aStride, b, bOff, bStride, beta, c, cOff, cStride);
    }

    static void gemm(SgemmKernel kern, boolean ta, boolean tb, int batch, int m, int n, int k, float alpha,
                     float[] a, int aOff, long aStride, float[] b, int bOff, long bStride,
                     float beta, float[] c, int cOff, long cStride) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        long work = (long) m * n * Math.max(k, 1);
        int threads = CpuThreads.threads();
        if (batch > 1 && (work < (1L << 21) || batch >= 4L * threads)) {
            CpuThreads.parallelFor(batch, work, (q0, q1) -> {
                for (int q = q0; q < q1; q++) {
                    block(kern, ta, tb, m, n, k, alpha, a, (int) (aOff + q * aStride), b, (int) (bOff + q * bStride),
                            beta, c, (int) (cOff + q * cStride), 0, m, 0, n);
                }
            });
            return;
        }
        for (int q = 0; q < batch; q++) {
            int ao = (int) (aOff + q * aStride), bo = (int) (bOff + q * bStride), co = (int) (cOff + q * cStride);
            if (threads == 1 || work < CpuThreads.MIN_PARALLEL_WORK * 4) {
                block(kern, ta, tb, m, n, k, alpha, a, ao, b, bo, beta, c, co, 0, m, 0, n);
                continue;
            }
            boolean byColumns = n >= m;
            int unit = byColumns ? kern.nr() : kern.mr();
            int extent = byColumns ? n : m;
            int units = (extent + unit - 1) / unit;
            int parts = Math.min(units, threads);
            CpuThreads.parallelTasks(parts, t -> {
                int u0 = (int) ((long) units * t / parts), u1 = (int) ((long) units * (t + 1) / parts);
                int lo = u0 * unit, hi = Math.min(extent, u1 * unit);
                if (byColumns) block(kern, ta, tb, m, n, k, alpha, a, ao, b, bo, beta, c, co, 0, m, lo, hi);
                else block(kern, ta, tb, m, n, k, alpha, a, ao, b, bo, beta, c, co, lo, hi, 0, n);
            });
        }
    }

    /** C rows [i0, i1) x columns [j0, j1) of one product. */
    static void block(SgemmKernel kern, boolean ta, boolean tb, int m, int n, int k, float alpha,
                      float[] a, int ao, float[] b, int bo, float beta, float[] c, int co,
                      int i0, int i1, int j0, int j1) {
        int ldc = n;
        scale(c, co, ldc, i0, i1, j0, j1, beta);
        if (k == 0 || alpha == 0) return;
        final int mr = kern.mr(), nr = kern.nr();
        Buffers buf = BUFFERS.get();
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, roundUp(j1 - j0, nr));
        int mcMax = Math.min(roundUp(MC, mr), roundUp(i1 - i0, mr));
        if (buf.a.length < mcMax * kcMax) buf.a = new float[mcMax * kcMax];
        if (buf.b.length < ncMax * kcMax) buf.b = new float[ncMax * kcMax];
        if (buf.tile.length < mr * nr) buf.tile = new float[mr * nr];
        float[] pa = buf.a, pb = buf.b, tile = buf.tile;
        int mcStep = roundUp(MC, mr);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(tb, b, bo, k, n, pc, kc, jc, nc, nr, pb);
                for (int ic = i0; ic < i1; ic += mcStep) {
                    int mc = Math.min(mcStep, i1 - ic);
                    packA(ta, a, ao, m, k, ic, mc, pc, kc, mr, alpha, pa);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int w = Math.min(nr, nc - jr);
                        int bsl = (jr / nr) * kc * nr;
                        for (int ir = 0; ir < mc; ir += mr) {
                            int h = Math.min(mr, mc - ir);
                            int asl = (ir / mr) * kc * mr;
                            int cAt = co + (ic + ir) * ldc + jc + jr;
                            if (h == mr && w == nr) {
                                kern.tile(kc, pa, asl, pb, bsl, c, cAt, ldc);
                            } else {
                                java.util.Arrays.fill(tile, 0, mr * nr, 0f);
                                kern.tile(kc, pa, asl, pb, bsl, tile, 0, nr);
                                for (int r = 0; r < h; r++) {
                                    int cr = cAt + r * ldc, tr = r * nr;
                                    for (int j = 0; j < w; j++) c[cr + j] += tile[tr + j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static int roundUp(int x, int unit) { return (x + unit - 1) / unit * unit; }

    private static void scale(float[] c, int co, int ldc, int i0, int i1, int j0, int j1, float beta) {
        if (beta == 1) return;
        for (int i = i0; i < i1; i++) {
            int row = co + i * ldc;
            if (beta == 0) java.util.Arrays.fill(c, row + j0, row + j1, 0f);
            else for (int j = j0; j < j1; j++) c[row + j] *= beta;
        }
    }

    /** B(pc.., jc..) of kc x nc into nr-wide slivers: pb[s*kc*nr + p*nr + jj], zero-padded columns. */
    private static void packB(boolean tb, float[] b, int bo, int k, int n, int pc, int kc, int jc, int nc, int nr, float[] pb) {
        for (int jr = 0, s = 0; jr < nc; jr += nr, s++) {
            int w = Math.min(nr, nc - jr);
            int dst = s * kc * nr;
            if (!tb) {
                int src = bo + pc * n + jc + jr;
                if (w == nr) {
                    for (int p = 0; p < kc; p++, src += n, dst += nr) System.arraycopy(b, src, pb, dst, nr);
                } else {
                    for (int p = 0; p < kc; p++, src += n, dst += nr) {
                        System.arraycopy(b, src, pb, dst, w);
                        java.util.Arrays.fill(pb, dst + w, dst + nr, 0f);
                    }
                }
            } else {
                // B stored (n, k): column j of op(B) is row j of b
                for (int jj = 0; jj < w; jj++) {
                    int src = bo + (jc + jr + jj) * k + pc;
                    for (int p = 0; p < kc; p++) pb[dst + p * nr + jj] = b[src + p];
                }
                for (int jj = w; jj < nr; jj++) for (int p = 0; p < kc; p++) pb[dst + p * nr + jj] = 0f;
            }
        }
    }

    /** alpha * A(ic.., pc..) of mc x kc into mr-high slivers: pa[s*kc*mr + p*mr + r], zero-padded rows. */
    private static void packA(boolean ta, float[] a, int ao, int m, int k, int ic, int mc, int pc, int kc, int mr,
                              float alpha, float[] pa) {
        for (int ir = 0, s = 0; ir < mc; ir += mr, s++) {
            int h = Math.min(mr, mc - ir);
            int dst = s * kc * mr;
            if (!ta) {
                for (int r = 0; r < h; r++) {
                    int src = ao + (ic + ir + r) * k + pc;
                    for (int p = 0; p < kc; p++) pa[dst + p * mr + r] = alpha * a[src + p];
                }
            } else {
                // A stored (k, m): row i of op(A) is column i of a, contiguous across r
                for (int p = 0; p < kc; p++) {
                    int src = ao + (pc + p) * m + ic + ir;
                    int d = dst + p * mr;
                    for (int r = 0; r < h; r++) pa[d + r] = alpha * a[src + r];
                }
            }
            if (h < mr) for (int p = 0; p < kc; p++) for (int r = h; r < mr; r++) pa[dst + p * mr + r] = 0f;
        }
    }
}
