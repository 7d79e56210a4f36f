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
        Kernels k = part.k;
        double lr = lr();
        Buffer grad = g;
        if (weightDecay != 0 && !decoupled) {
            k.scale(p, weightDecay, part.tmp1());
            k.add(part.tmp1(), g, part.tmp1());
            grad = part.tmp1();
        }
        Buffer m = part.state("exp_avg");
        Buffer v = part.state("exp_avg_sq");
        k.scale(m, beta1, m);
        k.axpy(1 - beta1, grad, m, part.tmp2());
        k.scale(v, beta2, v);
        k.square(grad, part.tmp2());
        k.axpy(1 - beta2, part.tmp2(), v, out);
        Buffer second = v;
        if (amsgrad) {
            second = part.state("max_exp_avg_sq");
            k.max(second, v, second);
        }
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        Buffer denom = part.tmp2();
        k.sqrt(second, denom);
        k.scale(denom, 1 / Math.sqrt(bc2), denom);
        k.addScalar(denom, eps, denom);
        k.div(m, denom, denom);
        k.scale(denom, -lr / bc1, denom);
        if (decoupled && weightDecay != 0) {
            k.scale(p, 1 - lr * weightDecay, out);
            k.add(out, denom, out);
        } else {
            k.add(p, denom, out);
        }
    }

    @Override
    List<String> stateNames() {
        return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq");
    }
}
