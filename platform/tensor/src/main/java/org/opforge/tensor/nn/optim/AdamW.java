package org.opforge.tensor.nn.optim;

import java.util.Map;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Module;

/**
 * Adam with decoupled weight decay (torch.optim.AdamW, Loshchilov and Hutter): each step first
 * shrinks {@code p = p * (1 - lr * weight_decay)}, then applies the Adam update without a decay
 * term in the gradient. PyTorch's default weight decay is 0.01.
 */
public final class AdamW extends Adam {

    /** PyTorch defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(Map<String, Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.01, false);
    }

    public AdamW(Module module, double lr) {
        this(module.namedParameters(), lr);
    }

    public AdamW(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }
}
