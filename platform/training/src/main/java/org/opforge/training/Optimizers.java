package org.opforge.training;

import java.util.Locale;
import java.util.Map;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.optim.Adam;
import org.opforge.tensor.nn.optim.AdamW;
import org.opforge.tensor.nn.optim.CosineAnnealingLR;
import org.opforge.tensor.nn.optim.LRScheduler;
import org.opforge.tensor.nn.optim.OneCycleLR;
import org.opforge.tensor.nn.optim.Optimizer;
import org.opforge.tensor.nn.optim.ReduceLROnPlateau;
import org.opforge.tensor.nn.optim.SGD;
import org.opforge.tensor.nn.optim.StepLR;

/** Optimizers and learning-rate schedules by name, as training configs and suite files give them. */
public final class Optimizers {
    private Optimizers() {}

    /**
     * "adam" (weight decay added to the gradient, as torch.optim.Adam), "adamw" (decoupled decay) or
     * "sgd" (momentum 0.9).
     */
    public static Optimizer create(String name, Map<String, Tensor> params, double lr, double weightDecay) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, false);
            case "adamw" -> new AdamW(params, lr, 0.9, 0.999, 1e-8, weightDecay, false);
            case "sgd" -> new SGD(params, lr, 0.9, 0, weightDecay, false);
            default -> throw new IllegalArgumentException("optimizer: expected adam, adamw or sgd, found '" + name + "'");
        };
    }

    /**
     * For {@code "plateau:FACTOR:PATIENCE"}, a {@link ReduceLROnPlateau} on the training loss (relative
     * threshold 1e-4, no cooldown, as PyTorch's defaults), which the caller steps with each epoch's
     * loss; null for any other spec (see {@link #schedule}).
     */
    public static ReduceLROnPlateau plateau(String spec, Optimizer optimizer) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (!s.startsWith("plateau:")) return null;
        String[] p = s.split(":");
        try {
            if (p.length == 3) return new ReduceLROnPlateau(optimizer, false, Double.parseDouble(p[1]), Integer.parseInt(p[2]), 1e-4, true, 0, 0, 1e-8);
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("scheduler: expected plateau:FACTOR:PATIENCE with FACTOR < 1 and PATIENCE >= 0, found '" + spec + "'");
    }

    /**
     * A schedule stepped once per epoch: "none", "step:STEP:GAMMA" (StepLR), "cosine" (T_max = epochs)
     * or "onecycle" (max lr = the optimizer's lr, over all epochs; PyTorch's defaults div 25, final div 1e4,
     * warm-up 0.3) or "onecycle:DIV:FINAL_DIV:PCT_START" (cosine, momentum / beta1 cycled 0.95 -> 0.85 -> 0.95,
     * MgNO's recipe is onecycle:2:100:0.2). Returns null for "none".
     */
    public static LRScheduler schedule(String spec, Optimizer optimizer, int epochs) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("none")) return null;
        if (s.equals("cosine")) return new CosineAnnealingLR(optimizer, epochs);
        if (s.equals("onecycle")) return new OneCycleLR(optimizer, optimizer.lr(), Math.max(2, epochs));
        if (s.startsWith("onecycle:")) {
            String[] p = s.split(":");
            try {
                if (p.length == 4) {
                    double div = Double.parseDouble(p[1]), fin = Double.parseDouble(p[2]), pct = Double.parseDouble(p[3]);
                    if (div > 0 && fin > 0 && pct >= 0 && pct <= 1) {
                        return new OneCycleLR(optimizer, optimizer.lr(), Math.max(2, epochs), pct, true, true, 0.85, 0.95, div, fin, false);
                    }
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        if (s.startsWith("step:")) {
            String[] p = s.split(":");
            try {
                if (p.length == 3) return new StepLR(optimizer, Integer.parseInt(p[1]), Double.parseDouble(p[2]));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("scheduler: expected none, cosine, onecycle, onecycle:DIV:FINAL_DIV:PCT_START (DIV, FINAL_DIV > 0,"
                + " PCT_START in [0, 1]), step:STEP:GAMMA or plateau:FACTOR:PATIENCE, found '" + spec + "'");
    }
}
