package org.opforge.operators.mgno.layers;

import java.util.Arrays;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Conv2d;
import org.opforge.tensor.nn.LayerNorm;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.ModuleList;

/**
 * One multi-channel V-cycle of MgNO (He, Liu, Xu 2024), the learned linear operator of a layer: data f
 * with c channels, state u with {@code width} channels, J levels (level 0 the input grid, level l of
 * side {@code sizes[l]}). Every S (c -> width), A (width -> c), R (c -> c, stride 2) and Pi
 * (width -> width, stride 2) is its own 3x3 convolution with padding 1 in the padding mode, no bias:
 * <pre>
 *   level 0:      u = S(f), then pre[0] - 1 times u = u + S(f - A u)
 *   level l >= 1: f = R f, u = Pi u, then pre[l] times u = u + S(f - A u)      (keep u_l, f_l)
 *   up, l = J-2 .. 0:
 *                 u = u_l + P_l u                  P_l: {@link Prolongation} to the level-l grid
 *                 u = norm_l(u)                    (Navier-Stokes variant only: LayerNorm over (width, n, n))
 *                 post[l] times u = u + S(f_l - A u)
 *   result:       u at level 0
 * </pre>
 * The coarse f is R f, not a residual (the reference's {@code use_res = False}); the coarsest level has
 * no post-smoothing. State-dict keys as the PyTorch peer: {@code pre_S.l.i}, {@code pre_A.l.i},
 * {@code post_S.l.i}, {@code post_A.l.i}, {@code R.l}, {@code Pi.l}, {@code P.l.t}, {@code norm.l}.
 */
public final class MgConv extends Module {
    private final int[] pre;
    private final int[] post;
    private final ModuleList<ModuleList<Conv2d>> preS, preA, postS, postA;
    private final ModuleList<Conv2d> restrictData, restrictState;
    private final ModuleList<Prolongation> prolong;
    private final ModuleList<LayerNorm> norms;

    /**
     * @param sizes     grid sides per level, {@code sizes[l + 1] = ceil(sizes[l] / 2)}; picks the prolongation kernels
     *                  and, with {@code layerNorm}, the normalized shapes (two sides per level: rows, columns)
     * @param layerNorm the Navier-Stokes variant's LayerNorm after each prolongation (affine, eps 1e-5)
     */
    public MgConv(int channels, int width, int[] pre, int[] post, int[][] sizes, String paddingMode, boolean layerNorm, Rng rng) {
        int levels = pre.length;
        if (levels < 1 || post.length != levels || sizes.length != levels) {
            throw new IllegalArgumentException("MgConv: pre " + Arrays.toString(pre) + ", post " + Arrays.toString(post) + " and "
                    + sizes.length + " level sizes must have one entry per level");
        }
        if (pre[0] < 1) throw new IllegalArgumentException("MgConv: pre-smoothing at level 0 must be >= 1, found " + pre[0]);
        for (int l = 0; l < levels; l++) {
            if (pre[l] < 0 || post[l] < 0) {
                throw new IllegalArgumentException("MgConv: smoothing counts must be >= 0, found pre " + Arrays.toString(pre) + ", post "
                        + Arrays.toString(post));
            }
        }
        this.pre = pre.clone();
        this.post = post.clone();
        this.post[levels - 1] = 0;
        preS = registerModule("pre_S", new ModuleList<>());
        preA = registerModule("pre_A", new ModuleList<>());
        postS = registerModule("post_S", new ModuleList<>());
        postA = registerModule("post_A", new ModuleList<>());
        restrictData = registerModule("R", new ModuleList<>());
        restrictState = registerModule("Pi", new ModuleList<>());
        prolong = registerModule("P", new ModuleList<>());
        norms = layerNorm ? registerModule("norm", new ModuleList<>()) : null;
        for (int l = 0; l < levels; l++) {
            ModuleList<Conv2d> s = preS.add(new ModuleList<>()), a = preA.add(new ModuleList<>());
            for (int i = 0; i < pre[l]; i++) s.add(conv(channels, width, 1, paddingMode, rng));
            // u starts at 0 on level 0, so its first smoothing step has no A
            for (int i = 0; i < pre[l] - (l == 0 ? 1 : 0); i++) a.add(conv(width, channels, 1, paddingMode, rng));
            ModuleList<Conv2d> ps = postS.add(new ModuleList<>()), pa = postA.add(new ModuleList<>());
            for (int i = 0; i < this.post[l]; i++) {
                ps.add(conv(channels, width, 1, paddingMode, rng));
                pa.add(conv(width, channels, 1, paddingMode, rng));
            }
        }
        for (int l = 0; l < levels - 1; l++) {
            restrictData.add(conv(channels, channels, 2, paddingMode, rng));
            restrictState.add(conv(width, width, 2, paddingMode, rng));
            prolong.add(new Prolongation(width, Prolongation.kernelFor(Math.min(sizes[l][0], sizes[l][1])), rng));
            if (layerNorm) norms.add(new LayerNorm(new int[] {width, sizes[l][0], sizes[l][1]}, 1e-5, true));
        }
    }

    private static Conv2d conv(int in, int out, int stride, String paddingMode, Rng rng) {
        return new Conv2d(in, out, 3, stride, 1, 1, 1, false, paddingMode, rng);
    }

    public int levels() { return pre.length; }

    /** f (B, channels, n1, n2) to u (B, width, n1, n2). */
    public Tensor forward(Tensor f) {
        int levels = pre.length;
        Tensor[] us = new Tensor[levels], fs = new Tensor[levels];
        Tensor u = null;
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                f = restrictData.get(l - 1).forward(f);
                u = restrictState.get(l - 1).forward(u);
            }
            u = smooth(u, f, preS.get(l), preA.get(l));
            us[l] = u;
            fs[l] = f;
        }
        for (int l = levels - 2; l >= 0; l--) {
            u = us[l].add(prolong.get(l).forward(u, new int[] {us[l].size(2), us[l].size(3)}));
            if (norms != null) u = norms.get(l).forward(u);
            u = smooth(u, fs[l], postS.get(l), postA.get(l));
        }
        return u;
    }

    /** u = u + S_i(f - A_i u) for each pair; with u null the first step is u = S_0 f (and A is one shorter). */
    private static Tensor smooth(Tensor u, Tensor f, ModuleList<Conv2d> s, ModuleList<Conv2d> a) {
        int i = 0;
        if (u == null) u = s.get(i++).forward(f);
        for (int j = 0; i < s.size(); i++, j++) u = u.add(s.get(i).forward(f.sub(a.get(j).forward(u))));
        return u;
    }
}
