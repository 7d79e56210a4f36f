package org.opforge.operators.fno.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opforge.api.TrainableWithLabels;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.operators.fno.FnoSchemas;
import org.opforge.operators.fno.GinoSchemas;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.Loss;
import org.opforge.tensor.nn.loss.LpLoss;
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.TrainingState;

/**
 * A GINO operator: the network ({@link Gino}) and the channel-wise standardisation of the input
 * features. {@link #apply(Tensor)} maps point clouds {@code [N, P, 2 + F]} (coordinates, then
 * features) to the values at the same points {@code [N, P]}; {@link #apply(Tensor, Tensor)} to the
 * values at query points {@code [Q, 2]} or {@code [N, Q, 2]}. Targets are not normalised (the peer's
 * recipe). Trains on fixed targets, on targets redrawn every epoch ({@link LabelSource}), or
 * physics-informed ({@link GinoSchemas#PINN}).
 */
public final class GinoOperator implements TrainableWithLabels {
    public static final String NAME = "gino";
    private static final Set<String> OPTIONS = Set.of(FnoSchemas.SCHEDULER, SupervisedTrainer.TIME_BUDGET);
    private static final int EVAL_BATCH = 32;

    private final TrainingState state;
    private Gino net;
    private final SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
        @Override public Tensor predict(Tensor inputs) { return GinoOperator.this.predict(inputs, null); }

        @Override public void train(boolean on) { net.train(on); }

        @Override public double lossAndBackward(Tensor inputs, Tensor targets, Loss l) {
            if (!physicsInformed()) return SupervisedTrainer.Model.super.lossAndBackward(inputs, targets, l);
            Tensor value = physicsLoss(inputs);
            double v = value.item();
            if (Double.isFinite(v)) value.backward();
            return v;
        }
    };

    private GinoOperator(TrainingState state) {
        this.state = state;
        double box = state.config().getDouble(GinoSchemas.LATENT_BOX);
        // with latent_box = 0 the box comes from the first training data; the weights do not depend on it
        net = new Gino(spec(state.config(), box > 0 ? box : 1.0), state.rng());
        net.eval();
    }

    private static GinoSpec spec(Config c, double box) {
        return new GinoSpec(c.getInt(GinoSchemas.FEATURES), c.getInt(GinoSchemas.GNO_CHANNELS), c.getInt(FnoSchemas.WIDTH),
                c.getInt(FnoSchemas.MODES), c.getInt(FnoSchemas.LAYERS), c.getInt(GinoSchemas.LATENT), box, c.getDouble(GinoSchemas.RADIUS),
                c.getInt(GinoSchemas.KERNEL_HIDDEN), c.getInt(FnoSchemas.PROJECTION_CHANNELS));
    }

    /** A new operator with weights drawn from {@code seed}. */
    public static GinoOperator create(Map<String, ?> given, long seed) {
        return new GinoOperator(new TrainingState(NAME, GinoSchemas.gino().resolve(given), seed));
    }

    /** Rebuilds a saved operator: architecture, latent box, weights, normalizer, optimizer state and epoch count. */
    public static GinoOperator load(Checkpoint checkpoint) {
        GinoOperator g = new GinoOperator(TrainingState.restore(checkpoint, NAME, GinoSchemas.gino()));
        g.net.loadStateDict(checkpoint.group("model"));
        return g;
    }

    private boolean physicsInformed() {
        return state.config().getString(GinoSchemas.LOSS).equals(GinoSchemas.PINN);
    }

    public Gino network() { return net; }

    public Config config() { return state.config(); }

    @Override public String name() { return NAME; }

    @Override public boolean supportsPointQueries() { return true; }

    @Override
    public long parameterCount() {
        long n = 0;
        for (Tensor t : net.namedParameters().values()) n += t.numel() * t.dtype().slots();
        return n;
    }

    // ---------------------------------------------------------------------------------------------
    // evaluation
    // ---------------------------------------------------------------------------------------------

    @Override
    public Tensor apply(Tensor input) {
        checkInput(input);
        return evaluate(input, null);
    }

    @Override
    public Tensor apply(Tensor input, Tensor points) {
        checkInput(input);
        int n = input.size(0);
        boolean shared = points.dim() == 2;
        if (!(points.dim() == 2 || points.dim() == 3) || points.size(points.dim() - 1) != 2 || (!shared && points.size(0) != n)) {
            throw new IllegalArgumentException("gino query points must be [Q, 2] or [" + n + ", Q, 2], found " + Arrays.toString(points.shape()));
        }
        return evaluate(input, shared ? points.unsqueeze(0).expand(n, points.size(0), 2) : points);
    }

    private Tensor evaluate(Tensor input, Tensor queries) {
        requireBox();
        net.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            int n = input.size(0);
            List<Tensor> parts = new ArrayList<>();
            for (int from = 0; from < n; from += EVAL_BATCH) {
                int to = Math.min(n, from + EVAL_BATCH);
                parts.add(predict(input.slice(0, from, to), queries == null ? null : queries.slice(0, from, to)));
            }
            return parts.size() == 1 ? parts.get(0) : Tensor.cat(0, parts.toArray(new Tensor[0]));
        }
    }

    /** Values at {@code queries (B, Q, 2)}, or at the input points when null. */
    private Tensor predict(Tensor x, Tensor queries) {
        Tensor points = coordinates(x);
        return net.forward(points, features(x), queries == null ? points : queries.to(x.dtype()));
    }

    private static Tensor coordinates(Tensor x) {
        return x.slice(2, 0, 2).detach();
    }

    /** Standardised features of raw inputs {@code (B, P, 2 + F)}. */
    private Tensor features(Tensor x) {
        Tensor f = x.slice(2, 2, x.size(2));
        int b = f.size(0);
        int p = f.size(1);
        return state.encodeInput(f.reshape(b * p, f.size(2))).reshape(b, p, f.size(2));
    }

    private void checkInput(Tensor x) {
        int f = state.config().getInt(GinoSchemas.FEATURES);
        if (x.dim() != 3 || x.size(2) != 2 + f) {
            throw new IllegalArgumentException("gino with features=" + f + " takes point clouds [N, P, " + (2 + f) + "] (x, y, then the "
                    + f + " features per point); found shape " + Arrays.toString(x.shape()));
        }
    }

    private void requireBox() {
        if (!(state.config().getDouble(GinoSchemas.LATENT_BOX) > 0)) {
            throw new IllegalStateException("gino with latent_box=0 takes its latent box from the training data: train it (or give latent_box) "
                    + "before evaluating");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // training
    // ---------------------------------------------------------------------------------------------

    /**
     * The physics-informed loss of a batch of raw inputs with the star-poisson features for
     * {@code -Δu = f}: {@code w_int mean((-Δu - f)²)} over the interior points plus
     * {@code w_bc mean((u - g)²)} over the boundary points (distance feature 0), the Laplacian by double
     * backward in the query coordinates; with its graph, so that {@code backward()} trains on it.
     */
    public Tensor physicsLoss(Tensor x) {
        checkInput(x);
        requireBox();
        Tensor points = coordinates(x);
        Tensor q = points.requiresGrad(true);
        Tensor u = net.forward(points, features(x), q);
        Tensor grad = Autograd.grad(u.sum(), null, true, q)[0];
        Tensor lap = null;
        for (int d = 0; d < 2; d++) {
            Tensor second = Autograd.grad(grad.slice(2, d, d + 1).sum(), null, true, q)[0].slice(2, d, d + 1);
            lap = lap == null ? second : lap.add(second);
        }
        lap = lap.squeeze(2);
        Tensor g = x.slice(2, 2, 3).squeeze(2).detach();
        Tensor dist = x.slice(2, 3, 4).squeeze(2).detach();
        Tensor f = x.slice(2, 4, 5).squeeze(2).detach();
        Tensor interior = dist.gt(Tensor.scalar(0, dist.dtype(), dist.device()));
        Tensor boundary = interior.rsub(1);
        double nb = boundary.sum().item();
        double ni = interior.sum().item();
        if (nb == 0 || ni == 0) {
            throw new IllegalArgumentException("the physics-informed loss needs boundary points (distance feature 0) and interior points; "
                    + "the batch has " + (long) nb + " and " + (long) ni);
        }
        Tensor residual = lap.neg().sub(f).square().mul(interior).sum().div(ni);
        Tensor misfit = u.sub(g).square().mul(boundary).sum().div(nb);
        return residual.mul(state.config().getDouble(GinoSchemas.PINN_INTERIOR)).add(misfit.mul(state.config().getDouble(GinoSchemas.PINN_BOUNDARY)));
    }

    private Loss loss() {
        return state.config().getString(GinoSchemas.LOSS).equals(GinoSchemas.MSE) ? new MSELoss() : LpLoss.relative(1, 2);
    }

    @Override
    public TrainingResult train(TrainingData data, TrainingConfig cfg, ProgressListener listener) {
        return train(data, null, cfg, listener);
    }

    @Override
    public TrainingResult train(TrainingData data, LabelSource labels, TrainingConfig cfg, ProgressListener listener) {
        state.checkOptions(cfg, OPTIONS);
        if (data.mask().isPresent()) {
            throw new IllegalArgumentException("gino does not support masked training (data.mask): it takes point clouds, whose points all count; "
                    + "give only the points to train on");
        }
        checkInput(data.inputs());
        int[] xs = data.inputs().shape();
        int[] ys = data.targets().shape();
        if (ys.length != 2 || ys[0] != xs[0] || ys[1] != xs[1]) {
            throw new IllegalArgumentException("gino trains on targets [N, P] at the input points; inputs " + Arrays.toString(xs) + ", targets "
                    + Arrays.toString(ys));
        }
        if (physicsInformed() && labels != null) {
            throw new IllegalArgumentException("the physics-informed loss reads no targets: a label source makes no sense with loss=" + GinoSchemas.PINN);
        }
        if (!(state.config().getDouble(GinoSchemas.LATENT_BOX) > 0)) {
            double m = 0;
            for (double v : coordinates(data.inputs()).toDoubleArray()) m = Math.max(m, Math.abs(v));
            Map<String, Object> c = new LinkedHashMap<>(state.config().values());
            c.put(GinoSchemas.LATENT_BOX, 1.1 * m);
            state.setConfig(GinoSchemas.gino().resolve(c));
            Map<String, Tensor> weights = net.stateDict();
            net = new Gino(spec(state.config(), 1.1 * m), new Rng(state.seed()));
            net.loadStateDict(weights);
        }
        Tensor f = data.inputs().slice(2, 2, xs[2]);
        state.fitNormalizers("pointwise", f.reshape(xs[0] * xs[1], xs[2] - 2), null);
        String scheduler = cfg.options().getOrDefault(FnoSchemas.SCHEDULER, state.config().getString(FnoSchemas.SCHEDULER));
        // with the physics-informed loss the steps compute their own; the validation set still reports the relative L2
        return state.fit(model, net.namedParameters(), data, labels, cfg, loss(), scheduler, listener);
    }

    @Override
    public Checkpoint toCheckpoint() {
        return state.toCheckpoint(net.stateDict(), Map.of());
    }

    @Override
    public String toString() {
        return NAME + " (" + parameterCount() + " parameters)\n" + net;
    }
}
