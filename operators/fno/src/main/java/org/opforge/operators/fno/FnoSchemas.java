package org.opforge.operators.fno;

import java.util.ArrayList;
import java.util.List;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;
import org.opforge.training.SupervisedTrainer;

/**
 * Configuration keys and defaults of the FNO family. The defaults are the Darcy recipe of the FNO
 * paper as the PyTorch peer runs it on neuraloperator's Darcy-16 set (width 32, 8 modes, 4 blocks,
 * pointwise unit-Gaussian normalization, Adam 5e-3 with L2 weight decay 1e-4, StepLR 30 / 0.5,
 * batch 32, 100 epochs, relative L2 loss on decoded predictions): they train a good 2-D model
 * without any {@code --set}.
 *
 * <p>Inputs are {@code [N, *grid]} (one channel) or {@code [N, C, *grid]} with {@code dims} grid axes;
 * outputs have the same layout with {@code out_channels} channels.
 *
 * <p>FNO and TFNO train on a masked grid ({@value #DATA_MASK}: a field shaped like the target, 1 where
 * the target counts, 0 elsewhere, e.g. the nodes outside a star domain in its bounding box): the loss,
 * the validation loss and a runner's metrics then count the inside values only, and the target
 * normalizer is fitted on the masked targets. They also train on targets redrawn every epoch
 * ({@value #LABELS}, e.g. online Walk-on-Spheres labels at the inside nodes). MG-TFNO, which trains on
 * patches, takes neither a mask nor a label source.
 */
public final class FnoSchemas {
    private FnoSchemas() {}

    public static final String DATA_INPUT = "data.input", DATA_TARGET = "data.target";
    /** Read by runners: the mask field of a masked grid (see {@link org.opforge.api.training.TrainingData#mask()}). */
    public static final String DATA_MASK = "data.mask";
    /** Read by runners, not the operator: train on a label source instead of the target field (see LabelSourceFactory). */
    public static final String LABELS = "data.labels", LABEL_WALKS = "data.labels.walks";
    public static final String EPOCHS = "epochs", BATCH_SIZE = "batch_size", LR = "lr", WEIGHT_DECAY = "weight_decay",
            OPTIMIZER = "optimizer", SCHEDULER = "scheduler", NORMALIZE = "normalize";
    public static final String DIMS = "dims", IN_CHANNELS = "in_channels", OUT_CHANNELS = "out_channels", WIDTH = "width",
            MODES = "modes", LAYERS = "layers", LIFTING_CHANNELS = "lifting_channels", PROJECTION_CHANNELS = "projection_channels",
            ACTIVATION = "activation", POSITIONAL_EMBEDDING = "positional_embedding", CHANNEL_MLP = "channel_mlp",
            CHANNEL_MLP_EXPANSION = "channel_mlp_expansion", DOMAIN_PADDING = "domain_padding",
            DOMAIN_PADDING_MODE = "domain_padding_mode";
    public static final String FACTORIZATION = "factorization", RANK = "rank", IMPLEMENTATION = "implementation";
    public static final String LEVELS = "levels", PADDING_FRACTION = "padding_fraction", PATCH_BATCH = "patch_batch";

    /** Plain FNO (dense spectral weights). */
    public static ConfigSchema fno() {
        List<ConfigParameter> p = common();
        p.addAll(maskAndLabels());
        return new ConfigSchema(p);
    }

    /** TFNO: FNO with factorized spectral weights (Tucker, rank 0.1 of the dense count, factor-by-factor contraction). */
    public static ConfigSchema tfno() {
        List<ConfigParameter> p = common();
        p.addAll(maskAndLabels());
        p.addAll(factorization("tucker"));
        return new ConfigSchema(p);
    }

    /** The keys of masked grids and label sources (FNO and TFNO). */
    private static List<ConfigParameter> maskAndLabels() {
        return List.of(
                ConfigParameter.string(DATA_MASK, "", "per-sample field shaped like the target, 1 inside and 0 outside the domain: the loss and "
                        + "the metrics count the inside values only (a masked grid); empty: no mask"),
                ConfigParameter.string(LABELS, "", "for runners: the label source to train on instead of data.target, e.g. wos (online "
                        + "Walk-on-Spheres labels at the inside nodes of a star-poisson grid); empty: the target field"),
                ConfigParameter.integer(LABEL_WALKS, 10, "for runners: walks per inside node and epoch of the wos label source"));
    }

    /** MG-TFNO: TFNO on multigrid patches (2-D only). */
    public static ConfigSchema mgTfno() {
        List<ConfigParameter> p = common();
        p.addAll(factorization("tucker"));
        p.add(ConfigParameter.integer(LEVELS, 1, "multigrid levels L: 2^L x 2^L patches, each with L coarser context levels as channels"));
        p.add(ConfigParameter.number(PADDING_FRACTION, 0.0625, "circular padding of each patch, as a fraction of the full grid size"));
        p.add(ConfigParameter.integer(PATCH_BATCH, 0, "patches per forward/backward pass in training (gradients accumulated over a batch's"
                + " groups, the same update as all at once; bounds peak memory); 0: all patches of a batch at once"));
        return new ConfigSchema(p);
    }

    private static List<ConfigParameter> factorization(String defaultFormat) {
        List<ConfigParameter> p = new ArrayList<>();
        p.add(ConfigParameter.choice(FACTORIZATION, defaultFormat, "spectral weight format", "dense", "cp", "tucker", "tt"));
        p.add(ConfigParameter.number(RANK, 0.1, "rank of the factorized spectral weights as a fraction of the dense parameter count"));
        p.add(ConfigParameter.choice(IMPLEMENTATION, "factorized", "contract factor by factor, or with the reconstructed weight",
                "factorized", "reconstructed"));
        return p;
    }

    private static List<ConfigParameter> common() {
        List<ConfigParameter> p = new ArrayList<>();
        p.add(ConfigParameter.string(DATA_INPUT, "x", "input field of the data set"));
        p.add(ConfigParameter.string(DATA_TARGET, "y", "target field of the data set"));
        p.add(ConfigParameter.integer(EPOCHS, 100, "training epochs"));
        p.add(ConfigParameter.integer(BATCH_SIZE, 32, "samples per optimizer step"));
        p.add(ConfigParameter.number(LR, 5e-3, "initial learning rate"));
        p.add(ConfigParameter.number(WEIGHT_DECAY, 1e-4, "weight decay (L2 penalty for adam and sgd, decoupled for adamw)"));
        p.add(ConfigParameter.choice(OPTIMIZER, "adam", "optimizer", "adam", "adamw", "sgd"));
        p.add(ConfigParameter.string(SCHEDULER, "step:30:0.5", "learning-rate schedule: none, cosine, onecycle or step:STEP:GAMMA"));
        p.add(ConfigParameter.choice(NORMALIZE, "pointwise", "unit-Gaussian normalization of inputs and targets fitted on the training set",
                "none", "pointwise", "channel"));
        p.addAll(SupervisedTrainer.configParameters());
        p.add(ConfigParameter.integer(DIMS, 2, "spatial dimensions of the fields (1, 2 or 3)"));
        p.add(ConfigParameter.integer(IN_CHANNELS, 1, "input channels"));
        p.add(ConfigParameter.integer(OUT_CHANNELS, 1, "output channels"));
        p.add(ConfigParameter.integer(WIDTH, 32, "hidden channels of the Fourier blocks"));
        p.add(ConfigParameter.integers(MODES, List.of(8), "Fourier modes kept per axis (one value for all axes, or one per axis)"));
        p.add(ConfigParameter.integer(LAYERS, 4, "Fourier blocks"));
        p.add(ConfigParameter.integer(LIFTING_CHANNELS, 0, "hidden channels of a 2-layer lifting MLP; 0 lifts with one linear layer"));
        p.add(ConfigParameter.integer(PROJECTION_CHANNELS, 128, "hidden channels of the projection MLP"));
        p.add(ConfigParameter.choice(ACTIVATION, "gelu", "activation", "gelu", "relu", "tanh", "silu"));
        p.add(ConfigParameter.bool(POSITIONAL_EMBEDDING, true, "append linspace(0,1) grid coordinates as input channels"));
        p.add(ConfigParameter.bool(CHANNEL_MLP, false, "channel MLP inside each Fourier block (neuralop)"));
        p.add(ConfigParameter.number(CHANNEL_MLP_EXPANSION, 0.5, "hidden width of the block channel MLP relative to width"));
        p.add(ConfigParameter.number(DOMAIN_PADDING, 0.0, "zero padding of the domain as a fraction of each axis (non-periodic problems)"));
        p.add(ConfigParameter.choice(DOMAIN_PADDING_MODE, "one-sided", "where the domain padding goes", "one-sided", "symmetric"));
        return p;
    }
}
