package org.opforge.tensor.cpu;

/**
 * Fused optimizer steps of {@link CpuBackend}: the whole Adam / AdamW update of
 * {@link org.opforge.tensor.backend.Backend#adamStep} in one parallel pass (one read of p, g, m, v,
 * one write of m, v and the result), where the composed default makes about fourteen passes over
 * the parameter. Arithmetic in double, each stored value rounded once to the buffer's precision.
 */
final class CpuOptimKernels {
    private CpuOptimKernels() {}

    static void adam(CpuBuffer p, CpuBuffer g, CpuBuffer m, CpuBuffer v, CpuBuffer vMax, CpuBuffer out, double lr, double beta1,
                     double beta2, double eps, double weightDecay, boolean decoupled, double bc1, double bc2) {
        int n = (int) p.numel;
        for (CpuBuffer b : new CpuBuffer[] {g, m, v, vMax, out}) {
            if (b != null && (b.numel != n || b.dtype != p.dtype)) {
                throw new IllegalArgumentException("adamStep: buffer of " + b.numel + " " + b.dtype + " elements beside a parameter of "
                        + n + " " + p.dtype);
            }
        }
        if (p.dtype.isComplex()) throw new IllegalArgumentException("adamStep: real buffers only, found " + p.dtype);
        double l2 = decoupled ? 0 : weightDecay, keep = decoupled ? 1 - lr * weightDecay : 1;
        double step = -lr / bc1, rs2 = 1 / Math.sqrt(bc2);
        if (p.f != null) {
            float[] pp = p.f, gg = g.f, mm = m.f, vv = v.f, vm = vMax == null ? null : vMax.f, oo = out.f;
            CpuThreads.parallelFor(n, 12, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    double pi = pp[i], gi = gg[i] + l2 * pi;
                    float mi = (float) (beta1 * mm[i] + (1 - beta1) * gi);
                    float vi = (float) (beta2 * vv[i] + (1 - beta2) * gi * gi);
                    mm[i] = mi;
                    vv[i] = vi;
                    if (vm != null) vi = vm[i] = Math.max(vm[i], vi);
                    oo[i] = (float) (keep * pi + step * mi / (Math.sqrt(vi) * rs2 + eps));
                }
            });
        } else {
            double[] pp = p.d, gg = g.d, mm = m.d, vv = v.d, vm = vMax == null ? null : vMax.d, oo = out.d;
            CpuThreads.parallelFor(n, 12, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    double pi = pp[i], gi = gg[i] + l2 * pi;
                    double mi = beta1 * mm[i] + (1 - beta1) * gi;
                    double vi = beta2 * vv[i] + (1 - beta2) * gi * gi;
                    mm[i] = mi;
                    vv[i] = vi;
                    if (vm != null) vi = vm[i] = Math.max(vm[i], vi);
                    oo[i] = keep * pi + step * mi / (Math.sqrt(vi) * rs2 + eps);
                }
            });
        }
    }
}
