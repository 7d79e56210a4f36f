package org.opforge.operators.mgno.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.operators.mgno.MgnoSchemas;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.HsLoss;
import org.opforge.tensor.nn.loss.Loss;
import org.opforge.tensor.nn.loss.LpLoss;
import org.opforge.tensor.nn.loss.Reduction;
import org.opforge.training.GridFields;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.TrainingState;

/**
 * An MgNO operator: the network, the target (and optionally input) normalizer, and the training grid
 * its hierarchy is built for. {@link #apply} maps raw input fields to decoded outputs
 * {@code decode(net(encode(x)))} on that grid only: MgNO's 3x3 stencils are in grid units, so another
 * resolution is a different operator and is refused with both sizes named.
 *
 * <p>Layout: inputs {@code [N, n1, n2]} when {@code in_channels = 1}, or {@code [N, C_in, n1, n2]};
 * outputs {@code [N, n1, n2]} for one output channel and an input without channel axis, else
 * {@code [N, C_out, n1, n2]}. With an empty {@code grid} key the network is built by the first
 * {@link #train} call, from the data's grid, which is then recorded in the configuration.
 */
public final class MgnoOperator implements TrainableOperator {
    public static final String NAME = "mgno";
    /** Options of {@link TrainingConfig#options()} this operator reads besides the shared loop's. */
    private static final Set<String> OPTIONS = Set.of(MgnoSchemas.SCHEDULER);
    private static final int EVAL_BATCH = 50;

    private final TrainingState state;
    private Mgno net;
    /** The shared loop's view of the operator: decoded predictions. */
    private final SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
        @Override public Tensor predict(Tensor inputs) { return MgnoOperator.this.predict(inputs); }

        @Override public void train(boolean on) { net.train(on); }
    };

    private MgnoOperator(TrainingState state) {
        this.state = state;
        List<Integer> grid = state.config().getIntList(MgnoSchemas.GRID);
        if (!grid.isEmpty()) {
            if (grid.size() != 2) throw new IllegalArgumentException("grid: expected two sides n1, n2 (or empty), found " + grid);
            build(grid.get(0), grid.get(1));
        } else {
            checkKeys(state.config());
        }
    }

    /** A new operator with weights drawn from {@code seed} (once the grid is known). */
    public static MgnoOperator create(Map<String, ?> given, long seed) {
        return new MgnoOperator(new TrainingState(NAME, MgnoSchemas.mgno().resolve(given), seed));
    }

    /** Rebuilds a saved operator: configuration (with its grid), weights, normalizers, optimizer state and epoch count. */
    public static MgnoOperator load(Checkpoint checkpoint) {
        TrainingState state = TrainingState.restore(checkpoint, NAME, MgnoSchemas.mgno());
        if (state.config().getIntList(MgnoSchemas.GRID).isEmpty()) {
            throw new IllegalArgumentException("mgno checkpoint has no training grid in its config (an untrained operator)");
        }
        MgnoOperator f = new MgnoOperator(state);
        f.net.loadStateDict(checkpoint.group("model"));
        return f;
    }

    /** The checks of {@link #spec} that need no grid, so that a bad key fails at creation. */
    private static void checkKeys(Config c) {
        MgnoSpec.Variant v = MgnoSpec.Variant.parse(c.getString(MgnoSchemas.VARIANT));
        int in = c.getInt(MgnoSchemas.IN_CHANNELS), out = c.getInt(MgnoSchemas.OUT_CHANNELS);
        for (String k : List.of(MgnoSchemas.IN_CHANNELS, MgnoSchemas.OUT_CHANNELS, MgnoSchemas.WIDTH, MgnoSchemas.LAYERS)) {
            if (c.getInt(k) < 1) throw new IllegalArgumentException(k + ": expected at least 1, found " + c.getInt(k));
        }
        if (v == MgnoSpec.Variant.NS && in > 1 && out > in) {
            throw new IllegalArgumentException("variant ns adds the input (one channel) or its last out_channels channels to the output: "
                    + "out_channels " + out + " must be <= in_channels " + in);
        }
        int levels = c.getInt(MgnoSchemas.LEVELS);
        for (String k : List.of(MgnoSchemas.PRE_SMOOTH, MgnoSchemas.POST_SMOOTH)) {
            int n = c.getIntList(k).size();
            if (levels > 0 && n > 1 && n != levels) {
                throw new IllegalArgumentException(k + ": expected one count per level (levels = " + levels + ") or one for all, found "
                        + c.getIntList(k));
            }
        }
    }

    /** The architecture for an n1 x n2 training grid; an error names the grid when the hierarchy cannot hold the levels. */
    static MgnoSpec spec(Config c, int n1, int n2) {
        Hierarchy h = Hierarchy.of(n1, n2, c.getInt(MgnoSchemas.LEVELS));
        int j = h.levels();
        int[] pre = perLevel(c, MgnoSchemas.PRE_SMOOTH, MgnoSpec.defaultPre(j), h);
        int[] post = perLevel(c, MgnoSchemas.POST_SMOOTH, MgnoSpec.defaultPost(j), h);
        return new MgnoSpec(MgnoSpec.Variant.parse(c.getString(MgnoSchemas.VARIANT)), c.getInt(MgnoSchemas.IN_CHANNELS),
                c.getInt(MgnoSchemas.OUT_CHANNELS), c.getInt(MgnoSchemas.WIDTH), c.getInt(MgnoSchemas.LAYERS), h, pre, post,
                c.getString(MgnoSchemas.PADDING));
    }

    private static int[] perLevel(Config c, String key, int[] defaults, Hierarchy h) {
        List<Integer> v = c.getIntList(key);
        if (v.isEmpty()) return defaults;
        int[] out = new int[h.levels()];
        if (v.size() == 1) {
            Arrays.fill(out, v.get(0));
            return out;
        }
        if (v.size() != h.levels()) {
            throw new IllegalArgumentException(key + ": expected one count per level (" + h.levels() + " levels: " + h + ") or one for all, found " + v);
        }
        for (int l = 0; l < out.length; l++) out[l] = v.get(l);
        return out;
    }

    private void build(int n1, int n2) {
        net = new Mgno(spec(state.config(), n1, n2), state.rng());
        net.eval();
        Map<String, Object> values = new LinkedHashMap<>(state.config().values());
        values.put(MgnoSchemas.GRID, List.of(n1, n2));
        state.setConfig(new Config(values));
    }

    public Config config() { return state.config(); }

    /** The network, or null while the training grid is unknown. */
    public Mgno network() { return net; }

    @Override public String name() { return NAME; }

    @Override
    public long parameterCount() {
        return net == null ? 0 : net.parameterCount();
    }

    // ---------------------------------------------------------------------------------------------
    // evaluation
    // ---------------------------------------------------------------------------------------------

    @Override
    public Tensor apply(Tensor input) {
        if (net == null) throw new IllegalStateException("mgno: the operator is untrained and has no grid yet; train it or set grid");
        checkFields("input", input);
        net.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            int n = input.size(0);
            List<Tensor> parts = new ArrayList<>();
            for (int from = 0; from < n; from += EVAL_BATCH) parts.add(predict(input.slice(0, from, Math.min(n, from + EVAL_BATCH))));
            return parts.size() == 1 ? parts.get(0) : Tensor.cat(0, parts.toArray(new Tensor[0]));
        }
    }

    /** Decoded predictions for raw inputs of the checked layout. */
    Tensor predict(Tensor x) {
        boolean channelAxis = GridFields.hasChannelAxis(2, x);
        Tensor z = state.encodeInput(x);
        Tensor y = net.forward(channelAxis ? z : z.unsqueeze(1));
        if (!channelAxis && config().getInt(MgnoSchemas.OUT_CHANNELS) == 1) y = y.squeeze(1);
        return state.decodeTarget(y);
    }

    /**
     * Checks the layout of input (or target) fields and, once built, their grid against the training
     * grid, naming both.
     */
    private int[] checkFields(String what, Tensor x) {
        boolean target = what.equals("target");
        String key = target ? MgnoSchemas.OUT_CHANNELS : MgnoSchemas.IN_CHANNELS;
        int[] grid = GridFields.check(NAME, 2, key, config().getInt(key), what, x);
        if (net != null) {
            int[] trained = net.spec().hierarchy().grid();
            if (!Arrays.equals(grid, trained)) {
                throw new IllegalArgumentException("mgno was trained on a " + trained[0] + "x" + trained[1] + " grid and its 3x3 stencils are in "
                        + "grid units; the " + what + " fields are " + grid[0] + "x" + grid[1] + " (resample them to " + trained[0] + "x"
                        + trained[1] + ")");
            }
        }
        return grid;
    }

    // ---------------------------------------------------------------------------------------------
    // training
    // ---------------------------------------------------------------------------------------------

    /** The per-sample training loss on decoded predictions, averaged over a batch ({@code loss_reduction} of the shared loop sums). */
    private Loss trainingLoss() {
        return config().getString(MgnoSchemas.LOSS).equals("h1") ? new HsLoss(2).withReduction(Reduction.MEAN) : LpLoss.relative(2, 2);
    }

    @Override
    public TrainingResult train(TrainingData data, TrainingConfig cfg, ProgressListener listener) {
        state.checkOptions(cfg, OPTIONS);
        int[] grid = checkFields("input", data.inputs());
        checkFields("target", data.targets());
        GridFields.checkSameGrid(NAME, 2, data.inputs(), data.targets());
        if (data.validation().isPresent()) {
            checkFields("input", data.validation().get().inputs());
            checkFields("target", data.validation().get().targets());
        }
        if (net == null) build(grid[0], grid[1]);
        Config c = config();
        state.fitNormalizers(c.getString(MgnoSchemas.NORMALIZE), c.getBoolean(MgnoSchemas.NORMALIZE_INPUT) ? data.inputs() : null, data.targets());
        return state.fit(model, net.namedParameters(), data, cfg, trainingLoss(),
                cfg.options().getOrDefault(MgnoSchemas.SCHEDULER, c.getString(MgnoSchemas.SCHEDULER)), listener);
    }

    // ---------------------------------------------------------------------------------------------
    // checkpoints
    // ---------------------------------------------------------------------------------------------

    @Override
    public Checkpoint toCheckpoint() {
        if (net == null) throw new IllegalStateException("mgno: nothing to save before the first training (no grid, no weights)");
        return state.toCheckpoint(net.stateDict(), Map.of());
    }

    @Override
    public String toString() {
        return NAME + " (" + parameterCount() + " parameters)\n" + net;
    }
}
