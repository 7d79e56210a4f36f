package org.opforge.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link DirectConvKernel} on jdk.incubator.vector: the 12-accumulator tile of {@link VectorSgemmKernel}, B rows loaded in place. */
final class VectorDirectConvKernel implements DirectConvKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int NR = S.length();

    VectorDirectConvKernel() {
    }

    @Override public int lanes() { return NR; }

    @Override public void tile(int k, float[] ap, int ao, float[] xp, int xo, int[] bOff, float[] out, int co, int ldo, int rows,
                               boolean accumulate) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ai = ao + p * 12, bi = xo + bOff[p];
            FloatVector b = FloatVector.fromArray(S, xp, bi);
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
        store(out, co, c0, accumulate);
        if (rows > 1) store(out, co + ldo, c1, accumulate);
        if (rows > 2) store(out, co + 2 * ldo, c2, accumulate);
        if (rows > 3) store(out, co + 3 * ldo, c3, accumulate);
        if (rows > 4) store(out, co + 4 * ldo, c4, accumulate);
        if (rows > 5) store(out, co + 5 * ldo, c5, accumulate);
        if (rows > 6) store(out, co + 6 * ldo, c6, accumulate);
        if (rows > 7) store(out, co + 7 * ldo, c7, accumulate);
        if (rows > 8) store(out, co + 8 * ldo, c8, accumulate);
        if (rows > 9) store(out, co + 9 * ldo, c9, accumulate);
        if (rows > 10) store(out, co + 10 * ldo, c10, accumulate);
        if (rows > 11) store(out, co + 11 * ldo, c11, accumulate);
    }

    private static void store(float[] out, int at, FloatVector v, boolean accumulate) {
        if (accumulate) v = v.add(FloatVector.fromArray(S, out, at));
        v.intoArray(out, at);
    }

    @Override public void gradTile(float[] gy, int go, int ldg, int rows, float[] xp, int[] bOff, int p0, int cols, int oH, int oW,
                                   int pW, float[] gw, int gwo, int k, boolean accumulate) {
        // rows and columns past the block's edge repeat its first one; their sums are not stored
        int g0 = go, g1 = go + (rows > 1 ? ldg : 0), g2 = go + (rows > 2 ? 2 * ldg : 0), g3 = go + (rows > 3 ? 3 * ldg : 0);
        int x0 = bOff[p0], x1 = bOff[p0 + (cols > 1 ? 1 : 0)], x2 = bOff[p0 + (cols > 2 ? 2 : 0)];
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S);
        // one flat loop over the vectors of all rows: C2 on JDK 17 boxes vector accumulators carried through a nested loop
        int perRow = oW / NR;
        for (int t = 0, n = oH * perRow; t < n; t++) {
            int oh = t / perRow, ow = (t - oh * perRow) * NR;
            int gi = oh * oW + ow, xi = oh * pW + ow;
            FloatVector y0 = FloatVector.fromArray(S, gy, g0 + gi), y1 = FloatVector.fromArray(S, gy, g1 + gi);
            FloatVector y2 = FloatVector.fromArray(S, gy, g2 + gi), y3 = FloatVector.fromArray(S, gy, g3 + gi);
            FloatVector b0 = FloatVector.fromArray(S, xp, x0 + xi), b1 = FloatVector.fromArray(S, xp, x1 + xi);
            FloatVector b2 = FloatVector.fromArray(S, xp, x2 + xi);
            a00 = y0.fma(b0, a00); a01 = y0.fma(b1, a01); a02 = y0.fma(b2, a02);
            a10 = y1.fma(b0, a10); a11 = y1.fma(b1, a11); a12 = y1.fma(b2, a12);
            a20 = y2.fma(b0, a20); a21 = y2.fma(b1, a21); a22 = y2.fma(b2, a22);
            a30 = y3.fma(b0, a30); a31 = y3.fma(b1, a31); a32 = y3.fma(b2, a32);
        }
        put(gw, gwo, p0, cols, a00, a01, a02, accumulate);
        if (rows > 1) put(gw, gwo + k, p0, cols, a10, a11, a12, accumulate);
        if (rows > 2) put(gw, gwo + 2 * k, p0, cols, a20, a21, a22, accumulate);
        if (rows > 3) put(gw, gwo + 3 * k, p0, cols, a30, a31, a32, accumulate);
    }

    private static void put(float[] gw, int row, int p0, int cols, FloatVector s0, FloatVector s1, FloatVector s2, boolean accumulate) {
        int at = row + p0;
        float v0 = s0.reduceLanes(VectorOperators.ADD);
        gw[at] = accumulate ? gw[at] + v0 : v0;
        if (cols > 1) {
            float v1 = s1.reduceLanes(VectorOperators.ADD);
            gw[at + 1] = accumulate ? gw[at + 1] + v1 : v1;
        }
        if (cols > 2) {
            float v2 = s2.reduceLanes(VectorOperators.ADD);
            gw[at + 2] = accumulate ? gw[at + 2] + v2 : v2;
        }
    }
}
