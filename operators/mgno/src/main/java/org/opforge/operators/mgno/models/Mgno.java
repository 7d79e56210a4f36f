package org.opforge.operators.mgno.models;

import java.util.Arrays;
import org.opforge.operators.mgno.layers.MgConv;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Conv2d;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.ModuleList;

/**
 * The multigrid neural operator (He, Liu, Xu, ICLR 2024) on fields {@code (B, C_in, n1, n2)}: no lifting,
 * no projection MLP, no grid channels.
 * <pre>
 *   Darcy:          v = gelu(MgConv_k(v) + lin_k(v)), k = 0..L-1     lin_k: 1x1 conv with bias
 *                   y = proj(v)                                      proj: 1x1 conv width -> C_out, no bias
 *   Navier-Stokes:  v = gelu(MgConv_k(v))                            MgConv with LayerNorm in the up pass
 *                   y = proj(v) + x[:, C_in - C_out:]                global residual on the latest input channels
 *                                                                    (one input channel: added to every output channel)
 * </pre>
 * GELU is the exact erf form, after every layer including the last. State-dict keys as the PyTorch peer
 * ({@code mg.k.*}, {@code lin.k.weight}/{@code bias}, {@code proj.weight}), so its weights load directly.
 */
public final class Mgno extends Module {
    private final MgnoSpec spec;
    private final ModuleList<MgConv> mg;
    private final ModuleList<Conv2d> lin;
    private final Conv2d proj;

    public Mgno(MgnoSpec spec, Rng rng) {
        this.spec = spec;
        boolean ns = spec.variant() == MgnoSpec.Variant.NS;
        mg = registerModule("mg", new ModuleList<>());
        lin = ns ? null : registerModule("lin", new ModuleList<>());
        int[][] sizes = spec.hierarchy().sizes();
        for (int k = 0; k < spec.layers(); k++) {
            int c = k == 0 ? spec.inChannels() : spec.width();
            mg.add(new MgConv(c, spec.width(), spec.pre(), spec.post(), sizes, spec.padding(), ns, rng));
            if (!ns) lin.add(new Conv2d(c, spec.width(), 1, rng));
        }
        proj = registerModule("proj", new Conv2d(spec.width(), spec.outChannels(), 1, 1, 0, 1, 1, false, "zeros", rng));
    }

    public MgnoSpec spec() { return spec; }

    /** x (B, C_in, n1, n2) to (B, C_out, n1, n2). */
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != spec.inChannels()) {
            throw new IllegalArgumentException("MgNO: expected input (B, " + spec.inChannels() + ", n1, n2), found " + Arrays.toString(x.shape()));
        }
        Tensor v = x;
        for (int k = 0; k < spec.layers(); k++) {
            Tensor z = mg.get(k).forward(v);
            v = (lin == null ? z : z.add(lin.get(k).forward(v))).gelu();
        }
        Tensor y = proj.forward(v);
        if (lin != null) return y;
        int c = spec.inChannels();
        return y.add(c == 1 ? x : x.slice(1, c - spec.outChannels(), c));
    }
}
