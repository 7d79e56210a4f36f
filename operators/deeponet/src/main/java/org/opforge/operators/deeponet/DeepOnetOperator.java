package org.opforge.operators.deeponet;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opforge.api.TrainableWithLabels;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.loss.Loss;
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.TrainingState;
import org.opforge.training.UnitGaussianNormalizer;
import org.opforge.training.physics.DarcyWeakResidual;
import org.opforge.training.physics.Residual;
import org.opforge.training.physics.WendlandQuadrature;

/**
 * A DeepONet-family operator: the network ({@link DeepOnet} or {@link PodDeepOnet}), the
 * normalizers, the training points and the optimizer state, trained with the shared
 * {@link SupervisedTrainer} loop.
 *
 * <p><b>Data</b> ({@link TrainingData}): inputs {@code u (N, m)} (sensor values; MIONet: the input
 * functions side by side; multi-task: {@code [source values | mask at the P points | q task coefficients]}),
 * points {@code (P, d)} shared by all functions (Cartesian-product form, one GEMM per step) or
 * {@code (N, P, d)} per function, or {@code (N, d)} with targets {@code (N)} (scattered pairs);
 * targets {@code (N, P)} or {@code (N, P, c)}. The physics-informed member reads targets only when
 * {@code data_weight > 0}; otherwise they may be anything with N samples.
 *
 * <p><b>Sizes</b> {@code sensors}, {@code coord_dim}, {@code outputs} given as 0 are taken from the first
 * training data; the weights are then drawn from the seed given at creation. The checkpoint stores
 * the resolved sizes.
 *
 * <p><b>Training</b>: each {@link #train} call runs {@code config.epochs()} more epochs, continuing the
 * optimizer state of an earlier call or of the loaded checkpoint. A batch holds whole functions
 * (all their points). Known {@link TrainingConfig#options()}: {@code scheduler} and those of the
 * shared loop ({@link SupervisedTrainer#OPTIONS}). With a {@link LabelSource} (e.g. online
 * Walk-on-Spheres labels) the targets of each epoch come from it, and a target normalizer is fitted on
 * its first epoch's targets, not on {@code data.targets()}, which then only fixes the shape.
 */
public final class DeepOnetOperator implements TrainableWithLabels {
    private static final Set<String> OPTIONS = Set.of(Family.SCHEDULER);

    private final Family family;
    private final TrainingState state;
    private Module net;
    private Tensor points;

    DeepOnetOperator(Family family, TrainingState state) {
        this.family = family;
        this.state = state;
        if (sizesKnown()) build(null);
    }

    /** A new untrained operator of {@code family} with the given configuration (absent keys at their defaults). */
    public static DeepOnetOperator create(Family family, Map<String, ?> config, long seed) {
        return new DeepOnetOperator(family, new TrainingState(family.factoryName(), family.schema().resolve(config), seed));
    }

    @Override public String name() { return family.factoryName(); }

    public Family family() { return family; }

    /** The resolved configuration (sizes filled in once known). */
    public Config config() { return state.config(); }

    /** The network, or empty before its sizes are known. */
    public Optional<Module> network() { return Optional.ofNullable(net); }

    /** The points {@link #apply(Tensor)} evaluates at: those of the last training data, if any. */
    public Optional<Tensor> defaultPoints() { return Optional.ofNullable(points); }

    /** Epochs trained so far. */
    public int epoch() { return state.epoch(); }

    @Override public boolean supportsPointQueries() { return true; }

    @Override public long parameterCount() {
        return net == null ? 0 : net.parameterCount();
    }

    /**
     * The {@link TrainingConfig} the configuration's training keys describe ({@code batch_size} 0 = all
     * functions), with {@code seed} for the batch order.
     */
    public TrainingConfig trainingConfig(long trainingSeed) {
        int batch = config().getInt(Family.BATCH_SIZE);
        return new TrainingConfig(config().getInt(Family.EPOCHS), batch <= 0 ? Integer.MAX_VALUE : batch, config().getDouble(Family.LR),
                config().getDouble(Family.WEIGHT_DECAY), config().getString(Family.OPTIMIZER), Device.CPU, trainingSeed,
                Map.of(Family.SCHEDULER, config().getString(Family.SCHEDULER)));
    }

    // ============================================================================================
    // building
    // ============================================================================================

    private boolean sizesKnown() {
        return switch (family) {
            case POD -> false;
            case MIONET -> config().getInt(Family.COORD_DIM) > 0 && config().getInt(Family.OUTPUTS) > 0;
            case DEEPONET -> config().getInt(Family.SENSORS) > 0 && config().getInt(Family.COORD_DIM) > 0 && config().getInt(Family.OUTPUTS) > 0;
            default -> config().getInt(Family.SENSORS) > 0 && config().getInt(Family.COORD_DIM) > 0;
        };
    }

    private void setConfig(String key, Object value) {
        Map<String, Object> v = new LinkedHashMap<>(config().values());
        v.put(key, value);
        state.setConfig(family.schema().resolve(v));
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Builds the network; POD needs the modes ({@code pod} = targets and points), the others nothing. */
    private void build(Tensor[] pod) {
        if (family == Family.POD) {
            PodDeepOnet.Modes modes = PodDeepOnet.modes(pod[0], config().getInt(Family.MODES));
            setConfig(Family.MODES, modes.basis().size(1));
            net = new PodDeepOnet(config().getInt(Family.SENSORS), ints(config().getIntList(Family.BRANCH_WIDTHS)), config().getString(Family.ACTIVATION),
                    config().getString(Family.INITIALIZER), modes.basis(), modes.mean(), pod[1], state.rng());
            return;
        }
        net = new DeepOnet(spec(), state.rng());
    }

    private DeepOnet.Spec spec() {
        int[] sensors;
        if (family == Family.MIONET) {
            sensors = ints(config().getIntList(Family.BRANCH_SENSORS));
            if (sensors.length == 0) throw new IllegalArgumentException("mionet: branch_sensors must list the sensor count of each input function (e.g. 100,100)");
        } else {
            sensors = new int[] {config().getInt(Family.SENSORS)};
        }
        boolean multi = family == Family.DEEPONET || family == Family.MIONET;
        int outputs = multi ? config().getInt(Family.OUTPUTS) : 1;
        DeepOnet.Strategy strategy = outputs > 1 ? DeepOnet.Strategy.parse(config().getString(Family.MULTI_OUTPUT)) : DeepOnet.Strategy.SINGLE;
        boolean fourier = config().getString(Family.TRUNK_FEATURES).equals("fourier");
        return new DeepOnet.Spec(sensors, config().getInt(Family.COORD_DIM), outputs, ints(config().getIntList(Family.BRANCH_WIDTHS)),
                ints(config().getIntList(Family.TRUNK_WIDTHS)), config().getString(Family.ACTIVATION), config().getBoolean(Family.TRUNK_LAST_ACTIVATION),
                family == Family.DEEPONET && config().getBoolean(Family.STACKED), strategy, config().getString(Family.INITIALIZER),
                fourier ? config().getInt(Family.FOURIER_FEATURES) : 0, config().getDouble(Family.FOURIER_SCALE));
    }

    /** Fills sizes given as 0 from the data and builds the network on first use. */
    private void inferAndBuild(Layout layout, Tensor u, Tensor pts, Tensor s) {
        if (net != null) return;
        int m = u.size(1);
        int d = pts.size(pts.dim() - 1);
        if (family != Family.MIONET && config().getInt(Family.SENSORS) == 0) setConfig(Family.SENSORS, m);
        if (family != Family.POD && config().getInt(Family.COORD_DIM) == 0) setConfig(Family.COORD_DIM, d);
        if ((family == Family.DEEPONET || family == Family.MIONET) && config().getInt(Family.OUTPUTS) == 0) {
            int c = s.dim() == layout.targetRank() ? 1 : s.size(s.dim() - 1);
            setConfig(Family.OUTPUTS, c);
        }
        if (family == Family.POD) {
            if (layout != Layout.CARTESIAN || s.dim() != 2) {
                throw new IllegalArgumentException("pod-deeponet: needs targets (N, P) on points (P, d) shared by all functions; found targets "
                        + Arrays.toString(s.shape()) + " and points " + Arrays.toString(pts.shape()));
            }
            build(new Tensor[] {s, pts});
        } else {
            build(null);
        }
    }

    // ============================================================================================
    // layouts and evaluation
    // ============================================================================================

    /** How points are given. */
    enum Layout {
        /** points (P, d) shared, targets (N, P[, c]). */
        CARTESIAN(2),
        /** points (N, P, d), targets (N, P[, c]). */
        PER_SAMPLE(2),
        /** points (N, d), targets (N[, c]): one point per function. */
        PAIRS(1);

        private final int targetRank;

        Layout(int targetRank) { this.targetRank = targetRank; }

        /** Rank of a single-output target. */
        int targetRank() { return targetRank; }
    }

    private static Layout layoutOf(Tensor u, Tensor pts, Tensor s) {
        if (pts.dim() == 3) return Layout.PER_SAMPLE;
        if (pts.dim() != 2) throw new IllegalArgumentException("deeponet: points must be (P, d), (N, P, d) or (N, d); found " + Arrays.toString(pts.shape()));
        if (s != null && s.dim() >= 1 && pts.size(0) == u.size(0) && (s.dim() == 1 || (s.dim() == 2 && s.size(1) != pts.size(0)))) return Layout.PAIRS;
        return Layout.CARTESIAN;
    }

    /** Raw network output at the points for the layout (graph recorded when enabled). */
    private Tensor forward(Layout layout, Tensor u, Tensor pts) {
        checkInput(u);
        Tensor x = state.encodeInput(u);
        Tensor g;
        if (net instanceof PodDeepOnet pod) {
            if (layout != Layout.CARTESIAN) throw new IllegalArgumentException("pod-deeponet: evaluates only at its training points (P, d), found points " + Arrays.toString(pts.shape()));
            g = pod.cartesian(x, pts);
        } else {
            DeepOnet d = (DeepOnet) net;
            g = switch (layout) {
                case CARTESIAN -> d.cartesian(x, pts);
                case PER_SAMPLE -> d.perSample(x, pts);
                case PAIRS -> d.pairs(x, pts);
            };
        }
        g = state.decodeTarget(g);
        if (family == Family.MULTITASK) g = g.mul(mask(u, layout == Layout.CARTESIAN ? pts.size(0) : -1));
        return g;
    }

    private void checkInput(Tensor u) {
        if (u.dim() != 2) throw new IllegalArgumentException(name() + ": inputs must be (N, m) sensor values, found shape " + Arrays.toString(u.shape()));
        int expected = family == Family.MIONET ? ((DeepOnet) net).spec().sensors() : config().getInt(Family.SENSORS);
        if (u.size(1) != expected) {
            throw new IllegalArgumentException(name() + ": the input has " + u.size(1) + " sensor values per sample (shape " + Arrays.toString(u.shape())
                    + "), the model expects " + expected + (family == Family.MIONET ? " (sum of branch_sensors " + config().getIntList(Family.BRANCH_SENSORS) + ")" : " (sensors)"));
        }
    }

    /** The multi-task geometry mask at the P query points: columns {@code [m - q - P, m - q)} of the input. */
    private Tensor mask(Tensor u, int p) {
        if (p < 0) throw new IllegalArgumentException("deeponet-multitask: the mask is given at the shared query points; points must be (P, d)");
        int q = config().getInt(Family.TASK_FEATURES), m = u.size(1);
        if (m - q - p < 1) {
            throw new IllegalArgumentException("deeponet-multitask: an input row of " + m + " values cannot hold source values, a mask at " + p
                    + " points and " + q + " task coefficients");
        }
        return u.slice(1, m - q - p, m - q);
    }

    @Override
    public Tensor apply(Tensor input) {
        if (points == null) {
            throw new IllegalStateException(name() + ": no default query points (train it or load a trained checkpoint, or call apply(input, points))");
        }
        return apply(input, points);
    }

    @Override
    public Tensor apply(Tensor input, Tensor queryPoints) {
        if (net == null) {
            throw new IllegalStateException(name() + ": the sizes are taken from the training data and the model has not been trained; "
                    + "train it first or set sensors and coord_dim");
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            net.train(false);
            Tensor pts = queryPoints.to(input.dtype());
            Layout layout = pts.dim() == 3 ? Layout.PER_SAMPLE : Layout.CARTESIAN;
            return forward(layout, input, pts);
        }
    }

    /** One point per function: {@code u (B, m)}, {@code y (B, d)} to {@code (B)} or {@code (B, c)}. */
    public Tensor applyPairs(Tensor input, Tensor pairPoints) {
        if (net == null) throw new IllegalStateException(name() + ": the model has not been built (train it first or set sensors and coord_dim)");
        try (GradMode.Scope s = GradMode.noGrad()) {
            return forward(Layout.PAIRS, input, pairPoints);
        }
    }

    // ============================================================================================
    // training
    // ============================================================================================

    @Override
    public TrainingResult train(TrainingData data, TrainingConfig cfg, ProgressListener listener) {
        return train(data, null, cfg, listener);
    }

    @Override
    public TrainingResult train(TrainingData data, LabelSource labels, TrainingConfig cfg, ProgressListener listener) {
        state.checkOptions(cfg, OPTIONS);
        data.refuseMask(name());
        Tensor u = data.inputs(), s = data.targets();
        Tensor pts = data.points().orElse(points);
        if (pts == null) throw new IllegalArgumentException(name() + ": training data needs query points (TrainingData.points)");
        pts = pts.to(u.dtype());
        Layout layout = layoutOf(u, pts, s);
        if (u.dim() != 2) throw new IllegalArgumentException(name() + ": inputs must be (N, m) sensor values, found shape " + Arrays.toString(u.shape()));
        if (family == Family.POD || family == Family.MULTITASK || family == Family.PHYSICS) {
            if (layout != Layout.CARTESIAN) {
                throw new IllegalArgumentException(name() + ": needs query points (P, d) shared by all functions, found " + Arrays.toString(pts.shape()));
            }
        }
        boolean usesTargets = family != Family.PHYSICS || config().getDouble(Family.DATA_WEIGHT) > 0;
        if (labels != null && !usesTargets) {
            throw new IllegalArgumentException(name() + ": a label source makes no sense without a data term (" + Family.DATA_WEIGHT + " = 0)");
        }
        inferAndBuild(layout, u, pts, s);
        checkInput(u);
        if (usesTargets) checkTargets(layout, u, pts, s);
        // with a label source the true targets may be unknown (or must not leak): fit on the labels
        Tensor first = labels == null ? s : labels.targets(state.epoch() + 1);
        fitNormalizers(layout, u, first.dim() > 0 && first.size(0) > u.size(0) ? first.slice(0, 0, u.size(0)) : first, usesTargets);
        points = layout == Layout.CARTESIAN ? pts.detach() : points;

        net.to(cfg.device());
        Tensor dPts = pts.to(cfg.device());
        Layout lay = layout;
        int m = u.size(1);
        int pointCols = layout == Layout.CARTESIAN ? 0 : (int) (pts.numel() / pts.size(0));
        // the shared loop indexes inputs by function: per-function points travel inside the input rows
        Tensor packed = pointCols == 0 ? u : Tensor.cat(1, u, pts.reshape(u.size(0), pointCols));
        int[] ptShape = layout == Layout.PER_SAMPLE ? new int[] {-1, pts.size(1), pts.size(2)} : new int[] {-1, pts.size(pts.dim() - 1)};
        PhysicsLoss physics = family == Family.PHYSICS ? physics() : null;
        double dataWeight = family == Family.PHYSICS ? config().getDouble(Family.DATA_WEIGHT) : 1;

        SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor x) {
                Tensor uu = pointCols == 0 ? x : x.slice(1, 0, m);
                Tensor pp = pointCols == 0 ? dPts : x.slice(1, m, m + pointCols).reshape(ptShape);
                if (physics != null) {
                    // derivatives need the graph even when the loop evaluates without one
                    try (GradMode.Scope g = GradMode.enableGrad()) {
                        Tensor r = physics.residuals((DeepOnet) net, state.encodeInput(uu), uu, pp);
                        return dataWeight > 0 ? Tensor.cat(1, r, forward(lay, uu, pp)) : r;
                    }
                }
                Tensor g = forward(lay, uu, pp);
                return family == Family.MULTITASK ? Tensor.cat(1, g, mask(uu, pp.size(0))) : g;
            }

            @Override public void train(boolean on) { net.train(on); }
        };
        Loss loss = loss(physics, dataWeight, pts.size(0));
        Tensor targets = usesTargets ? s : Tensor.zeros(DType.FLOAT32, Device.CPU, u.size(0), 1);
        TrainingData packedData = TrainingData.of(packed, targets);
        if (data.validation().isPresent() && usesTargets) {
            TrainingData v = data.validation().get();
            Tensor vp = v.points().orElse(pts).to(u.dtype());
            Tensor vPacked = pointCols == 0 ? v.inputs() : Tensor.cat(1, v.inputs(), vp.reshape(v.inputs().size(0), pointCols));
            packedData = packedData.withValidation(TrainingData.of(vPacked, v.targets()));
        }
        return state.fit(model, net.namedParameters(), packedData, labels, cfg, loss, cfg.options().getOrDefault(Family.SCHEDULER, "none"), listener);
    }

    private PhysicsLoss physics() {
        Config c = config();
        return switch (c.getString(Family.PHYSICS_KEY)) {
            case "antiderivative" -> new Antiderivative(c.getDouble(Family.BOUNDARY_POINT), c.getDouble(Family.BOUNDARY_VALUE), c.getDouble(Family.BOUNDARY_WEIGHT));
            case "darcy" -> {
                // the problem's residual (shared with DGNO); its points are drawn once from the seed
                Residual r = new DarcyWeakResidual(new WendlandQuadrature(c.getInt(Family.QUADRATURE_GRID)), c.getDouble(Family.RADIUS),
                        c.getInt(Family.CENTRES), c.getDouble(Family.SOURCE), DarcyWeakResidual.Form.PRIMAL);
                yield new ResidualPhysics(r, r.samplePoints(new Rng(state.seed()).fork(COLLOCATION_STREAM), DType.FLOAT32), c.getDouble(Family.BOUNDARY_WEIGHT));
            }
            default -> throw new IllegalArgumentException("pi-deeponet: unknown physics '" + c.getString(Family.PHYSICS_KEY) + "'");
        };
    }

    /** Stream of {@code Rng(seed)} the fixed collocation points are drawn from. */
    private static final long COLLOCATION_STREAM = 0x636f6c6cL;

    private Loss loss(PhysicsLoss physics, double dataWeight, int p) {
        if (physics != null) {
            if (dataWeight <= 0) return (pred, target) -> physics.reduce(pred);
            return (pred, target) -> {
                int k = pred.size(1) - target.size(1);
                Tensor phys = physics.reduce(pred.slice(1, 0, k));
                return phys.add(pred.slice(1, k, pred.size(1)).sub(target).square().mean().mul(dataWeight));
            };
        }
        if (family == Family.MULTITASK) {
            // mean squared error over the points inside each geometry: sum(mask (G - s)^2) / sum(mask)
            return (pred, target) -> {
                Tensor g = pred.slice(1, 0, p), mask = pred.slice(1, p, 2 * p).detach();
                return g.sub(target.mul(mask)).square().sum().div(Math.max(1.0, mask.sum().item()));
            };
        }
        return new MSELoss();
    }

    private void checkTargets(Layout layout, Tensor u, Tensor pts, Tensor s) {
        int c = net instanceof DeepOnet d ? d.spec().outputs() : 1;
        int[] expected = switch (layout) {
            case CARTESIAN -> c == 1 ? new int[] {u.size(0), pts.size(0)} : new int[] {u.size(0), pts.size(0), c};
            case PER_SAMPLE -> c == 1 ? new int[] {u.size(0), pts.size(1)} : new int[] {u.size(0), pts.size(1), c};
            case PAIRS -> c == 1 ? new int[] {u.size(0)} : new int[] {u.size(0), c};
        };
        if (!Arrays.equals(s.shape(), expected)) {
            throw new IllegalArgumentException(name() + ": targets of shape " + Arrays.toString(s.shape()) + " do not fit inputs " + Arrays.toString(u.shape())
                    + " and points " + Arrays.toString(pts.shape()) + " with " + c + " output(s): expected " + Arrays.toString(expected));
        }
    }

    private void fitNormalizers(Layout layout, Tensor u, Tensor s, boolean usesTargets) {
        String mode = config().getString(Family.NORMALIZE);
        boolean targets = usesTargets && family != Family.PHYSICS;   // the residual is written for the raw output
        if (targets && layout != Layout.CARTESIAN && TrainingState.normalizerMode(mode) == UnitGaussianNormalizer.Mode.POINTWISE) {
            throw new IllegalArgumentException(name() + ": pointwise normalization of targets needs points shared by all functions; use normalize=channel");
        }
        state.fitNormalizers(mode, u, targets ? (s.dim() == 1 ? s.reshape(-1, 1) : s) : null);
    }

    // ============================================================================================
    // checkpoints
    // ============================================================================================

    @Override
    public Checkpoint toCheckpoint() {
        if (net == null) throw new IllegalStateException(name() + ": nothing to save before the model is built (train it or set its sizes)");
        return state.toCheckpoint(net.stateDict(), points == null ? Map.of() : Map.of("data/points", points));
    }

    /** Rebuilds a saved operator of {@code family}: same predictions, training resumable. */
    static DeepOnetOperator load(Family family, Checkpoint ck) {
        DeepOnetOperator o = new DeepOnetOperator(family, TrainingState.restore(ck, family.factoryName(), family.schema()));
        Config config = o.config();
        Map<String, Tensor> model = ck.group("model");
        if (o.net == null) {
            if (family != Family.POD) throw new IllegalArgumentException(family.factoryName() + ": checkpoint config lacks the model sizes: " + config.values());
            o.net = new PodDeepOnet(config.getInt(Family.SENSORS), ints(config.getIntList(Family.BRANCH_WIDTHS)), config.getString(Family.ACTIVATION),
                    config.getString(Family.INITIALIZER), ck.tensor("model/pod_basis"), ck.tensor("model/pod_mean"), ck.tensor("model/pod_points"), o.state.rng());
        }
        o.net.loadStateDict(model);
        o.net.train(false);
        if (ck.tensors().containsKey("data/points")) o.points = ck.tensor("data/points");
        return o;
    }

    @Override
    public String toString() {
        return name() + "(" + config().values() + ")";
    }
}
