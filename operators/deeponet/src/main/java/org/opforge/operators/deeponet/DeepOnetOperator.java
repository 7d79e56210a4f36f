package org.opforge.operators.deeponet;

import org.opforge.api.config.FlatJson;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opforge.api.NeuralOperator;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.Config;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;
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
import org.opforge.tensor.nn.optim.LRScheduler;
import org.opforge.tensor.nn.optim.Optimizer;
import org.opforge.training.Optimizers;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.UnitGaussianNormalizer;

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
 * (all their points). Known {@link TrainingConfig#options()}: {@code scheduler},
 * {@value SupervisedTrainer#TIME_BUDGET}.
 */
public final class DeepOnetOperator implements TrainableOperator {
    private static final Set<String> OPTIONS = Set.of(Family.SCHEDULER, SupervisedTrainer.TIME_BUDGET);

    private final Family family;
    private final ConfigSchema schema;
    private Config config;
    private final long seed;
    private final Rng rng;
    private Module net;
    private UnitGaussianNormalizer inputNorm;
    private UnitGaussianNormalizer targetNorm;
    private Tensor points;
    private Optimizer optimizer;
    private String optimizerName;
    private Map<String, Tensor> pendingOptimizerState;
    private String savedOptimizerName;
    private int epoch;
    private final Map<String, Object> metrics = new LinkedHashMap<>();

    DeepOnetOperator(Family family, Config config, long seed) {
        this.family = family;
        this.schema = family.schema();
        this.config = config;
        this.seed = seed;
        this.rng = new Rng(seed);
        if (sizesKnown()) build(null);
    }

    /** A new untrained operator of {@code family} with the given configuration (absent keys at their defaults). */
    public static DeepOnetOperator create(Family family, Map<String, ?> config, long seed) {
        return new DeepOnetOperator(family, family.schema().resolve(config), seed);
    }

    @Override public String name() { return family.factoryName(); }

    public Family family() { return family; }

    /** The resolved configuration (sizes filled in once known). */
    public Config config() { return config; }

    /** The network, or empty before its sizes are known. */
    public Optional<Module> network() { return Optional.ofNullable(net); }

    /** The points {@link #apply(Tensor)} evaluates at: those of the last training data, if any. */
    public Optional<Tensor> defaultPoints() { return Optional.ofNullable(points); }

    /** Epochs trained so far. */
    public int epoch() { return epoch; }

    @Override public boolean supportsPointQueries() { return true; }

    @Override public long parameterCount() {
        return net == null ? 0 : net.parameterCount();
    }

    /**
     * The {@link TrainingConfig} the configuration's training keys describe ({@code batch_size} 0 = all
     * functions), with {@code seed} for the batch order.
     */
    public TrainingConfig trainingConfig(long trainingSeed) {
        int batch = config.getInt(Family.BATCH_SIZE);
        return new TrainingConfig(config.getInt(Family.EPOCHS), batch <= 0 ? Integer.MAX_VALUE : batch, config.getDouble(Family.LR),
                config.getDouble(Family.WEIGHT_DECAY), config.getString(Family.OPTIMIZER), Device.CPU, trainingSeed,
                Map.of(Family.SCHEDULER, config.getString(Family.SCHEDULER)));
    }

    // ============================================================================================
    // building
    // ============================================================================================

    private boolean sizesKnown() {
        return switch (family) {
            case POD -> false;
            case MIONET -> config.getInt(Family.COORD_DIM) > 0 && config.getInt(Family.OUTPUTS) > 0;
            case DEEPONET -> config.getInt(Family.SENSORS) > 0 && config.getInt(Family.COORD_DIM) > 0 && config.getInt(Family.OUTPUTS) > 0;
            default -> config.getInt(Family.SENSORS) > 0 && config.getInt(Family.COORD_DIM) > 0;
        };
    }

    private void setConfig(String key, Object value) {
        Map<String, Object> v = new LinkedHashMap<>(config.values());
        v.put(key, value);
        config = schema.resolve(v);
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Builds the network; POD needs the modes ({@code pod} = targets and points), the others nothing. */
    private void build(Tensor[] pod) {
        if (family == Family.POD) {
            PodDeepOnet.Modes modes = PodDeepOnet.modes(pod[0], config.getInt(Family.MODES));
            setConfig(Family.MODES, modes.basis().size(1));
            net = new PodDeepOnet(config.getInt(Family.SENSORS), ints(config.getIntList(Family.BRANCH_WIDTHS)), config.getString(Family.ACTIVATION),
                    config.getString(Family.INITIALIZER), modes.basis(), modes.mean(), pod[1], rng);
            return;
        }
        net = new DeepOnet(spec(), rng);
    }

    private DeepOnet.Spec spec() {
        int[] sensors;
        if (family == Family.MIONET) {
            sensors = ints(config.getIntList(Family.BRANCH_SENSORS));
            if (sensors.length == 0) throw new IllegalArgumentException("mionet: branch_sensors must list the sensor count of each input function (e.g. 100,100)");
        } else {
            sensors = new int[] {config.getInt(Family.SENSORS)};
        }
        boolean multi = family == Family.DEEPONET || family == Family.MIONET;
        int outputs = multi ? config.getInt(Family.OUTPUTS) : 1;
        DeepOnet.Strategy strategy = outputs > 1 ? DeepOnet.Strategy.parse(config.getString(Family.MULTI_OUTPUT)) : DeepOnet.Strategy.SINGLE;
        boolean fourier = config.getString(Family.TRUNK_FEATURES).equals("fourier");
        return new DeepOnet.Spec(sensors, config.getInt(Family.COORD_DIM), outputs, ints(config.getIntList(Family.BRANCH_WIDTHS)),
                ints(config.getIntList(Family.TRUNK_WIDTHS)), config.getString(Family.ACTIVATION), config.getBoolean(Family.TRUNK_LAST_ACTIVATION),
                family == Family.DEEPONET && config.getBoolean(Family.STACKED), strategy, config.getString(Family.INITIALIZER),
                fourier ? config.getInt(Family.FOURIER_FEATURES) : 0, config.getDouble(Family.FOURIER_SCALE));
    }

    /** Fills sizes given as 0 from the data and builds the network on first use. */
    private void inferAndBuild(Layout layout, Tensor u, Tensor pts, Tensor s) {
        if (net != null) return;
        int m = u.size(1);
        int d = pts.size(pts.dim() - 1);
        if (family != Family.MIONET && config.getInt(Family.SENSORS) == 0) setConfig(Family.SENSORS, m);
        if (family != Family.POD && config.getInt(Family.COORD_DIM) == 0) setConfig(Family.COORD_DIM, d);
        if ((family == Family.DEEPONET || family == Family.MIONET) && config.getInt(Family.OUTPUTS) == 0) {
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

    private Tensor encodeInput(Tensor u) {
        return inputNorm == null ? u : inputNorm.encode(u);
    }

    private Tensor decodeTarget(Tensor g) {
        return targetNorm == null ? g : targetNorm.decode(g);
    }

    /** Raw network output at the points for the layout (graph recorded when enabled). */
    private Tensor forward(Layout layout, Tensor u, Tensor pts) {
        checkInput(u);
        Tensor x = encodeInput(u);
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
        g = decodeTarget(g);
        if (family == Family.MULTITASK) g = g.mul(mask(u, layout == Layout.CARTESIAN ? pts.size(0) : -1));
        return g;
    }

    private void checkInput(Tensor u) {
        if (u.dim() != 2) throw new IllegalArgumentException(name() + ": inputs must be (N, m) sensor values, found shape " + Arrays.toString(u.shape()));
        int expected = family == Family.MIONET ? ((DeepOnet) net).spec().sensors() : config.getInt(Family.SENSORS);
        if (u.size(1) != expected) {
            throw new IllegalArgumentException(name() + ": the input has " + u.size(1) + " sensor values per sample (shape " + Arrays.toString(u.shape())
                    + "), the model expects " + expected + (family == Family.MIONET ? " (sum of branch_sensors " + config.getIntList(Family.BRANCH_SENSORS) + ")" : " (sensors)"));
        }
    }

    /** The multi-task geometry mask at the P query points: columns {@code [m - q - P, m - q)} of the input. */
    private Tensor mask(Tensor u, int p) {
        if (p < 0) throw new IllegalArgumentException("deeponet-multitask: the mask is given at the shared query points; points must be (P, d)");
        int q = config.getInt(Family.TASK_FEATURES), m = u.size(1);
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
        for (String k : cfg.options().keySet()) {
            if (!OPTIONS.contains(k)) throw new IllegalArgumentException(name() + ": unknown training option '" + k + "'; known: " + OPTIONS);
        }
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
        boolean usesTargets = family != Family.PHYSICS || config.getDouble(Family.DATA_WEIGHT) > 0;
        inferAndBuild(layout, u, pts, s);
        checkInput(u);
        if (usesTargets) checkTargets(layout, u, pts, s);
        fitNormalizers(layout, u, s, usesTargets);
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
        double dataWeight = family == Family.PHYSICS ? config.getDouble(Family.DATA_WEIGHT) : 1;

        SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor x) {
                Tensor uu = pointCols == 0 ? x : x.slice(1, 0, m);
                Tensor pp = pointCols == 0 ? dPts : x.slice(1, m, m + pointCols).reshape(ptShape);
                if (physics != null) {
                    // derivatives need the graph even when the loop evaluates without one
                    try (GradMode.Scope g = GradMode.enableGrad()) {
                        Tensor r = physics.residuals((DeepOnet) net, encodeInput(uu), uu, pp);
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

        if (optimizer == null || !cfg.optimizer().equals(optimizerName)) {
            optimizer = Optimizers.create(cfg.optimizer(), net.namedParameters(), cfg.learningRate(), cfg.weightDecay());
            optimizerName = cfg.optimizer();
            // a loaded checkpoint resumes its optimizer's moments when the same optimizer continues
            if (pendingOptimizerState != null && cfg.optimizer().equals(savedOptimizerName)) optimizer.loadStateDict(pendingOptimizerState);
            pendingOptimizerState = null;
        }
        optimizer.setLr(cfg.learningRate());
        LRScheduler schedule = Optimizers.schedule(cfg.options().getOrDefault(Family.SCHEDULER, "none"), optimizer, cfg.epochs());
        int first = epoch + 1;
        TrainingResult result = SupervisedTrainer.fit(model, packedData, cfg.withEpochs(epoch + cfg.epochs()), loss, optimizer, schedule, first, listener);
        epoch += cfg.epochs();
        metrics.put("train_loss", result.finalTrainLoss());
        if (!Double.isNaN(result.finalValidationLoss())) metrics.put("validation_loss", result.finalValidationLoss());
        metrics.put("train_seconds", result.seconds());
        net.train(false);
        return result;
    }

    private PhysicsLoss physics() {
        if (!config.getString(Family.PHYSICS_KEY).equals("antiderivative")) {
            throw new IllegalArgumentException("pi-deeponet: unknown physics '" + config.getString(Family.PHYSICS_KEY) + "'");
        }
        return new Antiderivative(config.getDouble(Family.BOUNDARY_POINT), config.getDouble(Family.BOUNDARY_VALUE), config.getDouble(Family.BOUNDARY_WEIGHT));
    }

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
        String mode = config.getString(Family.NORMALIZE);
        if (mode.equals("none") || inputNorm != null) return;
        UnitGaussianNormalizer.Mode m = mode.equals("pointwise") ? UnitGaussianNormalizer.Mode.POINTWISE : UnitGaussianNormalizer.Mode.CHANNEL;
        inputNorm = UnitGaussianNormalizer.fit(u, m);
        if (!usesTargets || family == Family.PHYSICS) return;   // the residual is written for the raw output
        if (m == UnitGaussianNormalizer.Mode.POINTWISE && layout != Layout.CARTESIAN) {
            throw new IllegalArgumentException(name() + ": pointwise normalization of targets needs points shared by all functions; use normalize=channel");
        }
        targetNorm = UnitGaussianNormalizer.fit(s.dim() == 1 ? s.reshape(-1, 1) : s, m);
    }

    // ============================================================================================
    // checkpoints
    // ============================================================================================

    @Override
    public Checkpoint toCheckpoint() {
        if (net == null) throw new IllegalStateException(name() + ": nothing to save before the model is built (train it or set its sizes)");
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put(OPERATOR_ATTRIBUTE, name());
        attrs.put("config", FlatJson.write(config.values()));
        attrs.put("epoch", Integer.toString(epoch));
        attrs.put("seed", Long.toString(seed));
        attrs.put("rng_counter", Long.toString(rng.counter()));
        attrs.put("metrics", FlatJson.write(metrics));
        if (optimizerName != null) attrs.put("optimizer_name", optimizerName);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> tensors.put("model/" + k, v.to(Device.CPU)));
        if (inputNorm != null) inputNorm.toTensors().forEach((k, v) -> tensors.put("normalizer/input/" + k, v));
        if (targetNorm != null) targetNorm.toTensors().forEach((k, v) -> tensors.put("normalizer/target/" + k, v));
        if (points != null) tensors.put("data/points", points.to(Device.CPU));
        if (optimizer != null) optimizer.stateDict().forEach((k, v) -> tensors.put("optimizer/" + k, v.to(Device.CPU)));
        return new Checkpoint(attrs, tensors);
    }

    /** Rebuilds a saved operator of {@code family}: same predictions, training resumable. */
    static DeepOnetOperator load(Family family, Checkpoint ck) {
        String op = ck.attribute(OPERATOR_ATTRIBUTE);
        if (!op.equals(family.factoryName())) {
            throw new IllegalArgumentException("checkpoint of operator '" + op + "' given to the '" + family.factoryName() + "' factory");
        }
        Config config = family.schema().resolve(FlatJson.read(ck.attribute("config")));
        long seed = Long.parseLong(ck.attribute("seed"));
        DeepOnetOperator o = new DeepOnetOperator(family, config, seed);
        Map<String, Tensor> model = ck.group("model");
        if (o.net == null) {
            if (family != Family.POD) throw new IllegalArgumentException(family.factoryName() + ": checkpoint config lacks the model sizes: " + config.values());
            o.net = new PodDeepOnet(config.getInt(Family.SENSORS), ints(config.getIntList(Family.BRANCH_WIDTHS)), config.getString(Family.ACTIVATION),
                    config.getString(Family.INITIALIZER), ck.tensor("model/pod_basis"), ck.tensor("model/pod_mean"), ck.tensor("model/pod_points"), o.rng);
        }
        o.net.loadStateDict(model);
        o.net.train(false);
        Map<String, Tensor> in = ck.group("normalizer/input"), out = ck.group("normalizer/target");
        if (!in.isEmpty()) o.inputNorm = UnitGaussianNormalizer.fromTensors(in);
        if (!out.isEmpty()) o.targetNorm = UnitGaussianNormalizer.fromTensors(out);
        if (ck.tensors().containsKey("data/points")) o.points = ck.tensor("data/points");
        o.epoch = Integer.parseInt(ck.attributes().getOrDefault("epoch", "0"));
        Map<String, Tensor> opt = ck.group("optimizer");
        if (!opt.isEmpty()) {
            o.pendingOptimizerState = opt;
            o.savedOptimizerName = ck.attributes().get("optimizer_name");
        }
        Map<String, Object> m = FlatJson.read(ck.attributes().getOrDefault("metrics", "{}"));
        o.metrics.putAll(m);
        return o;
    }

    @Override
    public String toString() {
        return name() + "(" + config.values() + ")";
    }
}
