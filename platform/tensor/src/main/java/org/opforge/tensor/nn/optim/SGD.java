package org.opforge.tensor.nn.optim;

import java.util.List;
import java.util.Map;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.nn.Module;

/**
 * Stochastic gradient descent with PyTorch's rules (torch.optim.SGD):
 * <pre>
 *   d = g + weight_decay * p
 *   buf = d                                         (first step)
 *   buf = momentum * buf + (1 - dampening) * d      (later steps)
 *   d = nesterov ? d + momentum * buf : buf         (when momentum != 0)
 *   p = p - lr * d
 * </pre>
 */
public final class SGD extends Optimizer implements MomentumControl {
    private double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;

    /** Plain SGD: no momentum, no weight decay. */
    public SGD(Map<String, Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    public SGD(Map<String, Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params, lr);
        if (momentum < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("SGD: momentum and weight_decay must be >= 0, found " + momentum + ", " + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening, found momentum "
                    + momentum + ", dampening " + dampening);
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    public SGD(Module module, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this(module.namedParameters(), lr, momentum, dampening, weightDecay, nesterov);
    }

    @Override public double momentum() { return momentum; }

    @Override public void setMomentum(double momentum) {
        if (momentum < 0) throw new IllegalArgumentException("SGD: momentum must be >= 0, found " + momentum);
        this.momentum = momentum;
    }

    @Override
    void update(long step, Part part, Buffer p, Buffer g, Buffer out) {
        Kernels k = part.k;
        Buffer d = g;
        if (weightDecay != 0) {
            k.scale(p, weightDecay, part.tmp1());
            k.add(part.tmp1(), g, part.tmp1());
            d = part.tmp1();
        }
        if (momentum != 0) {
            boolean first = !part.has("momentum_buffer");
            Buffer buf = part.state("momentum_buffer");
            if (first) {
                k.copy(d, buf);
            } else {
                k.scale(buf, momentum, buf);
                k.axpy(1 - dampening, d, buf, part.tmp2());
            }
            if (nesterov) {
                k.scale(buf, momentum, part.tmp2());
                k.add(d, part.tmp2(), part.tmp1());
                d = part.tmp1();
            } else {
                d = buf;
            }
        }
        k.scale(d, -lr(), out);
        k.add(p, out, out);
    }

    @Override
    List<String> stateNames() {
        return momentum != 0 ? List.of("momentum_buffer") : List.of();
    }
}
