package org.opforge.operators.dgno;

import java.util.ArrayList;
import java.util.List;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;

/**
 * Configuration keys and defaults of the DGNO operator. The defaults are the reference's
 * piecewise-constant Darcy recipe for 1000 training fields (Zang and Koutsourelakis 2025,
 * Example_DarcyFlow_piecewise): latent 128, encoder [512, 256], MultiONets of depth 5 summing the
 * last 4 layers, width 100 for u, s1, s2 and 256 for the input decoder, 100 Wendland test functions
 * of radius 1e-4 per step with the 7 x 7 disk rule, source 10, Adam 5e-4 with weight decay 1e-4,
 * batch 25, 2000 epochs, learning rate halved every 200, reconstruction (BCE) weight 0.125, PDE
 * weight 1. The coefficient's two values are read from the training file unless given; a smooth
 * (log-normal) coefficient takes {@code input_model = lognormal}.
 *
 * <p>Training is physics-only by default ({@code train_targets = false}): the training file's
 * target field is never read, so a file holding only the coefficient works.
 */
public final class DgnoSchemas {
    private DgnoSchemas() {}

    public static final String DATA_INPUT = "data.input", DATA_TARGET = "data.target", TRAIN_TARGETS = "train_targets";
    public static final String EPOCHS = "epochs", BATCH_SIZE = "batch_size", LR = "lr", WEIGHT_DECAY = "weight_decay",
            OPTIMIZER = "optimizer", SCHEDULER = "scheduler", NORMALIZE = "normalize";
    public static final String GRID = "grid", LATENT = "latent", ENCODER = "encoder", WIDTH = "width", WIDTH_A = "width_a", DEPTH = "depth",
            SUM_LAYERS = "sum_layers", INPUT_CHANNELS = "input_channels", ENCODER_TYPE = "encoder_type", CONV_CHANNELS = "conv_channels";
    public static final String PROBLEM = "problem", SOURCE = "source", CENTRES = "centres", RADIUS = "radius",
            QUADRATURE_GRID = "quadrature_grid", INPUT_MODEL = "input_model", COEFFICIENT_VALUES = "coefficient_values",
            LOG_COEFFICIENT_STATS = "log_coefficient_stats";
    public static final String BCE_WEIGHT = "bce_weight", PDE_WEIGHT = "pde_weight", LABEL_WEIGHT = "label_weight",
            TRUNK_MODE = "trunk_mode";

    public static ConfigSchema dgno() {
        List<ConfigParameter> p = new ArrayList<>();
        p.add(ConfigParameter.string(DATA_INPUT, "x", "input (coefficient) field of the data set, (N, n, n) on the nodes of the unit square"));
        p.add(ConfigParameter.string(DATA_TARGET, "y", "solution field of test files (and of training files when train_targets is true)"));
        p.add(ConfigParameter.bool(TRAIN_TARGETS, false, "read the training file's solutions (for label_weight > 0); false: physics only, "
                + "the training file needs no solution field"));
        p.add(ConfigParameter.integer(EPOCHS, 2000, "training epochs"));
        p.add(ConfigParameter.integer(BATCH_SIZE, 25, "samples per optimizer step"));
        p.add(ConfigParameter.number(LR, 5e-4, "initial learning rate"));
        p.add(ConfigParameter.number(WEIGHT_DECAY, 1e-4, "weight decay (L2 penalty for adam and sgd, decoupled for adamw)"));
        p.add(ConfigParameter.choice(OPTIMIZER, "adam", "optimizer", "adam", "adamw", "sgd"));
        p.add(ConfigParameter.string(SCHEDULER, "step:200:0.5", "learning-rate schedule: none, cosine, onecycle or step:STEP:GAMMA"));
        p.add(ConfigParameter.choice(NORMALIZE, "pointwise", "unit-Gaussian normalization of the encoder's input fitted on the training set",
                "none", "pointwise", "channel"));
        p.add(ConfigParameter.integer(GRID, 0, "nodes per side n of the input fields (0: taken from the training data)"));
        p.add(ConfigParameter.integer(INPUT_CHANNELS, 0, "input fields per sample: 1 = the coefficient a (N, n, n); 2 = a and the source "
                + "field f (N, 2, n, n), which the residual then reads instead of the constant source (0: taken from the training data)"));
        p.add(ConfigParameter.integer(LATENT, 128, "size of the latent vector beta in (-1, 1)^latent"));
        p.add(ConfigParameter.integers(ENCODER, List.of(512, 256), "hidden widths of the encoder MLP (SiLU, tanh output; after the convolutions "
                + "with encoder_type=cnn, where the reference uses 128,128)"));
        p.add(ConfigParameter.choice(ENCODER_TYPE, "mlp", "encoder of the input field: mlp on the flattened field (the piecewise-constant "
                + "recipe), or cnn: stride-2 3x3 convolutions with SiLU (conv_channels) before the MLP, the reference's small CNN for smooth fields",
                "mlp", "cnn"));
        p.add(ConfigParameter.integers(CONV_CHANNELS, List.of(64, 64, 64), "encoder_type=cnn: output channels of each convolution "
                + "(three take 29x29 to 2x2)"));
        p.add(ConfigParameter.integer(WIDTH, 100, "width of the MultiONets of u, s1, s2"));
        p.add(ConfigParameter.integer(WIDTH_A, 256, "width of the MultiONet decoding the input a"));
        p.add(ConfigParameter.integer(DEPTH, 5, "layers of each trunk and branch"));
        p.add(ConfigParameter.integer(SUM_LAYERS, 4, "last hidden layers whose inner products are summed"));
        p.add(ConfigParameter.choice(PROBLEM, "darcy", "the PDE: darcy = -div(a grad u) = source on the unit square, u = 0 on its boundary",
                "darcy"));
        p.add(ConfigParameter.number(SOURCE, 10.0, "constant right-hand side f (unless the input holds a source field)"));
        p.add(ConfigParameter.integer(CENTRES, 100, "test functions (disk centres, Latin hypercube) per step"));
        p.add(ConfigParameter.number(RADIUS, 1e-4, "support radius of the Wendland C4 test functions"));
        p.add(ConfigParameter.integer(QUADRATURE_GRID, 7, "n of the n x n grid whose points inside the disk are the quadrature rule"));
        p.add(ConfigParameter.choice(INPUT_MODEL, "bernoulli", "likelihood of the input decoder: bernoulli (two-valued coefficient) or "
                + "lognormal (smooth positive coefficient, Gaussian log a)", "bernoulli", "lognormal"));
        p.add(ConfigParameter.numbers(COEFFICIENT_VALUES, List.of(), "bernoulli: the coefficient's two values LO,HI (empty: read from the training file)"));
        p.add(ConfigParameter.numbers(LOG_COEFFICIENT_STATS, List.of(), "lognormal: mean and standard deviation of log a (empty: fitted on the training file)"));
        p.add(ConfigParameter.number(BCE_WEIGHT, 0.125, "weight of the input reconstruction (negative log-likelihood of the a-decoder: binary cross-entropy for bernoulli)"));
        p.add(ConfigParameter.number(PDE_WEIGHT, 1.0, "weight of the weak-form residual"));
        p.add(ConfigParameter.number(LABEL_WEIGHT, 0.0, "weight of a relative L2 loss on labelled solutions (needs train_targets)"));
        p.add(ConfigParameter.choice(TRUNK_MODE, "shared", "grad u: shared = trunk once per step with forward-mode tangents; "
                + "repeat = per-sample copies of the points and autograd (the reference's computation, double backward)", "shared", "repeat"));
        p.addAll(org.opforge.training.SupervisedTrainer.configParameters());
        return new ConfigSchema(p);
    }
}
