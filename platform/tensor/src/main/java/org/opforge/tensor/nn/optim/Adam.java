package org.opforge.tensor.nn.optim;

import java.util.List;
import java.util.Map;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.nn.Module;

/**
 * Adam with PyTorch's rules (torch.optim.Adam; {@link AdamW} for decoupled decay). At step t:
 * <pre>
 *   g = g + weight_decay * p                      (L2 penalty; AdamW instead: p = p * (1 - lr * weight_decay))
 *   m = b1 * m + (1 - b1) * g
 *   v = b2 * v + (1 - b2) * g^2
 *   vmax = max(vmax, v)                           (amsgrad; then v := vmax below)
 *   p = p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 */
public class Adam extends Optimizer implements MomentumControl {
    private double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;
    private final boolean decoupled;

    /** PyTorch defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(Map<String, Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    public Adam(Module module, double lr) {
        this(module.namedParameters(), lr);
    }

    public Adam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    Adam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
         boolean decoupled) {
        super(params, lr);
        checkBeta("beta1", beta1);
        checkBeta("beta2", beta2);
        if (!(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps and weight_decay must be >= 0, found " + eps + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
    }

    private void checkBeta(String name, double b) {
        if (!(b >= 0 && b < 1)) throw new IllegalArgumentException(getClass().getSimpleName() + ": " + name + " must be in [0, 1), found " + b);
    }

    /** beta1, which {@link OneCycleLR} cycles. */
    @Override public double momentum() { return beta1; }

    @Override public void setMomentum(double momentum) {
        checkBeta("beta1", momentum);
        this.beta1 = momentum;
    }

    @Override
    void update(long step, Part part, Buffer p, Buffer g, Buffer out) {
        // one fused kernel on backends that have it (the CPU's), the composed element-wise passes elsewhere
        Buffer m = part.state("exp_avg"), v = part.state("exp_avg_sq");
        Buffer vMax = amsgrad ? part.state("max_exp_avg_sq") : null;
        part.k.backend().adamStep(p, g, m, v, vMax, out, lr(), beta1, beta2, eps, weightDecay, decoupled,
                1 - Math.pow(beta1, step), 1 - Math.pow(beta2, step));
    }

    @Override
    List<String> stateNames() {
        return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq");
    }
}
