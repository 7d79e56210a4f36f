package org.opforge.tensor.cpu;

/**
 * Blocked, packed, multithreaded float32 GEMM (the BLIS loop nest): C = alpha op(A) op(B) + beta C,
 * row-major, batched with per-operand batch strides (0 shares a matrix across the batch).
 *
 * <p>Loops, outermost first: column panels of width NC; k blocks of depth KC, KC_LARGE for large
 * products (B panel packed into nr-wide slivers, it stays in L2/L3); row blocks of height MC, fewer
 * for deeper k blocks (A block packed into mr-high slivers with alpha applied, it stays in L2); then
 * nr-wide B slivers (in L1) against each A sliver through the micro-kernel. Edge tiles run into a
 * scratch tile and are added back. Packing buffers are per thread and reused across calls.
 *
 * <p>Parallelism: a batch of small products is split over the batch; a single large product is
 * split into column (or, when taller than wide, row) ranges aligned to the tile, one packing per
 * thread, except when C is small and k long (weight gradients, k = the batch): then k is split and
 * per-thread partial products are added, so no thread packs the whole of an operand. Vector shapes
 * (k = 1, or one side 1 with its matrix read along rows) skip packing: see {@link #thin}.
 */
final class Sgemm {
    private Sgemm() {}

    static final int KC = 256, MC = 144, NC = 2048;

    /**
     * k block depth of products at least {@link #LARGE} on both sides of C: each k block loads and stores
     * every C tile once and packs A and B again, which a deeper block does less often (2048^3 from 188 to
     * 206 GFLOP/s on 2 cores, 1024^3 from 193 to 200). A function of the shape only, so the sums, which
     * depend on the blocking, are the same on any number of threads.
     */
    static final int KC_LARGE = 1024, LARGE = 512;

    /** A block (values) that fits L2 beside the B slivers: {@code MC x KC}, fewer rows for deeper blocks. */
    private static final int A_BLOCK = MC * KC;

    /** The k block depth of an m x n product. */
    static int depth(int m, int n) { return m >= LARGE && n >= LARGE ? KC_LARGE : KC; }

    /** The micro-kernel in use: SIMD when jdk.incubator.vector is available, plain Java otherwise. */
    static final SgemmKernel KERNEL = pickKernel();

    private static SgemmKernel pickKernel() {
        SgemmKernel simd = SimdKernels.load(SgemmKernel.class, "VectorSgemmKernel");
        return simd != null ? simd : new JavaSgemmKernel();
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
        gemm(kern, ta, tb, batch, m, n, k, alpha, a, aOff, aStride, b, bOff, bStride, beta, c, cOff, cStride, null);
    }

    /**
     * Work on a block {@code [i0, i1) x [j0, j1)} of one product's C, run by the thread that computes
     * that block: {@link #before} writes the block's initial values (C is then accumulated into, as
     * with beta = 1), {@link #after} finishes the block while it is still in cache (a layer's bias and
     * activation).
     */
    interface BlockHooks {
        void before(int i0, int i1, int j0, int j1);

        void after(int i0, int i1, int j0, int j1);
    }

    /**
     * One product (batch 1) C = alpha op(A) op(B) + C0, C0 written block by block by {@code hooks.before},
     * each block then finished by {@code hooks.after}, on whichever thread computes it.
     */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, BlockHooks hooks) {
        gemm(KERNEL, ta, tb, 1, m, n, k, alpha, a, aOff, 0, b, bOff, 0, 1f, c, cOff, 0, hooks);
    }

    private static void gemm(SgemmKernel kern, boolean ta, boolean tb, int batch, int m, int n, int k, float alpha,
                             float[] a, int aOff, long aStride, float[] b, int bOff, long bStride,
                             float beta, float[] c, int cOff, long cStride, BlockHooks hooks) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        if (hooks != null && batch != 1) throw new IllegalArgumentException("gemm: block hooks need one product, found a batch of " + batch);
        long work = (long) m * n * Math.max(k, 1);
        int threads = CpuThreads.threadsHere();
        if (hooks != null && k == 1 && alpha != 0) {
            // a rank-1 product (a layer with one input, such as a trunk net's first): each row range's hooks on
            // the thread that writes it, one pass over C instead of three (two of them on one thread)
            rankOne(kern, m, n, alpha, a, aOff, b, bOff, beta, c, cOff, hooks);
            return;
        }
        if (batch > 1 && (work < (1L << 21) || batch >= 4L * threads)) {
            CpuThreads.parallelFor(batch, work, (q0, q1) -> {
                for (int q = q0; q < q1; q++) {
                    product(kern, ta, tb, m, n, k, alpha, a, (int) (aOff + q * aStride), b, (int) (bOff + q * bStride),
                            beta, c, (int) (cOff + q * cStride));
                }
            });
            return;
        }
        for (int q = 0; q < batch; q++) {
            int ao = (int) (aOff + q * aStride), bo = (int) (bOff + q * bStride), co = (int) (cOff + q * cStride);
            boolean whole = k == 0 || alpha == 0 || thin(ta, tb, m, n, k) || threads == 1 || work < CpuThreads.MIN_PARALLEL_WORK * 4;
            if (whole || splitK(m, n, k, threads)) {
                if (hooks != null) hooks.before(0, m, 0, n);
                if (whole) product(kern, ta, tb, m, n, k, alpha, a, ao, b, bo, beta, c, co);
                else productSplitK(kern, ta, tb, m, n, k, alpha, a, ao, b, bo, beta, c, co, threads);
                if (hooks != null) hooks.after(0, m, 0, n);
                continue;
            }
            // square products split by rows: a row range packs its A rows and the whole B and runs the packed
            // kernel, where column ranges of a square C (A read in place by every range) ran at two thirds the speed
            boolean byColumns = n > m;
            int unit = byColumns ? kern.nr() : kern.mr();
            int extent = byColumns ? n : m;
            int units = (extent + unit - 1) / unit;
            // ranges that read A in place pack only their share of B (or all of a small B): they are split finer,
            // column ranges down to a pair of B slivers, so that a helper thread woken late takes what is left
            // instead of the caller waiting for it
            long panel = (long) Math.min(NC, roundUp(byColumns ? Math.max(1, n / threads) : n, kern.nr())) * Math.min(KC, k);
            boolean inPlace = alpha == 1 && panel <= DIRECT_MAX_PANEL;
            boolean fine = inPlace && (byColumns || panel <= FINE_SPLIT_MAX_PANEL);
            int parts = fine ? Math.max(Math.min(units, threads), Math.min(byColumns ? units / 2 : units, 4 * threads)) : Math.min(units, threads);
            int lda = ta ? m : k, ldb = tb ? k : n;
            int[] order = byColumns ? apart(parts, threads) : null;
            CpuThreads.parallelTasks(parts, task -> {
                int t = order == null ? task : order[task];
                int u0 = (int) ((long) units * t / parts), u1 = (int) ((long) units * (t + 1) / parts);
                int lo = u0 * unit, hi = Math.min(extent, u1 * unit);
                int i0 = byColumns ? 0 : lo, i1 = byColumns ? m : hi, j0 = byColumns ? lo : 0, j1 = byColumns ? hi : n;
                if (hooks != null) hooks.before(i0, i1, j0, j1);
                block(kern, ta, tb, m, n, k, lda, ldb, alpha, a, ao, b, bo, beta, c, co, i0, i1, j0, j1);
                if (hooks != null) hooks.after(i0, i1, j0, j1);
            });
        }
    }

    /**
     * The order in which {@code parts} adjacent column ranges are handed out so that the ranges running at the
     * same time are far apart: the parts are cut into {@code threads} runs and taken one from each run in turn.
     * Adjacent column ranges share a cache line of every row of C unless C happens to start on a line; two
     * threads writing such neighbours in step moved each shared line back and forth and cost a quarter of a
     * 256 x 256 x 256 product.
     */
    static int[] apart(int parts, int threads) {
        int[] order = new int[parts];
        int t = 0;
        for (int q = 0; t < parts; q++) {
            for (int run = 0; run < threads; run++) {
                int at = start(parts, run, threads) + q;
                if (at < start(parts, run + 1, threads)) order[t++] = at;
            }
        }
        return order;
    }

    /** First part of run {@code run}: the runs round up, so the last run is the short one and no run but it is a single part. */
    private static int start(int parts, int run, int threads) {
        return (int) (((long) parts * run + threads - 1) / threads);
    }

    /** One whole product, on the calling thread except for the vector shapes (which parallelize themselves). */
    private static void product(SgemmKernel kern, boolean ta, boolean tb, int m, int n, int k, float alpha,
                                float[] a, int ao, float[] b, int bo, float beta, float[] c, int co) {
        if (k > 0 && alpha != 0 && thin(ta, tb, m, n, k)) {
            thinProduct(kern, ta, tb, m, n, k, alpha, a, ao, b, bo, beta, c, co);
            return;
        }
        block(kern, ta, tb, m, n, k, ta ? m : k, tb ? k : n, alpha, a, ao, b, bo, beta, c, co, 0, m, 0, n);
    }

    /**
     * Shapes a packed tile would mostly pad: a rank-1 update (k = 1), and a matrix-vector product whose
     * matrix is read along contiguous rows of length m or n (op(A) = A^T with n = 1, or op(B) = B with
     * m = 1). Both are sums of scaled contiguous rows, loops HotSpot vectorizes.
     */
    static boolean thin(boolean ta, boolean tb, int m, int n, int k) {
        return k == 1 || (n == 1 && ta) || (m == 1 && !tb);
    }

    /**
     * The thin shapes of {@link #thin}. k = 1: C[i][j] = beta C[i][j] + alpha a_i b_j (op(A) and op(B) are
     * read the same way whatever the flags, as a vector). n = 1 with op(A) = A^T: c = beta c + alpha
     * sum_p b_p A[p, :]; m = 1 with op(B) = B: c = beta c + alpha sum_p a_p B[p, :]. The sums are split
     * over k among threads into partial rows that are then added.
     */
    private static void thinProduct(SgemmKernel kern, boolean ta, boolean tb, int m, int n, int k, float alpha,
                                    float[] a, int ao, float[] b, int bo, float beta, float[] c, int co) {
        if (k == 1) {
            rankOne(kern, m, n, alpha, a, ao, b, bo, beta, c, co, null);
            return;
        }
        // n == 1 (rows of A^T, scalars from b) or m == 1 (rows of B, scalars from a)
        int len = n == 1 ? m : n;
        float[] v = n == 1 ? a : b, sc = n == 1 ? b : a;
        int vo = n == 1 ? ao : bo, so = n == 1 ? bo : ao;
        long work = (long) len * k;
        int parts = work < CpuThreads.MIN_PARALLEL_WORK * 4 ? 1 : (int) Math.min(CpuThreads.threadsHere(), Math.max(1, k / 64));
        float[] acc = new float[parts * len];
        CpuThreads.parallelTasks(parts, t -> {
            int p0 = (int) ((long) k * t / parts), p1 = (int) ((long) k * (t + 1) / parts);
            kern.rowSums(p1 - p0, len, sc, so + p0, v, vo + p0 * len, acc, t * len);
        });
        for (int t = 1; t < parts; t++) for (int j = 0; j < len; j++) acc[j] += acc[t * len + j];
        if (beta == 0) for (int j = 0; j < len; j++) c[co + j] = alpha * acc[j];
        else for (int j = 0; j < len; j++) c[co + j] = beta * c[co + j] + alpha * acc[j];
    }

    /** C = beta C + alpha a b^T (k = 1), rows in parallel; each row range's hooks, if any, around it on its thread. */
    private static void rankOne(SgemmKernel kern, int m, int n, float alpha, float[] a, int ao, float[] b, int bo, float beta,
                                float[] c, int co, BlockHooks hooks) {
        CpuThreads.parallelFor(m, hooks == null ? n : 3L * n, (i0, i1) -> {
            if (hooks != null) hooks.before(i0, i1, 0, n);
            kern.rankOne(i0, i1, n, alpha, a, ao, b, bo, beta, c, co);
            if (hooks != null) hooks.after(i0, i1, 0, n);
        });
    }

    /**
     * Whether to split the inner dimension among threads: C is small (every thread may own a private
     * copy) and k long enough that splitting rows or columns would make each thread pack all of the
     * other operand (the weight gradient of a layer, k = the batch).
     */
    static boolean splitK(int m, int n, int k, int threads) {
        return threads > 1 && (long) m * n <= (1 << 16) && k >= 512L * threads && k >= 4L * Math.max(m, n);
    }

    /**
     * C = beta C + alpha op(A) op(B) as the sum of per-thread partial products over contiguous k ranges:
     * the first part goes into C (applying beta), the others into private m x n scratch added at the end.
     */
    private static void productSplitK(SgemmKernel kern, boolean ta, boolean tb, int m, int n, int k, float alpha,
                                      float[] a, int ao, float[] b, int bo, float beta, float[] c, int co, int threads) {
        int parts = (int) Math.min(threads, k / 512L);
        int lda = ta ? m : k, ldb = tb ? k : n, mn = m * n;
        float[] partial = new float[(parts - 1) * mn];
        CpuThreads.parallelTasks(parts, t -> {
            int p0 = (int) ((long) k * t / parts), p1 = (int) ((long) k * (t + 1) / parts);
            int aAt = ao + (ta ? p0 * m : p0), bAt = bo + (tb ? p0 : p0 * n);
            if (t == 0) block(kern, ta, tb, m, n, p1 - p0, lda, ldb, alpha, a, aAt, b, bAt, beta, c, co, 0, m, 0, n);
            else block(kern, ta, tb, m, n, p1 - p0, lda, ldb, alpha, a, aAt, b, bAt, 0f, partial, (t - 1) * mn, 0, m, 0, n);
        });
        for (int t = 1; t < parts; t++) {
            int base = (t - 1) * mn;
            for (int i = 0; i < m; i++) {
                int row = co + i * n, prow = base + i * n;
                for (int j = 0; j < n; j++) c[row + j] += partial[prow + j];
            }
        }
    }

    /**
     * C rows [i0, i1) x columns [j0, j1) of one product; A and B have leading dimensions lda and ldb (the
     * row lengths of the stored matrices), C has n.
     */
    static void block(SgemmKernel kern, boolean ta, boolean tb, int m, int n, int k, int lda, int ldb, float alpha,
                      float[] a, int ao, float[] b, int bo, float beta, float[] c, int co,
                      int i0, int i1, int j0, int j1) {
        int ldc = n;
        scale(c, co, ldc, i0, i1, j0, j1, beta);
        if (k == 0 || alpha == 0) return;
        final int mr = kern.mr(), nr = kern.nr();
        Buffers buf = BUFFERS.get();
        int depth = depth(m, n), kcMax = Math.min(depth, k);
        int ncMax = Math.min(NC, roundUp(j1 - j0, nr));
        int mcMax = Math.min(roundUp(MC, mr), roundUp(i1 - i0, mr));
        if (buf.a.length < mcMax * kcMax) buf.a = new float[mcMax * kcMax];
        if (buf.b.length < ncMax * kcMax) buf.b = new float[ncMax * kcMax];
        if (buf.tile.length < 2 * mr * nr) buf.tile = new float[2 * mr * nr];
        float[] pa = buf.a, pb = buf.b, tile = buf.tile;
        int mcStep = Math.max(mr, Math.min(roundUp(MC, mr), A_BLOCK / kcMax / mr * mr));
        // A read in place (no packing) when unscaled and the packed B panel is small enough to stay in L2 while
        // each A sliver runs against all of it: A's rows are then used only ncMax / nr times each, so packing
        // them would cost about as much as the product (tall activations times a weight, and the weight
        // gradient G^T X whose k rows of G are contiguous runs of m values)
        boolean direct = alpha == 1 && (long) ncMax * kcMax <= DIRECT_MAX_PANEL;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            // B read in place too where A^T is (a weight gradient G^T X, k = the batch) and only a few A slivers
            // run against the panel: packing it was a pass over B as long as the product's own; a partial last
            // sliver is read shifted left so that it ends at the panel's edge, nothing read past B
            boolean bInPlace = direct && ta && !tb && nc >= nr && i1 - i0 <= B_IN_PLACE_MAX_ROWS;
            // B(p, j) of a sliver at bs[bsl + p bStep + j]; the next sliver starts bNext later
            float[] bs = bInPlace ? b : pb;
            int bStep = bInPlace ? ldb : nr;
            for (int pc = 0; pc < k; pc += depth) {
                int kc = Math.min(depth, k - pc);
                int bNext = bInPlace ? nr : kc * nr;
                boolean bPacked = !bInPlace;
                if (bPacked) packB(kern, tb, b, bo, ldb, pc, kc, jc, nc, nr, pb);
                for (int ic = i0; ic < i1; ic += mcStep) {
                    int mc = Math.min(mcStep, i1 - ic);
                    int inPlace = direct ? mc / mr * mr : 0;
                    // A^T read in place for the last, partial sliver too when the reads past its rows stay inside the
                    // array: they feed only tile rows that are dropped (a weight gradient with 40 outputs packed and
                    // ran its last 4 rows apart)
                    boolean edgeInPlace = direct && ta && mc > inPlace
                            && ao + (long) (pc + kc - 1) * lda + ic + inPlace + mr <= a.length;
                    // the last rows of row-major A, at most half a sliver, read in place too: as half slivers that end at
                    // the last row (the rows above are recomputed into the scratch tile and dropped), at half the cost of
                    // the packed full sliver they ran as (256 x 256 x 256 on 2 threads: 175 -> 167 us)
                    boolean halfTail = direct && !ta && !bInPlace && mc > inPlace && mc - inPlace <= mr / 2 && ic + mc >= mr / 2;
                    int inPlaceEnd = edgeInPlace || halfTail ? mc : inPlace;
                    if (mc > inPlaceEnd) {
                        packA(ta, a, ao, lda, ic + inPlace, mc - inPlace, pc, kc, mr, alpha, pa);
                        if (!bPacked) packB(kern, tb, b, bo, ldb, pc, kc, jc, nc, nr, pb);
                        bPacked = true;
                    }
                    // in place: each A sliver meets every B sliver while it is in L1; packed: the B sliver stays
                    for (int ir = 0; ir < inPlaceEnd; ir += mr) {
                        int aAt = ta ? ao + pc * lda + ic + ir : ao + (ic + ir) * lda + pc;
                        int h = Math.min(mr, mc - ir);
                        if (halfTail && h < mr) {
                            halfSlivers(kern, kc, a, aAt, lda, h, pb, nc, c, co + (ic + ir) * ldc + jc, ldc, tile);
                            continue;
                        }
                        for (int jr = 0; jr < nc; jr += nr) {
                            int w = Math.min(nr, nc - jr);
                            int shift = bInPlace ? nr - w : 0;
                            int bsl = bInPlace ? bo + pc * ldb + jc + jr - shift : (jr / nr) * kc * nr;
                            int cAt = co + (ic + ir) * ldc + jc + jr;
                            int rest = nc - jr;
                            if (h == mr && rest > 2 * nr && rest < 3 * nr) {
                                // two whole slivers and the partial last one in one pass over A's rows (n = 40: the
                                // last eight columns no longer read the twelve rows of A a second time)
                                int w3 = rest - 2 * nr, shift3 = bInPlace ? nr - w3 : 0;
                                int b3 = bsl + 2 * bNext - shift3;
                                java.util.Arrays.fill(tile, 0, mr * nr, 0f);
                                if (ta) kern.tileCols3(kc, a, aAt, lda, bs, bsl, bsl + bNext, b3, bStep, c, cAt, ldc, tile, 0, nr);
                                else kern.tileRows3(kc, a, aAt, lda, pb, bsl, bsl + bNext, b3, c, cAt, ldc, tile, 0, nr);
                                addTile(tile, shift3, nr, c, cAt + 2 * nr, ldc, mr, w3);
                                jr += 2 * nr;
                            } else if (h == mr && rest >= 3 * nr && rest / nr != 4) {
                                // three whole slivers, each A value broadcast once for three of them (four left go as
                                // two pairs, so that no single sliver remains)
                                int b3 = bsl + 2 * bNext;
                                if (ta) kern.tileCols3(kc, a, aAt, lda, bs, bsl, bsl + bNext, b3, bStep, c, cAt, ldc, c, cAt + 2 * nr, ldc);
                                else kern.tileRows3(kc, a, aAt, lda, pb, bsl, bsl + bNext, b3, c, cAt, ldc, c, cAt + 2 * nr, ldc);
                                jr += 2 * nr;
                            } else if (w == nr && h == mr) {
                                if (ta && rest >= 2 * nr) {
                                    kern.tileCols2(kc, a, aAt, lda, bs, bsl, bsl + bNext, bStep, c, cAt, ldc);
                                    jr += nr;
                                } else if (ta) {
                                    kern.tileCols(kc, a, aAt, lda, bs, bsl, bStep, c, cAt, ldc);
                                } else if (rest >= 2 * nr) {
                                    kern.tileRows2(kc, a, aAt, lda, pb, bsl, bsl + bNext, c, cAt, ldc);
                                    jr += nr;
                                } else {
                                    kern.tileRows(kc, a, aAt, lda, pb, bsl, c, cAt, ldc);
                                }
                            } else if (w == nr && rest >= 2 * nr) {
                                // the partial sliver's rows, two B slivers at a time into the scratch tile
                                java.util.Arrays.fill(tile, 0, 2 * mr * nr, 0f);
                                if (ta) kern.tileCols2(kc, a, aAt, lda, bs, bsl, bsl + bNext, bStep, tile, 0, 2 * nr);
                                else kern.tileRows2(kc, a, aAt, lda, pb, bsl, bsl + bNext, tile, 0, 2 * nr);
                                addTile(tile, 0, 2 * nr, c, cAt, ldc, h, 2 * nr);
                                jr += nr;
                            } else {
                                java.util.Arrays.fill(tile, 0, mr * nr, 0f);
                                if (ta) kern.tileCols(kc, a, aAt, lda, bs, bsl, bStep, tile, 0, nr);
                                else kern.tileRows(kc, a, aAt, lda, pb, bsl, tile, 0, nr);
                                addTile(tile, shift, nr, c, cAt, ldc, h, w);
                            }
                        }
                    }
                    for (int jr = 0; jr < nc; jr += nr) {
                        int w = Math.min(nr, nc - jr);
                        int bsl = (jr / nr) * kc * nr;
                        // two full B slivers side by side run as one tile2 (same sums, twice the FMAs per A value)
                        boolean pair = nc - jr >= 2 * nr;
                        for (int ir = inPlaceEnd; ir < mc; ir += mr) {
                            int h = Math.min(mr, mc - ir);
                            int asl = ((ir - inPlace) / mr) * kc * mr;
                            int cAt = co + (ic + ir) * ldc + jc + jr;
                            if (h == mr && pair) {
                                kern.tile2(kc, pa, asl, pb, bsl, bsl + kc * nr, c, cAt, ldc);
                            } else if (h == mr && w == nr) {
                                kern.tile(kc, pa, asl, pb, bsl, c, cAt, ldc);
                            } else {
                                java.util.Arrays.fill(tile, 0, mr * nr, 0f);
                                kern.tile(kc, pa, asl, pb, bsl, tile, 0, nr);
                                addTile(tile, 0, nr, c, cAt, ldc, h, w);
                                if (pair) {
                                    java.util.Arrays.fill(tile, 0, mr * nr, 0f);
                                    kern.tile(kc, pa, asl, pb, bsl + kc * nr, tile, 0, nr);
                                    addTile(tile, 0, nr, c, cAt + nr, ldc, h, nr);
                                }
                            }
                        }
                        if (pair) jr += nr;
                    }
                }
            }
        }
    }

    /**
     * The last {@code h <= mr / 2} rows of a block of C (at {@code cAt}) against the packed B panel of {@code nc} columns,
     * A's rows read in place from {@code aAt}: each three slivers as half a tile over the mr / 2 rows ending at the last
     * row, into the scratch tile, of which the last h rows are added to C. Slivers past the panel's end read its
     * first instead; their sums are dropped.
     */
    private static void halfSlivers(SgemmKernel kern, int kc, float[] a, int aAt, int lda, int h, float[] pb, int nc, float[] c, int cAt,
                                    int ldc, float[] tile) {
        int nr = kern.nr(), half = kern.mr() / 2, up = half - h, sliver = kc * nr, row = 3 * nr;
        for (int jr = 0; jr < nc; jr += 3 * nr) {
            int b1 = (jr / nr) * sliver;
            int b2 = jr + nr < nc ? b1 + sliver : 0, b3 = jr + 2 * nr < nc ? b1 + 2 * sliver : 0;
            java.util.Arrays.fill(tile, 0, half * row, 0f);
            kern.halfTileRows3(kc, a, aAt - up * lda, lda, pb, b1, b2, b3, tile, 0, row);
            addTile(tile, up * row, row, c, cAt + jr, ldc, h, Math.min(row, nc - jr));
        }
    }

    /**
     * Most rows of C for which {@link #block} reads B in place beside A^T: B's rows are then read once per A
     * sliver, with loads that straddle cache lines, which beats one packing pass only for a few slivers.
     */
    static final int B_IN_PLACE_MAX_ROWS = 192;

    /** Largest packed B panel (values; 256 KiB, in L2) for which {@link #block} reads A in place rather than packing it. */
    static final int DIRECT_MAX_PANEL = 64 * 1024;

    /**
     * Largest B panel (values; 64 KiB) that row ranges split finer than one per thread: each range packs the
     * whole panel again (256 x 256 x 256 in eight ranges took 248 us, in two 181 us).
     */
    static final int FINE_SPLIT_MAX_PANEL = 16 * 1024;

    /** Adds {@code h x w} values of a scratch tile with rows of {@code nr}, from its column {@code from}, to C. */
    private static void addTile(float[] tile, int from, int nr, float[] c, int cAt, int ldc, int h, int w) {
        for (int r = 0; r < h; r++) {
            int cr = cAt + r * ldc, tr = r * nr + from;
            for (int j = 0; j < w; j++) c[cr + j] += tile[tr + j];
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
    private static void packB(SgemmKernel kern, boolean tb, float[] b, int bo, int ldb, int pc, int kc, int jc, int nc, int nr, float[] pb) {
        for (int jr = 0, s = 0; jr < nc; jr += nr, s++) {
            int w = Math.min(nr, nc - jr);
            int dst = s * kc * nr;
            if (!tb) {
                if (w == nr) continue; // full slivers: row by row below
                int src = bo + pc * ldb + jc + jr;
                for (int p = 0; p < kc; p++, src += ldb, dst += nr) {
                    System.arraycopy(b, src, pb, dst, w);
                    java.util.Arrays.fill(pb, dst + w, dst + nr, 0f);
                }
            } else {
                // B stored (n, k): column j of op(B) is row j of b
                for (int jj = 0; jj < w; jj++) {
                    int src = bo + (jc + jr + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) pb[dst + p * nr + jj] = b[src + p];
                }
                for (int jj = w; jj < nr; jj++) for (int p = 0; p < kc; p++) pb[dst + p * nr + jj] = 0f;
            }
        }
        // full slivers of B as stored along its rows (a sliver at a time read the panel down its columns, a page per row)
        if (!tb) kern.packB(kc, nc / nr, b, bo + pc * ldb + jc, ldb, pb);
    }

    /** alpha * A(ic.., pc..) of mc x kc into mr-high slivers: pa[s*kc*mr + p*mr + r], zero-padded rows. */
    private static void packA(boolean ta, float[] a, int ao, int lda, int ic, int mc, int pc, int kc, int mr,
                              float alpha, float[] pa) {
        for (int ir = 0, s = 0; ir < mc; ir += mr, s++) {
            int h = Math.min(mr, mc - ir);
            int dst = s * kc * mr;
            if (!ta) {
                // sixteen columns at a time: one cache line of each row read, the mr x 16 piece of the sliver written
                // while it is in L1 (row by row over all kc wrote every line of the sliver mr times)
                int src = ao + (ic + ir) * lda + pc;
                for (int p0 = 0; p0 < kc; p0 += 16) {
                    int p1 = Math.min(kc, p0 + 16);
                    for (int r = 0; r < h; r++) {
                        int at = src + r * lda;
                        if (alpha == 1) for (int p = p0; p < p1; p++) pa[dst + p * mr + r] = a[at + p];
                        else for (int p = p0; p < p1; p++) pa[dst + p * mr + r] = alpha * a[at + p];
                    }
                }
            } else {
                // A stored (k, m): row i of op(A) is column i of a, contiguous across r
                for (int p = 0; p < kc; p++) {
                    int src = ao + (pc + p) * lda + ic + ir;
                    int d = dst + p * mr;
                    for (int r = 0; r < h; r++) pa[d + r] = alpha * a[src + r];
                }
            }
            if (h < mr) for (int p = 0; p < kc; p++) for (int r = h; r < mr; r++) pa[dst + p * mr + r] = 0f;
        }
    }
}
