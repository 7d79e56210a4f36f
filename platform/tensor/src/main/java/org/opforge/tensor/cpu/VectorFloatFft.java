package org.opforge.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatFftSimd} on jdk.incubator.vector with the preferred species (512-bit with AVX-512): each
 * butterfly of a Stockham stage handles one vector of lanes per step, twiddles broadcast once per
 * butterfly. The operations are those of the plain loops in the same order, without fused
 * multiply-adds, so both give bitwise the same results.
 */
final class VectorFloatFft implements FloatFftSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override public int width() { return L; }

    @Override
    public void radix2(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, float[] twr, float[] twi, int V) {
        int q = n / 2, groups = q / l;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V;
                int o0 = (g * l * 2 + k) * V, o1 = o0 + l * V;
                FloatVector wr = FloatVector.broadcast(S, twr[k]), wi = FloatVector.broadcast(S, twi[k]);
                for (int v = 0; v < V; v += L) {
                    FloatVector ar = FloatVector.fromArray(S, xr, i0 + v), ai = FloatVector.fromArray(S, xi, i0 + v);
                    FloatVector br = FloatVector.fromArray(S, xr, i1 + v), bi = FloatVector.fromArray(S, xi, i1 + v);
                    FloatVector cr = br.mul(wr).sub(bi.mul(wi)), ci = br.mul(wi).add(bi.mul(wr));
                    ar.add(cr).intoArray(yr, o0 + v);
                    ai.add(ci).intoArray(yi, o0 + v);
                    ar.sub(cr).intoArray(yr, o1 + v);
                    ai.sub(ci).intoArray(yi, o1 + v);
                }
            }
        }
    }

    @Override
    public void radix4(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, float[] twr, float[] twi, int V) {
        int q = n / 4, groups = q / l;
        // all in one method: a helper compiled on its own is not inlined (size), and its vector
        // arguments would then be boxed
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V, i2 = (j + 2 * q) * V, i3 = (j + 3 * q) * V;
                int o0 = (g * l * 4 + k) * V, o1 = o0 + l * V, o2 = o1 + l * V, o3 = o2 + l * V;
                FloatVector w1r = FloatVector.broadcast(S, twr[3 * k]), w1i = FloatVector.broadcast(S, twi[3 * k]);
                FloatVector w2r = FloatVector.broadcast(S, twr[3 * k + 1]), w2i = FloatVector.broadcast(S, twi[3 * k + 1]);
                FloatVector w3r = FloatVector.broadcast(S, twr[3 * k + 2]), w3i = FloatVector.broadcast(S, twi[3 * k + 2]);
                for (int v = 0; v < V; v += L) {
                    FloatVector a0r = FloatVector.fromArray(S, xr, i0 + v), a0i = FloatVector.fromArray(S, xi, i0 + v);
                    FloatVector b1r = FloatVector.fromArray(S, xr, i1 + v), b1i = FloatVector.fromArray(S, xi, i1 + v);
                    FloatVector b2r = FloatVector.fromArray(S, xr, i2 + v), b2i = FloatVector.fromArray(S, xi, i2 + v);
                    FloatVector b3r = FloatVector.fromArray(S, xr, i3 + v), b3i = FloatVector.fromArray(S, xi, i3 + v);
                    FloatVector a1r = b1r.mul(w1r).sub(b1i.mul(w1i)), a1i = b1r.mul(w1i).add(b1i.mul(w1r));
                    FloatVector a2r = b2r.mul(w2r).sub(b2i.mul(w2i)), a2i = b2r.mul(w2i).add(b2i.mul(w2r));
                    FloatVector a3r = b3r.mul(w3r).sub(b3i.mul(w3i)), a3i = b3r.mul(w3i).add(b3i.mul(w3r));
                    FloatVector t0r = a0r.add(a2r), t0i = a0i.add(a2i);
                    FloatVector t1r = a0r.sub(a2r), t1i = a0i.sub(a2i);
                    FloatVector t2r = a1r.add(a3r), t2i = a1i.add(a3i);
                    // (a1 - a3) * (-i)
                    FloatVector t3r = a1i.sub(a3i), t3i = a3r.sub(a1r);
                    t0r.add(t2r).intoArray(yr, o0 + v);
                    t0i.add(t2i).intoArray(yi, o0 + v);
                    t0r.sub(t2r).intoArray(yr, o2 + v);
                    t0i.sub(t2i).intoArray(yi, o2 + v);
                    t1r.add(t3r).intoArray(yr, o1 + v);
                    t1i.add(t3i).intoArray(yi, o1 + v);
                    t1r.sub(t3r).intoArray(yr, o3 + v);
                    t1i.sub(t3i).intoArray(yi, o3 + v);
                }
            }
        }
    }

    @Override
    public void r2cPost(float[] ar, float[] ai, float[] xr, float[] xi, int k1, int k2, int o, float h, float wr, float wi, int V) {
        FloatVector hv = FloatVector.broadcast(S, h), wrv = FloatVector.broadcast(S, wr), wiv = FloatVector.broadcast(S, wi);
        for (int v = 0; v < V; v += L) {
            FloatVector a = FloatVector.fromArray(S, ar, k1 + v), b = FloatVector.fromArray(S, ai, k1 + v);
            FloatVector c = FloatVector.fromArray(S, ar, k2 + v), d = FloatVector.fromArray(S, ai, k2 + v);
            FloatVector er = a.add(c), ei = b.sub(d), or = b.add(d), oi = c.sub(a);
            hv.mul(er).add(wrv.mul(or)).sub(wiv.mul(oi)).intoArray(xr, o + v);
            hv.mul(ei).add(wrv.mul(oi)).add(wiv.mul(or)).intoArray(xi, o + v);
        }
    }

    @Override
    public void c2rPre(float[] xr, float[] xi, float[] ar, float[] ai, int k1, int k2, float u, float s, int V) {
        FloatVector uv = FloatVector.broadcast(S, u), sv = FloatVector.broadcast(S, s);
        for (int v = 0; v < V; v += L) {
            FloatVector a = FloatVector.fromArray(S, xr, k1 + v), b = FloatVector.fromArray(S, xi, k1 + v);
            FloatVector c = FloatVector.fromArray(S, xr, k2 + v), d = FloatVector.fromArray(S, xi, k2 + v);
            FloatVector er = a.add(c), ei = b.sub(d), dr = a.sub(c), di = b.add(d);
            er.sub(uv.mul(di)).add(sv.mul(dr)).intoArray(ar, k1 + v);
            ei.add(uv.mul(dr)).add(sv.mul(di)).neg().intoArray(ai, k1 + v);
        }
    }
}
