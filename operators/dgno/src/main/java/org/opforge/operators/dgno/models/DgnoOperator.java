package org.opforge.operators.dgno.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opforge.api.InvertibleOperator;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.operators.dgno.DgnoSchemas;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.Loss;
import org.opforge.tensor.nn.loss.LpLoss;
import org.opforge.training.Metrics;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.TrainingState;
import org.opforge.training.physics.DarcyWeakResidual;
import org.opforge.training.physics.Residual;
import org.opforge.training.physics.WendlandQuadrature;

/**
 * The DGNO operator: a {@link Dgno} network and its {@link TrainingState}, trained without solution
 * labels by {@link DgnoLoss} (the problem's {@link Residual} plus the reconstruction of the input).
 *
 * <p><b>Data</b>: inputs {@code (N, n, n)}, a two-valued coefficient on the nodes of the unit square
 * ({@code x1 = i/(n-1)} along axis 1, boundary included). Targets are not read unless
 * {@code label_weight > 0} (then solutions {@code (N, n, n)}); a validation set's targets give the
 * relative L2 of u as the validation loss and that of the decoded input ({@value #INPUT_RELATIVE_L2})
 * as a further measure ({@code eval_every} epochs). {@link #apply(Tensor)} returns u on the input's nodes,
 * {@link #apply(Tensor, Tensor)} at any points {@code (P, 2)}.
 *
 * <p><b>Sizes</b>: {@code grid} and {@code coefficient_values} left at 0 / empty are taken from the
 * first training data and stored in the checkpoint's configuration.
 *
 * <p><b>Exact resume</b>: the residual's points of global step g (epoch e, batch b) are drawn from
 * {@code Rng(seed).fork(STEP_STREAM).fork(g)}, so a run resumed from a checkpoint sees the points,
 * batches and optimizer moments of the uninterrupted run.
 */
public final class DgnoOperator implements TrainableOperator, InvertibleOperator {
    public static final String NAME = "dgno";
    private static final Set<String> OPTIONS = Set.of(DgnoSchemas.SCHEDULER, SupervisedTrainer.TIME_BUDGET);
    private static final long STEP_STREAM = 0x6467_6e6fL;
    private static final Loss RELATIVE_L2 = LpLoss.relative(2, 2);
    /** The validation measure beside u's relative L2: mean relative L2 of the most probable decoded input against the input. */
    public static final String INPUT_RELATIVE_L2 = "input_relative_l2";

    private final TrainingState state;
    private Dgno net;
    private Tensor nodes;

    private DgnoOperator(TrainingState state) {
        this.state = state;
        if (state.config().getInt(DgnoSchemas.GRID) > 0) build();
    }

    /** A new untrained operator; absent keys take the schema's defaults. */
    public static DgnoOperator create(Map<String, ?> config, long seed) {
        return new DgnoOperator(new TrainingState(NAME, DgnoSchemas.dgno().resolve(config), seed));
    }

    /** The operator saved in {@code checkpoint}: same predictions, training resumable. */
    public static DgnoOperator load(Checkpoint checkpoint) {
        DgnoOperator o = new DgnoOperator(TrainingState.restore(checkpoint, NAME, DgnoSchemas.dgno()));
        if (o.net == null) throw new IllegalArgumentException(NAME + ": checkpoint configuration lacks the grid size: " + o.state.config().values());
        o.net.loadStateDict(checkpoint.group("model"));
        o.net.train(false);
        return o;
    }

    @Override public String name() { return NAME; }

    public Config config() { return state.config(); }

    /** The network; null before its grid size is known. */
    public Dgno network() { return net; }

    /** The generative model of the input, once its parameters are known (from the configuration or the training data). */
    public InputModel inputModel() {
        Config c = state.config();
        if (c.getString(DgnoSchemas.INPUT_MODEL).equals("lognormal")) {
            List<Double> v = c.getDoubleList(DgnoSchemas.LOG_COEFFICIENT_STATS);
            if (v.size() != 2) throw new IllegalStateException(NAME + ": log_coefficient_stats must hold the mean and std of log a, found " + v);
            return new InputModel.LogNormal(v.get(0), v.get(1));
        }
        List<Double> v = c.getDoubleList(DgnoSchemas.COEFFICIENT_VALUES);
        if (v.size() != 2) throw new IllegalStateException(NAME + ": coefficient_values must hold the two values LO,HI, found " + v);
        return new InputModel.Bernoulli(v.get(0), v.get(1));
    }

    /** Epochs trained so far. */
    public int epoch() { return state.epoch(); }

    @Override public boolean supportsPointQueries() { return true; }

    @Override public long parameterCount() { return net == null ? 0 : net.parameterCount(); }

    private void build() {
        Config c = state.config();
        int n = c.getInt(DgnoSchemas.GRID);
        int[] enc = c.getIntList(DgnoSchemas.ENCODER).stream().mapToInt(Integer::intValue).toArray();
        net = new Dgno(new Dgno.Spec(n, c.getInt(DgnoSchemas.LATENT), enc, c.getInt(DgnoSchemas.WIDTH), c.getInt(DgnoSchemas.WIDTH_A),
                c.getInt(DgnoSchemas.DEPTH), c.getInt(DgnoSchemas.SUM_LAYERS), Math.max(1, c.getInt(DgnoSchemas.INPUT_CHANNELS)),
                c.getString(DgnoSchemas.ENCODER_TYPE).equals("cnn") ? c.getIntList(DgnoSchemas.CONV_CHANNELS).stream().mapToInt(Integer::intValue).toArray()
                        : new int[0]), state.rng());
        net.train(false);
    }

    private void set(String key, Object value) {
        Map<String, Object> v = new LinkedHashMap<>(state.config().values());
        v.put(key, value);
        state.setConfig(DgnoSchemas.dgno().resolve(v));
    }

    /** The problem's residual as the configuration describes it: the PDE is chosen here, not in the network. */
    public Residual residual() {
        Config c = state.config();
        String problem = c.getString(DgnoSchemas.PROBLEM);
        if (problem.equals("darcy")) {
            return new DarcyWeakResidual(new WendlandQuadrature(c.getInt(DgnoSchemas.QUADRATURE_GRID)), c.getDouble(DgnoSchemas.RADIUS),
                    c.getInt(DgnoSchemas.CENTRES), c.getDouble(DgnoSchemas.SOURCE));
        }
        throw new IllegalArgumentException(NAME + ": unknown problem '" + problem + "'");
    }

    private void checkFields(Tensor x, String what) {
        int n = net.spec().grid();
        int ch = net.spec().channels();
        boolean ok = ch == 1 ? x.dim() == 3 && x.size(1) == n && x.size(2) == n : x.dim() == 4 && x.size(1) == 2 && x.size(2) == n && x.size(3) == n;
        if (!ok) {
            throw new IllegalArgumentException(NAME + ": " + what + " must be fields (N, " + (ch == 1 ? "" : "2, ") + n + ", " + n + ") on the training grid"
                    + (ch == 1 ? "" : " (the coefficient, then the source)") + ", found " + Arrays.toString(x.shape()));
        }
    }

    private Tensor nodes(Tensor like) {
        if (nodes == null || nodes.dtype() != like.dtype() || !nodes.device().equals(like.device())) {
            // kept across calls: exempt from an inference scope this call may run in (an evaluation batch's)
            nodes = StepScope.retain(Dgno.gridPoints(net.spec().grid(), like.dtype(), like.device()));
        }
        return nodes;
    }

    private Tensor beta(Tensor input) {
        return net.encode(state.encodeInput(input));
    }

    private void checkTrained() {
        if (net == null) throw new IllegalStateException(NAME + ": the grid size comes from the training data; train the operator first or set grid");
    }

    /** u on the input's nodes: {@code (N, n, n)}. */
    @Override
    public Tensor apply(Tensor input) {
        checkTrained();
        checkFields(input, "inputs");
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor u = net.solution(nodes(input), beta(input));
            return u.reshape(input.size(0), net.spec().grid(), net.spec().grid());
        }
    }

    /** u at points {@code (P, 2)} of the unit square: {@code (N, P)}. */
    @Override
    public Tensor apply(Tensor input, Tensor points) {
        checkTrained();
        checkFields(input, "inputs");
        if (points.dim() != 2 || points.size(1) != 2) throw new IllegalArgumentException(NAME + ": points must be (P, 2), found " + Arrays.toString(points.shape()));
        try (GradMode.Scope s = GradMode.noGrad()) {
            return net.solution(points.to(input.dtype()), beta(input));
        }
    }

    /** The most probable coefficient on its nodes under the decoded likelihood: {@code (N, n, n)}. */
    public Tensor reconstructInput(Tensor input) {
        checkTrained();
        checkFields(input, "inputs");
        try (GradMode.Scope s = GradMode.noGrad()) {
            return inputModel().mostProbable(net.coefficientLogits(nodes(input), beta(input))).reshape(input.size(0), net.spec().grid(), net.spec().grid());
        }
    }

    /** {@link #reconstructInput} in batches on {@code device}, on the CPU. */
    private Tensor reconstructAll(Tensor inputs, int batch, org.opforge.tensor.Device device) {
        List<Tensor> parts = new java.util.ArrayList<>();
        for (int from = 0; from < inputs.size(0); from += batch) {
            parts.add(reconstructInput(inputs.slice(0, from, Math.min(inputs.size(0), from + batch)).to(device)).to(org.opforge.tensor.Device.CPU));
        }
        return parts.size() == 1 ? parts.get(0) : Tensor.cat(0, parts.toArray(new Tensor[0]));
    }

    /**
     * The inverse problem ({@link DgnoInversion}, the reference's method): coefficient fields
     * {@code (N, n, n)} and their u from observations {@code (N, M)} of u at points {@code (M, 2)}.
     * Options: {@code iterations} (500), {@code lr} (0.01), {@code lr_step} (iterations / 10),
     * {@code lr_gamma} (0.5), {@code weight_decay} (1e-4), {@code observation_weight} (25),
     * {@code pde_weight} (1), {@code temperature} (1), {@code noise_draws} (25), {@code parametrisation}
     * ({@code mlp} or {@code direct}), {@code redraw_points} (true), {@code estimate} ({@code mean} or
     * {@code mode}), {@code restarts} (1: starts per sample, the lowest loss kept), {@code selection_draws}
     * (10: residual draws that compare restarts), {@code seed} (0).
     */
    @Override
    public Inversion invert(Tensor points, Tensor observations, Map<String, String> options) {
        checkTrained();
        if (net.spec().channels() != 1) {
            throw new IllegalArgumentException(NAME + ": the inverse problem of a model trained with a source field (input_channels = 2) is not "
                    + "supported; it needs the source of each observed sample");
        }
        net.train(false);
        return DgnoInversion.run(net, residual(), inputModel(), points, observations, options);
    }

    @Override
    public TrainingResult train(TrainingData data, TrainingConfig cfg, ProgressListener listener) {
        state.checkOptions(cfg, OPTIONS);
        data.refuseMask(name());
        Tensor x = data.inputs();
        boolean withSource = x.dim() == 4 && x.size(1) == 2;
        if ((x.dim() != 3 && !withSource) || x.size(x.dim() - 1) != x.size(x.dim() - 2) || x.size(x.dim() - 1) < 2) {
            throw new IllegalArgumentException(NAME + ": inputs must be coefficient fields (N, n, n) on the nodes of the unit square, or (N, 2, n, n) "
                    + "holding the coefficient and the source field, found " + Arrays.toString(x.shape()));
        }
        Config c = state.config();
        if (c.getInt(DgnoSchemas.GRID) == 0) set(DgnoSchemas.GRID, x.size(x.dim() - 1));
        if (c.getInt(DgnoSchemas.INPUT_CHANNELS) == 0) set(DgnoSchemas.INPUT_CHANNELS, withSource ? 2 : 1);
        Tensor a = DgnoLoss.coefficient(x);
        boolean logNormal = c.getString(DgnoSchemas.INPUT_MODEL).equals("lognormal");
        if (logNormal && c.getDoubleList(DgnoSchemas.LOG_COEFFICIENT_STATS).isEmpty()) set(DgnoSchemas.LOG_COEFFICIENT_STATS, logStats(a));
        if (!logNormal && c.getDoubleList(DgnoSchemas.COEFFICIENT_VALUES).isEmpty()) set(DgnoSchemas.COEFFICIENT_VALUES, twoValues(a));
        if (net == null) build();
        checkFields(x, "inputs");
        InputModel inputModel = inputModel();
        double labelWeight = state.config().getDouble(DgnoSchemas.LABEL_WEIGHT);
        if (labelWeight > 0 && !Arrays.equals(data.targets().shape(), a.shape())) {
            throw new IllegalArgumentException(NAME + ": label_weight > 0 needs solutions of the coefficient's shape " + Arrays.toString(a.shape())
                    + " as targets (set train_targets=true), found " + Arrays.toString(data.targets().shape()));
        }
        if (inputModel instanceof InputModel.Bernoulli b) checkRange(a, new double[] {b.lo(), b.hi()});
        state.fitNormalizers(state.config().getString(DgnoSchemas.NORMALIZE), x, null);
        net.to(cfg.device());
        DgnoLoss loss = new DgnoLoss(residual(), inputModel, state.config().getDouble(DgnoSchemas.BCE_WEIGHT),
                state.config().getDouble(DgnoSchemas.PDE_WEIGHT), Dgno.GradientMode.parse(state.config().getString(DgnoSchemas.TRUNK_MODE)));
        int batches = (data.samples() + Math.min(cfg.batchSize(), data.samples()) - 1) / Math.min(cfg.batchSize(), data.samples());
        long[] step = {(long) state.epoch() * batches};
        Rng steps = new Rng(state.seed()).fork(STEP_STREAM);
        SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor in) {
                return net.solution(nodes(in), beta(in)).reshape(in.size(0), net.spec().grid(), net.spec().grid());
            }

            @Override public void train(boolean on) { net.train(on); }

            @Override public Map<String, Double> validationMetrics(TrainingData validation, int batch) {
                return Map.of(INPUT_RELATIVE_L2, Metrics.mean(Metrics.relativeL2(reconstructAll(validation.inputs(), batch, cfg.device()),
                        DgnoLoss.coefficient(validation.inputs()))));
            }

            @Override public double lossAndBackward(Tensor in, Tensor targets, Loss unused) {
                Tensor l = loss.compute(net, in, state.encodeInput(in), nodes(in), steps.fork(step[0]++)).total();
                if (labelWeight > 0) l = l.add(RELATIVE_L2.apply(predict(in), targets).mul(labelWeight));
                double value = l.item();
                if (Double.isFinite(value)) l.backward();
                return value;
            }
        };
        TrainingData fitData = data;
        if (data.validation().isPresent()
                && !Arrays.equals(data.validation().get().targets().shape(), DgnoLoss.coefficient(data.validation().get().inputs()).shape())) {
            fitData = new TrainingData(data.inputs(), data.targets(), data.points(), java.util.Optional.empty());
        }
        return state.fit(model, net.namedParameters(), fitData, cfg, RELATIVE_L2, cfg.options().getOrDefault(DgnoSchemas.SCHEDULER, "none"), listener);
    }

    /** The two values of a two-valued coefficient, {@code [lo, hi]}. */
    private static List<Double> twoValues(Tensor x) {
        TreeSet<Double> values = new TreeSet<>();
        for (double d : x.toDoubleArray()) {
            values.add(d);
            if (values.size() > 2) {
                throw new IllegalArgumentException(NAME + ": the input coefficient takes more than two values (" + values
                        + " ...); the Bernoulli input decoder needs a two-valued coefficient: set input_model=lognormal for a smooth one, "
                        + "or coefficient_values=LO,HI");
            }
        }
        if (values.size() != 2) throw new IllegalArgumentException(NAME + ": the input coefficient takes " + values.size() + " value(s) " + values
                + "; set coefficient_values=LO,HI");
        return List.copyOf(values);
    }

    /** Mean and (unbiased) standard deviation of log a over all training values; a must be positive. */
    private static List<Double> logStats(Tensor x) {
        double[] v = x.toDoubleArray();
        double sum = 0, sq = 0;
        for (double d : v) {
            if (!(d > 0)) throw new IllegalArgumentException(NAME + ": input_model=lognormal needs a positive coefficient, found " + d);
            double l = Math.log(d);
            sum += l;
            sq += l * l;
        }
        double mean = sum / v.length, var = Math.max(0, (sq - v.length * mean * mean) / Math.max(1, v.length - 1));
        if (!(var > 0)) throw new IllegalArgumentException(NAME + ": log a is constant over the training fields; input_model=lognormal needs variation");
        return List.of(mean, Math.sqrt(var));
    }

    private static void checkRange(Tensor x, double[] v) {
        for (double d : x.toDoubleArray()) {
            if (d < v[0] - 1e-6 * Math.abs(v[0]) || d > v[1] + 1e-6 * Math.abs(v[1])) {
                throw new IllegalArgumentException(NAME + ": input value " + d + " lies outside coefficient_values [" + v[0] + ", " + v[1] + "]");
            }
        }
    }

    @Override
    public Checkpoint toCheckpoint() {
        checkTrained();
        return state.toCheckpoint(net.stateDict(), Map.of());
    }

    @Override
    public String toString() {
        return NAME + "(" + state.config().values() + ")";
    }
}
