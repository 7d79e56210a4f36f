package org.opforge.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD micro-kernel (jdk.incubator.vector; this class is loaded only when the module is present):
 * a 12 x L tile, L = the lanes of the machine's preferred float species (16 with AVX-512, 8 with
 * AVX2), in twelve accumulators kept across the whole k loop; per k step one vector load of B and
 * twelve broadcasts of A. One B vector per step (rather than two, as in a 6 x 2L tile) halves the
 * vector-load bounds checks HotSpot cannot hoist, which measured about 2x faster on JDK 17. The
 * preferred species rather than a fixed 256 bits: on a Zen 5 core 512-bit FMAs run at full rate, and
 * sgemm 1024 went from 199 to 347 GFLOP/s on 2 cores (GemmBench). The accumulators are added to C
 * in the kernel itself: a helper taking a vector is compiled on its own on JDK 17 and boxes the vector
 * at every call, and its store then takes the lane-by-lane path.
 */
final class VectorSgemmKernel implements SgemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int MR = 12, NR = S.length();

    VectorSgemmKernel() {
    }
    @Override public int mr() { return MR; }
    @Override public int nr() { return NR; }
    @Override public String name() { return "vector-" + S.vectorBitSize() + " " + MR + "x" + NR; }
    /**
     * Columns in pairs of vectors held in registers over all of k, then one vector at a time, the last one
     * ending at {@code len} (it may overlap the one before; only its columns past it are kept). Short rows (a
     * layer of 40 outputs) ran scalar: HotSpot vectorizes a loop only past its unrolled width, more than 40.
     */
    @Override public void rowSums(int k, int len, float[] s, int so, float[] v, int vo, float[] acc, int ao) {
        if (len < NR) {
            SgemmKernel.super.rowSums(k, len, s, so, v, vo, acc, ao);
            return;
        }
        int j = 0;
        for (; j + 2 * NR <= len; j += 2 * NR) {
            FloatVector x0 = FloatVector.zero(S), x1 = FloatVector.zero(S);
            for (int p = 0, at = vo + j; p < k; p++, at += len) {
                FloatVector f = FloatVector.broadcast(S, s[so + p]);
                x0 = f.fma(FloatVector.fromArray(S, v, at), x0);
                x1 = f.fma(FloatVector.fromArray(S, v, at + NR), x1);
            }
            FloatVector.fromArray(S, acc, ao + j).add(x0).intoArray(acc, ao + j);
            FloatVector.fromArray(S, acc, ao + j + NR).add(x1).intoArray(acc, ao + j + NR);
        }
        for (; j < len; j += NR) {
            int from = Math.min(j, len - NR);
            FloatVector x = FloatVector.zero(S);
            for (int p = 0, at = vo + from; p < k; p++, at += len) x = FloatVector.broadcast(S, s[so + p]).fma(FloatVector.fromArray(S, v, at), x);
            if (from == j) {
                FloatVector.fromArray(S, acc, ao + j).add(x).intoArray(acc, ao + j);
            } else {
                float[] sums = new float[NR];
                x.intoArray(sums, 0);
                for (int q = j - from; q < NR; q++) acc[ao + from + q] += sums[q];
            }
        }
    }

    /**
     * Each row in vectors, the last one ending at n (it may overlap the one before: it is computed from C as it
     * was and stored last, so the overlapped columns get the same values twice); the same products and sums
     * as the scalar loop (multiply, then add), which short rows ran in.
     */
    @Override public void rankOne(int i0, int i1, int n, float alpha, float[] a, int ao, float[] b, int bo, float beta, float[] c, int co) {
        if (n < NR) {
            SgemmKernel.super.rankOne(i0, i1, n, alpha, a, ao, b, bo, beta, c, co);
            return;
        }
        int last = n - NR;
        FloatVector bl = FloatVector.fromArray(S, b, bo + last);
        // beta = 0 must not read C (it may hold NaN); any other beta scales it (by 1 exactly)
        if (beta == 0) {
            for (int i = i0; i < i1; i++) {
                FloatVector s = FloatVector.broadcast(S, alpha * a[ao + i]);
                int row = co + i * n;
                FloatVector tail = s.mul(bl);
                for (int j = 0; j < last; j += NR) s.mul(FloatVector.fromArray(S, b, bo + j)).intoArray(c, row + j);
                tail.intoArray(c, row + last);
            }
            return;
        }
        for (int i = i0; i < i1; i++) {
            FloatVector s = FloatVector.broadcast(S, alpha * a[ao + i]);
            int row = co + i * n;
            FloatVector tail = FloatVector.fromArray(S, c, row + last).mul(beta).add(s.mul(bl));
            for (int j = 0; j < last; j += NR) {
                FloatVector.fromArray(S, c, row + j).mul(beta).add(s.mul(FloatVector.fromArray(S, b, bo + j))).intoArray(c, row + j);
            }
            tail.intoArray(c, row + last);
        }
    }

    /** Whole vectors of each row multiplied and added lane by lane, the lanes summed, then the row's last len % L values. */
    @Override public void dotRows(int r0, int r1, int len, float[] a, float[] b, float[] out) {
        int whole = len - len % NR;
        for (int r = r0; r < r1; r++) {
            int at = r * len;
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < whole; j += NR) acc = FloatVector.fromArray(S, a, at + j).fma(FloatVector.fromArray(S, b, at + j), acc);
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (int j = at + whole, end = at + len; j < end; j++) s = Math.fma(a[j], b[j], s);
            out[r] = s;
        }
    }

    @Override public void packB(int kc, int slivers, float[] b, int bo, int ldb, float[] pb) {
        int sliver = kc * NR;
        for (int p = 0; p < kc; p++) {
            for (int s = 0, src = bo + p * ldb, dst = p * NR; s < slivers; s++, src += NR, dst += sliver) {
                FloatVector.fromArray(S, b, src).intoArray(pb, dst);
            }
        }
    }

    @Override public void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR, ai = ao + p * MR;
            FloatVector b = FloatVector.fromArray(S, bp, bi);
            c0 = FloatVector.broadcast(S, ap[ai]).fma(b, c0);
            c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, ap[ai + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, ap[ai + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(S, ap[ai + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(S, ap[ai + 7]).fma(b, c7);
            c8 = FloatVector.broadcast(S, ap[ai + 8]).fma(b, c8);
            c9 = FloatVector.broadcast(S, ap[ai + 9]).fma(b, c9);
            c10 = FloatVector.broadcast(S, ap[ai + 10]).fma(b, c10);
            c11 = FloatVector.broadcast(S, ap[ai + 11]).fma(b, c11);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + ldc).add(c1).intoArray(c, co + ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c2).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c3).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 4 * ldc).add(c4).intoArray(c, co + 4 * ldc);
        FloatVector.fromArray(S, c, co + 5 * ldc).add(c5).intoArray(c, co + 5 * ldc);
        FloatVector.fromArray(S, c, co + 6 * ldc).add(c6).intoArray(c, co + 6 * ldc);
        FloatVector.fromArray(S, c, co + 7 * ldc).add(c7).intoArray(c, co + 7 * ldc);
        FloatVector.fromArray(S, c, co + 8 * ldc).add(c8).intoArray(c, co + 8 * ldc);
        FloatVector.fromArray(S, c, co + 9 * ldc).add(c9).intoArray(c, co + 9 * ldc);
        FloatVector.fromArray(S, c, co + 10 * ldc).add(c10).intoArray(c, co + 10 * ldc);
        FloatVector.fromArray(S, c, co + 11 * ldc).add(c11).intoArray(c, co + 11 * ldc);
    }
    @Override public void tileCols(int kc, float[] a, int ao, int lda, float[] bp, int bo, int ldb, float[] c, int co, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b = FloatVector.fromArray(S, bp, bo + p * ldb);
            int ai = ao + p * lda;
            c0 = FloatVector.broadcast(S, a[ai]).fma(b, c0);
            c1 = FloatVector.broadcast(S, a[ai + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, a[ai + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, a[ai + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, a[ai + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, a[ai + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(S, a[ai + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(S, a[ai + 7]).fma(b, c7);
            c8 = FloatVector.broadcast(S, a[ai + 8]).fma(b, c8);
            c9 = FloatVector.broadcast(S, a[ai + 9]).fma(b, c9);
            c10 = FloatVector.broadcast(S, a[ai + 10]).fma(b, c10);
            c11 = FloatVector.broadcast(S, a[ai + 11]).fma(b, c11);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + ldc).add(c1).intoArray(c, co + ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c2).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c3).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 4 * ldc).add(c4).intoArray(c, co + 4 * ldc);
        FloatVector.fromArray(S, c, co + 5 * ldc).add(c5).intoArray(c, co + 5 * ldc);
        FloatVector.fromArray(S, c, co + 6 * ldc).add(c6).intoArray(c, co + 6 * ldc);
        FloatVector.fromArray(S, c, co + 7 * ldc).add(c7).intoArray(c, co + 7 * ldc);
        FloatVector.fromArray(S, c, co + 8 * ldc).add(c8).intoArray(c, co + 8 * ldc);
        FloatVector.fromArray(S, c, co + 9 * ldc).add(c9).intoArray(c, co + 9 * ldc);
        FloatVector.fromArray(S, c, co + 10 * ldc).add(c10).intoArray(c, co + 10 * ldc);
        FloatVector.fromArray(S, c, co + 11 * ldc).add(c11).intoArray(c, co + 11 * ldc);
    }

    @Override public void tileRows(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] c, int co, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        int r0 = ao, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
        int r6 = r5 + lda, r7 = r6 + lda, r8 = r7 + lda, r9 = r8 + lda, r10 = r9 + lda, r11 = r10 + lda;
        for (int p = 0; p < kc; p++) {
            FloatVector b = FloatVector.fromArray(S, bp, bo + p * NR);
            c0 = FloatVector.broadcast(S, a[r0 + p]).fma(b, c0);
            c1 = FloatVector.broadcast(S, a[r1 + p]).fma(b, c1);
            c2 = FloatVector.broadcast(S, a[r2 + p]).fma(b, c2);
            c3 = FloatVector.broadcast(S, a[r3 + p]).fma(b, c3);
            c4 = FloatVector.broadcast(S, a[r4 + p]).fma(b, c4);
            c5 = FloatVector.broadcast(S, a[r5 + p]).fma(b, c5);
            c6 = FloatVector.broadcast(S, a[r6 + p]).fma(b, c6);
            c7 = FloatVector.broadcast(S, a[r7 + p]).fma(b, c7);
            c8 = FloatVector.broadcast(S, a[r8 + p]).fma(b, c8);
            c9 = FloatVector.broadcast(S, a[r9 + p]).fma(b, c9);
            c10 = FloatVector.broadcast(S, a[r10 + p]).fma(b, c10);
            c11 = FloatVector.broadcast(S, a[r11 + p]).fma(b, c11);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + ldc).add(c1).intoArray(c, co + ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c2).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c3).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 4 * ldc).add(c4).intoArray(c, co + 4 * ldc);
        FloatVector.fromArray(S, c, co + 5 * ldc).add(c5).intoArray(c, co + 5 * ldc);
        FloatVector.fromArray(S, c, co + 6 * ldc).add(c6).intoArray(c, co + 6 * ldc);
        FloatVector.fromArray(S, c, co + 7 * ldc).add(c7).intoArray(c, co + 7 * ldc);
        FloatVector.fromArray(S, c, co + 8 * ldc).add(c8).intoArray(c, co + 8 * ldc);
        FloatVector.fromArray(S, c, co + 9 * ldc).add(c9).intoArray(c, co + 9 * ldc);
        FloatVector.fromArray(S, c, co + 10 * ldc).add(c10).intoArray(c, co + 10 * ldc);
        FloatVector.fromArray(S, c, co + 11 * ldc).add(c11).intoArray(c, co + 11 * ldc);
    }


    /*
     * Two B slivers at once: 24 accumulators (12 rows x 2 vectors), so each broadcast A value feeds two
     * FMAs and each k step has 2 vector loads and 12 broadcasts for 24 FMAs instead of 1 and 12 for 12.
     * Written out like the single tiles (no helpers taking vectors, see above).
     */
    @Override public void tile2(int kc, float[] ap, int ao, float[] bp, int bo, int bo2, float[] c, int co, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        FloatVector d4 = FloatVector.zero(S), d5 = FloatVector.zero(S), d6 = FloatVector.zero(S), d7 = FloatVector.zero(S);
        FloatVector d8 = FloatVector.zero(S), d9 = FloatVector.zero(S), d10 = FloatVector.zero(S), d11 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b = FloatVector.fromArray(S, bp, bo + p * NR), e = FloatVector.fromArray(S, bp, bo2 + p * NR);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao + p * MR + 0]);
            c0 = a0.fma(b, c0);
            d0 = a0.fma(e, d0);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + p * MR + 1]);
            c1 = a1.fma(b, c1);
            d1 = a1.fma(e, d1);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + p * MR + 2]);
            c2 = a2.fma(b, c2);
            d2 = a2.fma(e, d2);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + p * MR + 3]);
            c3 = a3.fma(b, c3);
            d3 = a3.fma(e, d3);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + p * MR + 4]);
            c4 = a4.fma(b, c4);
            d4 = a4.fma(e, d4);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + p * MR + 5]);
            c5 = a5.fma(b, c5);
            d5 = a5.fma(e, d5);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + p * MR + 6]);
            c6 = a6.fma(b, c6);
            d6 = a6.fma(e, d6);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + p * MR + 7]);
            c7 = a7.fma(b, c7);
            d7 = a7.fma(e, d7);
            FloatVector a8 = FloatVector.broadcast(S, ap[ao + p * MR + 8]);
            c8 = a8.fma(b, c8);
            d8 = a8.fma(e, d8);
            FloatVector a9 = FloatVector.broadcast(S, ap[ao + p * MR + 9]);
            c9 = a9.fma(b, c9);
            d9 = a9.fma(e, d9);
            FloatVector a10 = FloatVector.broadcast(S, ap[ao + p * MR + 10]);
            c10 = a10.fma(b, c10);
            d10 = a10.fma(e, d10);
            FloatVector a11 = FloatVector.broadcast(S, ap[ao + p * MR + 11]);
            c11 = a11.fma(b, c11);
            d11 = a11.fma(e, d11);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + NR).add(d0).intoArray(c, co + NR);
        FloatVector.fromArray(S, c, co + ldc).add(c1).intoArray(c, co + ldc);
        FloatVector.fromArray(S, c, co + ldc + NR).add(d1).intoArray(c, co + ldc + NR);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c2).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc + NR).add(d2).intoArray(c, co + 2 * ldc + NR);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c3).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc + NR).add(d3).intoArray(c, co + 3 * ldc + NR);
        FloatVector.fromArray(S, c, co + 4 * ldc).add(c4).intoArray(c, co + 4 * ldc);
        FloatVector.fromArray(S, c, co + 4 * ldc + NR).add(d4).intoArray(c, co + 4 * ldc + NR);
        FloatVector.fromArray(S, c, co + 5 * ldc).add(c5).intoArray(c, co + 5 * ldc);
        FloatVector.fromArray(S, c, co + 5 * ldc + NR).add(d5).intoArray(c, co + 5 * ldc + NR);
        FloatVector.fromArray(S, c, co + 6 * ldc).add(c6).intoArray(c, co + 6 * ldc);
        FloatVector.fromArray(S, c, co + 6 * ldc + NR).add(d6).intoArray(c, co + 6 * ldc + NR);
        FloatVector.fromArray(S, c, co + 7 * ldc).add(c7).intoArray(c, co + 7 * ldc);
        FloatVector.fromArray(S, c, co + 7 * ldc + NR).add(d7).intoArray(c, co + 7 * ldc + NR);
        FloatVector.fromArray(S, c, co + 8 * ldc).add(c8).intoArray(c, co + 8 * ldc);
        FloatVector.fromArray(S, c, co + 8 * ldc + NR).add(d8).intoArray(c, co + 8 * ldc + NR);
        FloatVector.fromArray(S, c, co + 9 * ldc).add(c9).intoArray(c, co + 9 * ldc);
        FloatVector.fromArray(S, c, co + 9 * ldc + NR).add(d9).intoArray(c, co + 9 * ldc + NR);
        FloatVector.fromArray(S, c, co + 10 * ldc).add(c10).intoArray(c, co + 10 * ldc);
        FloatVector.fromArray(S, c, co + 10 * ldc + NR).add(d10).intoArray(c, co + 10 * ldc + NR);
        FloatVector.fromArray(S, c, co + 11 * ldc).add(c11).intoArray(c, co + 11 * ldc);
        FloatVector.fromArray(S, c, co + 11 * ldc + NR).add(d11).intoArray(c, co + 11 * ldc + NR);
    }

    @Override public void tileRows2(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bo2, float[] c, int co, int ldc) {
        sixRowsTwoSlivers(kc, a, ao, lda, 1, bp, bo, bo2, NR, c, co, ldc);
        sixRowsTwoSlivers(kc, a, ao + 6 * lda, lda, 1, bp, bo, bo2, NR, c, co + 6 * ldc, ldc);
    }

    @Override public void tileCols2(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bo2, int ldb, float[] c, int co, int ldc) {
        sixRowsTwoSlivers(kc, a, ao, 1, lda, bp, bo, bo2, ldb, c, co, ldc);
        sixRowsTwoSlivers(kc, a, ao + 6, 1, lda, bp, bo, bo2, ldb, c, co + 6 * ldc, ldc);
    }

    @Override public void tileRows3(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bo2, int bo3, float[] c, int co, int ldc,
                                    float[] t, int to, int ldt) {
        sixRowsThreeSlivers(kc, a, ao, lda, 1, bp, bo, bo2, bo3, NR, c, co, ldc, t, to, ldt);
        sixRowsThreeSlivers(kc, a, ao + 6 * lda, lda, 1, bp, bo, bo2, bo3, NR, c, co + 6 * ldc, ldc, t, to + 6 * ldt, ldt);
    }

    @Override public void tileCols3(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bo2, int bo3, int ldb, float[] c, int co,
                                    int ldc, float[] t, int to, int ldt) {
        sixRowsThreeSlivers(kc, a, ao, 1, lda, bp, bo, bo2, bo3, ldb, c, co, ldc, t, to, ldt);
        sixRowsThreeSlivers(kc, a, ao + 6, 1, lda, bp, bo, bo2, bo3, ldb, c, co + 6 * ldc, ldc, t, to + 6 * ldt, ldt);
    }

    @Override public void halfTileRows3(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bo2, int bo3, float[] t, int to, int ldt) {
        sixRowsThreeSlivers(kc, a, ao, lda, 1, bp, bo, bo2, bo3, NR, t, to, ldt, t, to + 2 * NR, ldt);
    }

    /**
     * Six rows of {@link #tileRows3} or {@link #tileCols3}: {@link #sixRowsTwoSlivers} with a third sliver, so that
     * each A value broadcast feeds three multiply-adds (n = 40: two full slivers and the last eight columns in one
     * pass over A instead of two); eighteen accumulators, three B vectors and the six broadcasts of a step fit the
     * 32 vector registers. The third sliver's sums go to {@code t} (C, or a scratch tile for a partial sliver).
     */
    private static void sixRowsThreeSlivers(int kc, float[] a, int ao, int rowStep, int kStep, float[] bp, int bo, int bo2, int bo3,
                                            int bStep, float[] c, int co, int ldc, float[] t, int to, int ldt) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        FloatVector d4 = FloatVector.zero(S), d5 = FloatVector.zero(S);
        FloatVector f0 = FloatVector.zero(S), f1 = FloatVector.zero(S), f2 = FloatVector.zero(S), f3 = FloatVector.zero(S);
        FloatVector f4 = FloatVector.zero(S), f5 = FloatVector.zero(S);
        int r0 = ao, r1 = r0 + rowStep, r2 = r1 + rowStep, r3 = r2 + rowStep, r4 = r3 + rowStep, r5 = r4 + rowStep;
        for (int p = 0, at = 0, bt = 0; p < kc; p++, at += kStep, bt += bStep) {
            FloatVector b = FloatVector.fromArray(S, bp, bo + bt), e = FloatVector.fromArray(S, bp, bo2 + bt);
            FloatVector g = FloatVector.fromArray(S, bp, bo3 + bt);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + at]);
            c0 = a0.fma(b, c0);
            d0 = a0.fma(e, d0);
            f0 = a0.fma(g, f0);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + at]);
            c1 = a1.fma(b, c1);
            d1 = a1.fma(e, d1);
            f1 = a1.fma(g, f1);
            FloatVector a2 = FloatVector.broadcast(S, a[r2 + at]);
            c2 = a2.fma(b, c2);
            d2 = a2.fma(e, d2);
            f2 = a2.fma(g, f2);
            FloatVector a3 = FloatVector.broadcast(S, a[r3 + at]);
            c3 = a3.fma(b, c3);
            d3 = a3.fma(e, d3);
            f3 = a3.fma(g, f3);
            FloatVector a4 = FloatVector.broadcast(S, a[r4 + at]);
            c4 = a4.fma(b, c4);
            d4 = a4.fma(e, d4);
            f4 = a4.fma(g, f4);
            FloatVector a5 = FloatVector.broadcast(S, a[r5 + at]);
            c5 = a5.fma(b, c5);
            d5 = a5.fma(e, d5);
            f5 = a5.fma(g, f5);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + NR).add(d0).intoArray(c, co + NR);
        FloatVector.fromArray(S, t, to).add(f0).intoArray(t, to);
        FloatVector.fromArray(S, c, co + ldc).add(c1).intoArray(c, co + ldc);
        FloatVector.fromArray(S, c, co + ldc + NR).add(d1).intoArray(c, co + ldc + NR);
        FloatVector.fromArray(S, t, to + ldt).add(f1).intoArray(t, to + ldt);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c2).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc + NR).add(d2).intoArray(c, co + 2 * ldc + NR);
        FloatVector.fromArray(S, t, to + 2 * ldt).add(f2).intoArray(t, to + 2 * ldt);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c3).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc + NR).add(d3).intoArray(c, co + 3 * ldc + NR);
        FloatVector.fromArray(S, t, to + 3 * ldt).add(f3).intoArray(t, to + 3 * ldt);
        FloatVector.fromArray(S, c, co + 4 * ldc).add(c4).intoArray(c, co + 4 * ldc);
        FloatVector.fromArray(S, c, co + 4 * ldc + NR).add(d4).intoArray(c, co + 4 * ldc + NR);
        FloatVector.fromArray(S, t, to + 4 * ldt).add(f4).intoArray(t, to + 4 * ldt);
        FloatVector.fromArray(S, c, co + 5 * ldc).add(c5).intoArray(c, co + 5 * ldc);
        FloatVector.fromArray(S, c, co + 5 * ldc + NR).add(d5).intoArray(c, co + 5 * ldc + NR);
        FloatVector.fromArray(S, t, to + 5 * ldt).add(f5).intoArray(t, to + 5 * ldt);
    }

    /**
     * Six rows of {@link #tileRows2} or {@link #tileCols2}, A read where it lies: {@code A(r, p) = a[ao + r*rowStep +
     * p*kStep]}, B's two slivers {@code bp[bo + p*bStep + j]} and {@code bp[bo2 + p*bStep + j]}. Two passes of six
     * rows keep the accumulators, the broadcast A values and the two B vectors within the 32 vector registers (HotSpot loads all broadcasts of a step first; with twelve rows it
     * spilled five accumulators to the stack, each then a store and a load per step), the same sums in the
     * same order.
     */
    private static void sixRowsTwoSlivers(int kc, float[] a, int ao, int rowStep, int kStep, float[] bp, int bo, int bo2,
                                          int bStep, float[] c, int co, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        FloatVector d4 = FloatVector.zero(S), d5 = FloatVector.zero(S);
        int r0 = ao, r1 = r0 + rowStep, r2 = r1 + rowStep, r3 = r2 + rowStep, r4 = r3 + rowStep, r5 = r4 + rowStep;
        for (int p = 0, at = 0, bt = 0; p < kc; p++, at += kStep, bt += bStep) {
            FloatVector b = FloatVector.fromArray(S, bp, bo + bt), e = FloatVector.fromArray(S, bp, bo2 + bt);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + at]);
            c0 = a0.fma(b, c0);
            d0 = a0.fma(e, d0);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + at]);
            c1 = a1.fma(b, c1);
            d1 = a1.fma(e, d1);
            FloatVector a2 = FloatVector.broadcast(S, a[r2 + at]);
            c2 = a2.fma(b, c2);
            d2 = a2.fma(e, d2);
            FloatVector a3 = FloatVector.broadcast(S, a[r3 + at]);
            c3 = a3.fma(b, c3);
            d3 = a3.fma(e, d3);
            FloatVector a4 = FloatVector.broadcast(S, a[r4 + at]);
            c4 = a4.fma(b, c4);
            d4 = a4.fma(e, d4);
            FloatVector a5 = FloatVector.broadcast(S, a[r5 + at]);
            c5 = a5.fma(b, c5);
            d5 = a5.fma(e, d5);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + NR).add(d0).intoArray(c, co + NR);
        FloatVector.fromArray(S, c, co + ldc).add(c1).intoArray(c, co + ldc);
        FloatVector.fromArray(S, c, co + ldc + NR).add(d1).intoArray(c, co + ldc + NR);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c2).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc + NR).add(d2).intoArray(c, co + 2 * ldc + NR);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c3).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc + NR).add(d3).intoArray(c, co + 3 * ldc + NR);
        FloatVector.fromArray(S, c, co + 4 * ldc).add(c4).intoArray(c, co + 4 * ldc);
        FloatVector.fromArray(S, c, co + 4 * ldc + NR).add(d4).intoArray(c, co + 4 * ldc + NR);
        FloatVector.fromArray(S, c, co + 5 * ldc).add(c5).intoArray(c, co + 5 * ldc);
        FloatVector.fromArray(S, c, co + 5 * ldc + NR).add(d5).intoArray(c, co + 5 * ldc + NR);
    }
}
