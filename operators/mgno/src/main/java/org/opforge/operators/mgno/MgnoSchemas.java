package org.opforge.operators.mgno;

import java.util.ArrayList;
import java.util.List;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;
import org.opforge.training.SupervisedTrainer;

/**
 * Configuration keys and defaults of MgNO. The defaults are the reference's Darcy configuration and
 * training recipe (xlliu2017/MgNO, Darcy rough): width 24, 4 layers, levels automatic (coarsest side
 * 4, at most 6), pre-smoothing 1, ..., 1, 2 and no post-smoothing, zero padding; Adam lr 5e-4 with L2
 * weight decay 1e-4, batch 8, 500 epochs, OneCycle (div 2, final div 100, warm-up 0.2 of the epochs,
 * beta1 cycled 0.95 -> 0.85 -> 0.95), the spectral H1 loss summed over the batch, the target normalised
 * by one scalar mean and std and the input left raw.
 *
 * <p>Inputs are {@code [N, n1, n2]} (one channel) or {@code [N, C_in, n1, n2]}; outputs have the same
 * layout with {@code out_channels} channels. The stencils are in grid units: the model is tied to its
 * training grid ({@code grid}, taken from the first training data when empty).
 */
public final class MgnoSchemas {
    private MgnoSchemas() {}

    public static final String DATA_INPUT = "data.input", DATA_TARGET = "data.target";
    public static final String EPOCHS = "epochs", BATCH_SIZE = "batch_size", LR = "lr", WEIGHT_DECAY = "weight_decay",
            OPTIMIZER = "optimizer", SCHEDULER = "scheduler", NORMALIZE = "normalize", NORMALIZE_INPUT = "normalize_input",
            LOSS = "loss";
    public static final String IN_CHANNELS = "in_channels", OUT_CHANNELS = "out_channels", WIDTH = "width", LAYERS = "layers",
            LEVELS = "levels", PRE_SMOOTH = "pre_smooth", POST_SMOOTH = "post_smooth", PADDING = "padding", VARIANT = "variant",
            GRID = "grid";

    /** The schema of the "mgno" factory. */
    public static ConfigSchema mgno() {
        List<ConfigParameter> p = new ArrayList<>();
        p.add(ConfigParameter.string(DATA_INPUT, "x", "input field of the data set"));
        p.add(ConfigParameter.string(DATA_TARGET, "y", "target field of the data set"));
        p.add(ConfigParameter.integer(EPOCHS, 500, "training epochs"));
        p.add(ConfigParameter.integer(BATCH_SIZE, 8, "samples per optimizer step"));
        p.add(ConfigParameter.number(LR, 5e-4, "learning rate (the peak of the one-cycle schedule)"));
        p.add(ConfigParameter.number(WEIGHT_DECAY, 1e-4, "weight decay (L2 penalty for adam and sgd, decoupled for adamw)"));
        p.add(ConfigParameter.choice(OPTIMIZER, "adam", "optimizer", "adam", "adamw", "sgd"));
        p.add(ConfigParameter.string(SCHEDULER, "onecycle:2:100:0.2",
                "learning-rate schedule per epoch: none, cosine, onecycle[:DIV:FINAL_DIV:PCT_START] (cycles adam's beta1 too) or step:STEP:GAMMA"));
        p.add(ConfigParameter.choice(LOSS, "h1", "training loss on decoded predictions: h1 (the reference's spectral H1, |k| < 20) "
                + "or l2 (relative L2)", "h1", "l2"));
        // the shared loop's keys; the reference sums the per-sample losses over the batch, which weighs the gradient against the
        // weight decay by the batch size
        for (ConfigParameter q : SupervisedTrainer.configParameters()) {
            p.add(q.name().equals(SupervisedTrainer.LOSS_REDUCTION)
                    ? ConfigParameter.choice(q.name(), "sum", q.description(), "mean", "sum") : q);
        }
        p.add(ConfigParameter.choice(NORMALIZE, "channel", "unit-Gaussian normalization of the targets fitted on the training set: "
                + "one scalar mean/std (channel), per grid point (pointwise) or none", "none", "pointwise", "channel"));
        p.add(ConfigParameter.bool(NORMALIZE_INPUT, false, "normalize the inputs too, with the same mode (the reference leaves them raw)"));
        p.add(ConfigParameter.integer(IN_CHANNELS, 1, "input channels (e.g. time steps for Navier-Stokes)"));
        p.add(ConfigParameter.integer(OUT_CHANNELS, 1, "output channels"));
        p.add(ConfigParameter.integer(WIDTH, 24, "channels of the V-cycle state u"));
        p.add(ConfigParameter.integer(LAYERS, 4, "MgNO layers (each one V-cycle)"));
        p.add(ConfigParameter.integer(LEVELS, 0, "V-cycle levels including the input grid; 0: halve while the coarser side is >= 4, at most 6"));
        p.add(ConfigParameter.integers(PRE_SMOOTH, List.of(), "pre-smoothing steps per level (empty: 1, ..., 1, 2; one value: every level)"));
        p.add(ConfigParameter.integers(POST_SMOOTH, List.of(), "post-smoothing steps per level (empty: 0 each; one value: every level but the coarsest)"));
        p.add(ConfigParameter.choice(PADDING, "zeros", "padding of every 3x3 convolution: zeros (Dirichlet), circular (periodic), reflect",
                "zeros", "circular", "reflect"));
        p.add(ConfigParameter.choice(VARIANT, "darcy", "darcy: gelu(MgConv + 1x1 conv) per layer; ns: LayerNorm in the up pass, no 1x1 "
                + "skip, output + the input (one channel) or its last out_channels channels (Navier-Stokes)", "darcy", "ns"));
        p.add(ConfigParameter.integers(GRID, List.of(), "training grid n1, n2 (fixes the hierarchy); empty: taken from the first training data"));
        return new ConfigSchema(p);
    }
}
