package org.opforge.operators.deeponet;

import static org.opforge.api.config.ConfigParameter.bool;
import static org.opforge.api.config.ConfigParameter.choice;
import static org.opforge.api.config.ConfigParameter.integer;
import static org.opforge.api.config.ConfigParameter.integers;
import static org.opforge.api.config.ConfigParameter.number;
import static org.opforge.api.config.ConfigParameter.string;

import java.util.ArrayList;
import java.util.List;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;
import org.opforge.training.SupervisedTrainer;

/**
 * The members of the DeepONet family, one factory each, and their configuration schemas.
 *
 * <p>Keys shared by all (OPERATORS.md): {@code data.input} ("u"), {@code data.target} ("s"),
 * {@code data.points} ("y"); {@code epochs} (10000; 30000 for deeponet and pi-deeponet),
 * {@code batch_size} (0 = all functions in every step), {@code lr} (1e-3), {@code weight_decay} (0),
 * {@code optimizer} (adam), {@code scheduler} (none; cosine for deeponet and pi-deeponet),
 * {@code normalize} (none | pointwise | channel: unit-Gaussian normalization of the input
 * sensor values and of the targets, fitted on the training set; predictions are decoded before the
 * loss). The architecture defaults are the PyTorch peer's (train_deeponet_torch.py): branch [m, 40, 40],
 * trunk [d, 40, 40], ReLU after every hidden layer and after the trunk's last layer, Glorot-normal
 * weights, zero biases, MSE, Adam 1e-3. The peer trains 10,000 constant-rate full-batch steps; the
 * deeponet factory trains 30,000 with a cosine decay instead, because the peer's recipe stops while the
 * loss is still falling and lands wherever Adam's late loss spikes leave it (README: seed table). The
 * physics-informed member defaults to tanh, 30,000 full-batch steps and a cosine decay.
 */
public enum Family {
    /** Unstacked or stacked DeepONet with optional multi-output strategies and Fourier trunk features. */
    DEEPONET("deeponet", "DeepONet (Lu et al. 2021): branch net on sensor values, trunk net on query points, G = b(u).t(y) + b0"),
    /** Trunk replaced by the POD modes of the training targets. */
    POD("pod-deeponet", "POD-DeepONet (Lu et al. 2022): branch net times the POD modes of the training outputs, plus their mean"),
    /** Several input functions, one branch each, Hadamard product. */
    MIONET("mionet", "MIONet (Jin, Meng, Lu 2022): one branch per input function, combined by Hadamard product, times the trunk"),
    /** Multi-task DeepONet with a geometry mask in the branch input and the loss. */
    MULTITASK("deeponet-multitask", "Multi-task DeepONet (Kumar et al. 2024): source term, geometry mask and task coefficients in one branch; masked output and loss"),
    /** Physics-informed DeepONet trained on a PDE residual without labelled outputs. */
    PHYSICS("pi-deeponet", "Physics-informed DeepONet (Wang, Wang, Perdikaris 2021): trained on the residual of ds/dx = u, s(x0) = s0 without labelled s");

    private final String factoryName;
    private final String description;

    Family(String factoryName, String description) {
        this.factoryName = factoryName;
        this.description = description;
    }

    public String factoryName() { return factoryName; }

    public String description() { return description; }

    /** The family member made by the factory called {@code name}. */
    public static Family of(String name) {
        for (Family f : values()) if (f.factoryName.equals(name)) return f;
        throw new IllegalArgumentException("not a DeepONet-family operator: '" + name + "'");
    }

    // ---- keys -----------------------------------------------------------------------------------
    public static final String SENSORS = "sensors", COORD_DIM = "coord_dim", OUTPUTS = "outputs", BRANCH_SENSORS = "branch_sensors",
            BRANCH_WIDTHS = "branch_widths", TRUNK_WIDTHS = "trunk_widths", ACTIVATION = "activation",
            TRUNK_LAST_ACTIVATION = "trunk_last_activation", INITIALIZER = "initializer", STACKED = "stacked",
            MULTI_OUTPUT = "multi_output", TRUNK_FEATURES = "trunk_features", FOURIER_FEATURES = "fourier_features",
            FOURIER_SCALE = "fourier_scale", MODES = "modes", TASK_FEATURES = "task_features", PHYSICS_KEY = "physics",
            BOUNDARY_POINT = "boundary_point", BOUNDARY_VALUE = "boundary_value", BOUNDARY_WEIGHT = "boundary_weight",
            DATA_WEIGHT = "data_weight", NORMALIZE = "normalize", EPOCHS = "epochs", BATCH_SIZE = "batch_size", LR = "lr",
            WEIGHT_DECAY = "weight_decay", OPTIMIZER = "optimizer", SCHEDULER = "scheduler", DATA_INPUT = "data.input",
            DATA_TARGET = "data.target", DATA_POINTS = "data.points", SOURCE = "source", CENTRES = "centres", RADIUS = "radius",
            QUADRATURE_GRID = "quadrature_grid";

    /** The schema of this member's factory. */
    public ConfigSchema schema() {
        List<ConfigParameter> p = new ArrayList<>();
        p.add(string(DATA_INPUT, "u", "data set field with the input functions at the sensors, (N, m)"));
        p.add(string(DATA_TARGET, "s", "data set field with the outputs at the query points, (N, P) or (N, P, c)"));
        p.add(string(DATA_POINTS, "y", "data set field with the query points, (P, d) shared or (N, P, d) per function"));
        switch (this) {
            case MIONET -> p.add(integers(BRANCH_SENSORS, List.of(), "sensor count of each input function, in the order they sit side by side in the input (required, e.g. 100,100)"));
            case MULTITASK -> p.add(integer(SENSORS, 0, "branch input length: source-term values + mask at the P points + task coefficients; 0 = from the training data"));
            default -> p.add(integer(SENSORS, 0, "sensor values per input function m; 0 = from the training data"));
        }
        if (this != POD) p.add(integer(COORD_DIM, 0, "coordinates per query point d; 0 = from the training data"));
        if (this == DEEPONET || this == MIONET) {
            p.add(integer(OUTPUTS, 0, "output components c; 0 = from the training data (targets (N, P) give 1)"));
            p.add(choice(MULTI_OUTPUT, "independent", "how c > 1 outputs are formed (DeepXDE): independent nets, or branch/trunk features split into c groups",
                    "independent", "split_both", "split_branch", "split_trunk"));
        }
        p.add(integers(BRANCH_WIDTHS, List.of(40, 40), this == POD
                ? "hidden layer sizes of the branch; its output layer has one unit per POD mode"
                : "branch layer sizes after the input; the last is the feature count p"));
        if (this != POD) {
            p.add(integers(TRUNK_WIDTHS, List.of(40, 40), "trunk layer sizes after the input; the last is the feature count p"));
            p.add(bool(TRUNK_LAST_ACTIVATION, true, "apply the activation after the trunk's last layer too (DeepXDE)"));
            p.add(choice(TRUNK_FEATURES, "none", "expansion of the trunk input: none, or random Fourier features [y, cos(2 pi yB), sin(2 pi yB)]", "none", "fourier"));
            p.add(integer(FOURIER_FEATURES, 16, "number of Fourier frequencies (columns of B) with trunk_features=fourier"));
            p.add(number(FOURIER_SCALE, 1.0, "standard deviation of the Fourier frequencies B ~ N(0, scale^2)"));
        }
        p.add(choice(ACTIVATION, this == PHYSICS ? "tanh" : "relu", "activation after every hidden layer", Mlp.ACTIVATIONS));
        p.add(choice(INITIALIZER, "glorot_normal", "weight initializer (biases start at zero except with torch_default)", Mlp.INITIALIZERS));
        if (this == DEEPONET) p.add(bool(STACKED, false, "stacked DeepONet: p branch nets with one output each instead of one net with p outputs"));
        if (this == POD) p.add(integer(MODES, 32, "number of POD modes K (at most the rank of the centered training targets)"));
        if (this == MULTITASK) p.add(integer(TASK_FEATURES, 0, "task coefficients q at the end of each input row (e.g. polynomial coefficients of the source-term family)"));
        if (this == PHYSICS) {
            p.add(choice(PHYSICS_KEY, "antiderivative", "governing equation: antiderivative = ds/dx = u(x), s(boundary_point) = boundary_value; "
                    + "darcy = -div(a grad u) = source on the unit square, u = 0 on its boundary (the input a on n x n nodes, the weak form "
                    + "of u alone with Wendland test functions, a penalty on the boundary nodes)", "antiderivative", "darcy"));
            p.add(number(BOUNDARY_POINT, 0.0, "antiderivative: x0 of the condition s(x0) = s0"));
            p.add(number(BOUNDARY_VALUE, 0.0, "antiderivative: s0 of the condition s(x0) = s0"));
            p.add(number(BOUNDARY_WEIGHT, 1.0, "weight of the boundary term in the loss"));
            p.add(number(SOURCE, 10.0, "darcy: constant right-hand side f"));
            p.add(integer(CENTRES, 400, "darcy: Wendland test functions (disk centres, Latin hypercube drawn once from the seed)"));
            p.add(number(RADIUS, 0.05, "darcy: support radius of the test functions (0.05 spans about three nodes of a 29 x 29 grid, "
                    + "so disks straddle the coefficient's jumps)"));
            p.add(integer(QUADRATURE_GRID, 7, "darcy: n of the n x n grid whose points inside the disk are the quadrature rule"));
            p.add(number(DATA_WEIGHT, 0.0, "weight of an MSE term on labelled targets; 0 = no labelled outputs are used"));
        }
        // physics-informed: measured on the antiderivative, 10,000 constant-rate steps stall at L2 ~1.6e-2; 30,000 with a cosine decay reach 4.9e-3
        // deeponet on the antiderivative, seeds 0-4, test L2: the peer's 10,000 constant-rate steps 0.0146 (0.0114-0.0184);
        // 30,000 with a cosine decay 0.0072 (0.0056-0.0088): the loss still falls at 10,000 steps, and the decay ends the late Adam spikes
        boolean long30k = this == PHYSICS || this == DEEPONET;
        p.add(integer(EPOCHS, long30k ? 30000 : 10000, "passes over the training functions; with the full batch one epoch is one Adam step"));
        p.add(integer(BATCH_SIZE, 0, "functions per step (each with all its points); 0 = all (full batch)"));
        p.add(number(LR, 1e-3, "learning rate"));
        p.add(number(WEIGHT_DECAY, 0.0, "weight decay"));
        p.add(choice(OPTIMIZER, "adam", "optimizer", "adam", "adamw", "sgd"));
        p.add(string(SCHEDULER, long30k ? "cosine" : "none", "learning-rate schedule stepped once per epoch: none, cosine, onecycle or step:STEP:GAMMA"));
        p.add(choice(NORMALIZE, "none", "unit-Gaussian normalization of inputs and targets (pointwise: per sensor/point; channel: one scalar)",
                "none", "pointwise", "channel"));
        p.addAll(SupervisedTrainer.configParameters());
        return new ConfigSchema(p);
    }
}
