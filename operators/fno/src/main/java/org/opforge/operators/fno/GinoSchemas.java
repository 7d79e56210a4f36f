package org.opforge.operators.fno;

import java.util.ArrayList;
import java.util.List;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;

/**
 * Configuration keys and defaults of the GINO. The defaults are the WoS-NO peer's GINO and recipe
 * ({@code shared/peers/train_wosno_torch.py}: latent 24 x 24, width 24, 6 modes, 4 blocks, radius 0.2,
 * kernel MLPs 4-32-32-c, Adam 2e-3 with weight decay 1e-6, ReduceLROnPlateau(0.9, 2) on the training
 * loss, batch 8, 40 epochs, relative L2).
 *
 * <p>Inputs are point clouds {@code [N, P, 2 + F]}: per point its coordinates, then {@code F}
 * features (standardised channel-wise on the training set); outputs are {@code [N, P]}, the values at
 * the same points, or at query points given to {@code apply(input, points)}. Loss
 * {@value #PINN}: physics-informed for {@code -Δu = f} with the star-poisson features
 * {@code [g at the nearest boundary point, distance to it, f]} (boundary points are those at
 * distance 0, where that feature is {@code g}): {@code w_int mean((-Δ_q u - f)²)} over the interior
 * points plus {@code w_bc mean((u - g)²)} over the boundary points, {@code Δ_q} by double backward in
 * the query coordinates; the targets are not read.
 */
public final class GinoSchemas {
    private GinoSchemas() {}

    public static final String LOSS = "loss", PINN_INTERIOR = "pinn_interior_weight", PINN_BOUNDARY = "pinn_boundary_weight";
    public static final String FEATURES = "features", GNO_CHANNELS = "gno_channels", LATENT = "latent", LATENT_BOX = "latent_box",
            RADIUS = "radius", KERNEL_HIDDEN = "kernel_hidden";
    public static final String RELATIVE_L2 = "rel_l2", MSE = "mse", PINN = "poisson-pinn";
    /** Read by runners, not the operator: train on a label source instead of the target field (see LabelSourceFactory). */
    public static final String LABELS = FnoSchemas.LABELS, LABEL_WALKS = FnoSchemas.LABEL_WALKS;

    public static ConfigSchema gino() {
        List<ConfigParameter> p = new ArrayList<>();
        p.add(ConfigParameter.string(FnoSchemas.DATA_INPUT, "x", "input field of the data set: [N, P, 2 + features]"));
        p.add(ConfigParameter.string(FnoSchemas.DATA_TARGET, "u", "target field of the data set: [N, P]"));
        p.add(ConfigParameter.string(LABELS, "", "for runners: the label source to train on instead of data.target, e.g. wos (online "
                + "Walk-on-Spheres labels from a star-poisson set); empty: the target field"));
        p.add(ConfigParameter.integer(LABEL_WALKS, 10, "for runners: walks per interior point and epoch of the wos label source"));
        p.add(ConfigParameter.integer(FnoSchemas.EPOCHS, 40, "training epochs"));
        p.add(ConfigParameter.integer(FnoSchemas.BATCH_SIZE, 8, "samples per optimizer step"));
        p.add(ConfigParameter.number(FnoSchemas.LR, 2e-3, "initial learning rate"));
        p.add(ConfigParameter.number(FnoSchemas.WEIGHT_DECAY, 1e-6, "weight decay (L2 penalty for adam and sgd, decoupled for adamw)"));
        p.add(ConfigParameter.choice(FnoSchemas.OPTIMIZER, "adam", "optimizer", "adam", "adamw", "sgd"));
        p.add(ConfigParameter.string(FnoSchemas.SCHEDULER, "plateau:0.9:2", "learning-rate schedule: plateau:FACTOR:PATIENCE "
                + "(on the training loss), none, cosine, onecycle or step:STEP:GAMMA"));
        p.add(ConfigParameter.choice(LOSS, RELATIVE_L2, "training loss: relative L2 or MSE against the targets, or physics-informed "
                + "for -Laplace u = f", RELATIVE_L2, MSE, PINN));
        p.add(ConfigParameter.number(PINN_INTERIOR, 0.01, "weight of the interior residual in the physics-informed loss"));
        p.add(ConfigParameter.number(PINN_BOUNDARY, 1.0, "weight of the boundary misfit in the physics-informed loss"));
        p.add(ConfigParameter.integer(FEATURES, 3, "features per input point after its two coordinates"));
        p.add(ConfigParameter.integer(GNO_CHANNELS, 16, "channels of the lifted features carried by the input GNO"));
        p.add(ConfigParameter.integer(FnoSchemas.WIDTH, 24, "hidden channels of the latent FNO"));
        p.add(ConfigParameter.integer(FnoSchemas.MODES, 6, "Fourier modes kept per latent axis"));
        p.add(ConfigParameter.integer(FnoSchemas.LAYERS, 4, "Fourier blocks"));
        p.add(ConfigParameter.integer(LATENT, 24, "latent grid points per axis"));
        p.add(ConfigParameter.number(LATENT_BOX, 0.0, "half-width b of the latent grid [-b, b]^2; 0: 1.1 times the largest |coordinate| "
                + "of the training points"));
        p.add(ConfigParameter.number(RADIUS, 0.2, "radius of the input and output GNOs"));
        p.add(ConfigParameter.integer(KERNEL_HIDDEN, 32, "hidden width of the GNO kernel MLPs"));
        p.add(ConfigParameter.integer(FnoSchemas.PROJECTION_CHANNELS, 64, "hidden channels of the pointwise projection"));
        return new ConfigSchema(p);
    }
}
