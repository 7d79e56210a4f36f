package org.opforge.tensor.cpu;

/**
 * A register-blocked float32 GEMM micro-kernel over packed panels: for one mr x nr tile,
 * {@code C[r][j] += sum_p ap[ao + p*mr + r] * bp[bo + p*nr + j]} for r < mr, j < nr, p < kc, with C
 * row-major at {@code c[co + r*ldc + j]}. The packers ({@link Sgemm}) lay A out in slivers of mr rows
 * (alpha already applied) and B in slivers of nr columns, zero-padded at the edges.
 */
interface SgemmKernel {
    int mr();

    int nr();

    void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc);

    /**
     * The same tile with A read in place instead of packed: {@code C[r][j] += sum_p a[ao + r*lda + p] *
     * bp[bo + p*nr + j]} for all mr rows (alpha = 1). Skips packing A when it is row-major and only a few
     * B slivers reuse it (tall, skinny products: a layer's forward pass on a large batch).
     */
    void tileRows(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] c, int co, int ldc);

    /**
     * The same tile with A^T read in place: {@code C[r][j] += sum_p a[ao + p*lda + r] * b[bo + p*ldb + j]}
     * (alpha = 1): op(A) = A^T stored (k, m), as the activations in a weight gradient G^T X; B a packed
     * sliver ({@code ldb = nr}) or read in place along its rows.
     */
    void tileCols(int kc, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc);

    /**
     * Two adjacent tiles, columns {@code [0, nr)} from the B sliver at {@code bo} and {@code [nr, 2 nr)}
     * from the one at {@code bo2}, as {@link #tile} computes them one after the other; a kernel may run
     * both at once (each A value then feeds twice the multiply-adds).
     */
    default void tile2(int kc, float[] ap, int ao, float[] bp, int bo, int bo2, float[] c, int co, int ldc) {
        tile(kc, ap, ao, bp, bo, c, co, ldc);
        tile(kc, ap, ao, bp, bo2, c, co + nr(), ldc);
    }

    /** {@link #tileCols} for two adjacent tiles, as {@link #tile2}. */
    default void tileCols2(int kc, float[] a, int ao, int lda, float[] b, int bo, int bo2, int ldb, float[] c, int co, int ldc) {
        tileCols(kc, a, ao, lda, b, bo, ldb, c, co, ldc);
        tileCols(kc, a, ao, lda, b, bo2, ldb, c, co + nr(), ldc);
    }

    /**
     * {@link #tileRows} for three adjacent B slivers: the first two tiles added to C at {@code co} and {@code co + nr},
     * the third to {@code t} at {@code to} with rows {@code ldt} apart (C itself, or a scratch tile for a partial
     * last sliver).
     */
    default void tileRows3(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bo2, int bo3, float[] c, int co, int ldc,
                           float[] t, int to, int ldt) {
        tileRows2(kc, a, ao, lda, bp, bo, bo2, c, co, ldc);
        tileRows(kc, a, ao, lda, bp, bo3, t, to, ldt);
    }

    /** {@link #tileCols} for three adjacent B slivers, as {@link #tileRows3}. */
    default void tileCols3(int kc, float[] a, int ao, int lda, float[] b, int bo, int bo2, int bo3, int ldb, float[] c, int co, int ldc,
                           float[] t, int to, int ldt) {
        tileCols2(kc, a, ao, lda, b, bo, bo2, ldb, c, co, ldc);
        tileCols(kc, a, ao, lda, b, bo3, ldb, t, to, ldt);
    }

    /**
     * Half a tile's rows against three packed B slivers, A read in place: {@code t[to + r*ldt + s*nr + j] += sum_p
     * a[ao + r*lda + p] * bp[b_s + p*nr + j]} for r < mr / 2, j < nr and the slivers s = 0, 1, 2 at {@code bo},
     * {@code bo2}, {@code bo3}. The last rows of a block when they are at most half a sliver: a full tile over them
     * costs as much as a whole sliver of rows. Reads exactly mr / 2 rows of A.
     */
    default void halfTileRows3(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bo2, int bo3, float[] t, int to, int ldt) {
        int nr = nr();
        int[] slivers = {bo, bo2, bo3};
        for (int r = 0; r < mr() / 2; r++) {
            for (int s = 0; s < 3; s++) {
                for (int j = 0; j < nr; j++) {
                    float acc = 0f; // multiplied and added as the plain kernel's tiles do, so its sums do not depend on the path
                    for (int p = 0; p < kc; p++) acc += a[ao + r * lda + p] * bp[slivers[s] + p * nr + j];
                    t[to + r * ldt + s * nr + j] += acc;
                }
            }
        }
    }

    /** {@link #tileRows} for two adjacent tiles, as {@link #tile2}. */
    default void tileRows2(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bo2, float[] c, int co, int ldc) {
        tileRows(kc, a, ao, lda, bp, bo, c, co, ldc);
        tileRows(kc, a, ao, lda, bp, bo2, c, co + nr(), ldc);
    }

    /**
     * Packs {@code slivers} whole B slivers from B as stored (row-major, leading dimension {@code ldb}):
     * {@code pb[s*kc*nr + p*nr + j] = b[bo + p*ldb + s*nr + j]}, along B's rows (one pass over each row,
     * each sliver row written whole).
     */
    default void packB(int kc, int slivers, float[] b, int bo, int ldb, float[] pb) {
        int nr = nr(), sliver = kc * nr;
        for (int p = 0; p < kc; p++) {
            for (int s = 0, src = bo + p * ldb, dst = p * nr; s < slivers; s++, src += nr, dst += sliver) {
                System.arraycopy(b, src, pb, dst, nr);
            }
        }
    }

    /**
     * A sum of scaled rows: {@code acc[ao + j] += sum_{p < k} s[so + p] * v[vo + p*len + j]} for j < len (the
     * thin products of {@link Sgemm}: a weight gradient with one input, k the batch).
     */
    default void rowSums(int k, int len, float[] s, int so, float[] v, int vo, float[] acc, int ao) {
        for (int p = 0; p < k; p++) {
            float f = s[so + p];
            int row = vo + p * len;
            for (int j = 0; j < len; j++) acc[ao + j] += f * v[row + j];
        }
    }

    /** Rows [i0, i1) of {@code C = beta C + alpha a b^T} (k = 1), C row-major with n columns at {@code c[co]}. */
    default void rankOne(int i0, int i1, int n, float alpha, float[] a, int ao, float[] b, int bo, float beta, float[] c, int co) {
        for (int i = i0; i < i1; i++) {
            float s = alpha * a[ao + i];
            int row = co + i * n;
            if (beta == 0) for (int j = 0; j < n; j++) c[row + j] = s * b[bo + j];
            else if (beta == 1) for (int j = 0; j < n; j++) c[row + j] += s * b[bo + j];
            else for (int j = 0; j < n; j++) c[row + j] = beta * c[row + j] + s * b[bo + j];
        }
    }

    /** Rows [r0, r1) of {@code out[r] = sum_j a[r len + j] b[r len + j]} (inner products of rows of length len). */
    default void dotRows(int r0, int r1, int len, float[] a, float[] b, float[] out) {
        for (int r = r0; r < r1; r++) {
            float s = 0;
            for (int j = r * len, end = j + len; j < end; j++) s = Math.fma(a[j], b[j], s);
            out[r] = s;
        }
    }

    /** Short name for reports ("java", "vector-256"). */
    String name();
}
