package org.opforge.operators.fno.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.opforge.api.NeuralOperator;
import org.opforge.api.config.Config;
import org.opforge.api.config.FlatJson;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.EpochReport;
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
import org.opforge.tensor.nn.optim.LRScheduler;
import org.opforge.tensor.nn.optim.Optimizer;
import org.opforge.tensor.nn.optim.ReduceLROnPlateau;
import org.opforge.training.LabelSource;
import org.opforge.training.Optimizers;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.TrainableWithLabels;
import org.opforge.training.UnitGaussianNormalizer;

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

    private final Config config;
    private final String configJson;
    private final long seed;
    private Gino net;
    /** Whether the latent box is known (given, read from a checkpoint, or taken from the training data). */
    private boolean boxResolved;
    private UnitGaussianNormalizer featureNormalizer;
    private Map<String, Tensor> optimizerState = Map.of();
    private int epoch;
    private final Map<String, String> metrics = new LinkedHashMap<>();

    private GinoOperator(Config config, long seed, double box) {
        this.config = config;
        this.configJson = FlatJson.write(config.values());
        this.seed = seed;
        this.boxResolved = box > 0;
        net = new Gino(spec(config, box > 0 ? box : 1.0), new Rng(seed));
        net.eval();
    }

    private static GinoSpec spec(Config c, double box) {
        return new GinoSpec(c.getInt(GinoSchemas.FEATURES), c.getInt(GinoSchemas.GNO_CHANNELS), c.getInt(FnoSchemas.WIDTH),
                c.getInt(FnoSchemas.MODES), c.getInt(FnoSchemas.LAYERS), c.getInt(GinoSchemas.LATENT), box, c.getDouble(GinoSchemas.RADIUS),
                c.getInt(GinoSchemas.KERNEL_HIDDEN), c.getInt(FnoSchemas.PROJECTION_CHANNELS));
    }

    /** A new operator with weights drawn from {@code seed}. */
    public static GinoOperator create(Map<String, ?> given, long seed) {
        Config c = GinoSchemas.gino().resolve(given);
        return new GinoOperator(c, seed, c.getDouble(GinoSchemas.LATENT_BOX));
    }

    /** Rebuilds a saved operator: architecture, latent box, weights, normalizer, optimizer state and epoch count. */
    public static GinoOperator load(Checkpoint checkpoint) {
        String op = checkpoint.attribute(NeuralOperator.OPERATOR_ATTRIBUTE);
        if (!op.equals(NAME)) throw new IllegalArgumentException("checkpoint holds operator '" + op + "', not '" + NAME + "'");
        Config c = GinoSchemas.gino().resolve(FlatJson.read(checkpoint.attribute("config")));
        double box = Double.parseDouble(checkpoint.attributes().getOrDefault("latent_box", "0"));
        GinoOperator g = new GinoOperator(c, Long.parseLong(checkpoint.attributes().getOrDefault("seed", "0")), box);
        g.net.loadStateDict(checkpoint.group("model"));
        Map<String, Tensor> norm = checkpoint.group("normalizer/input");
        g.featureNormalizer = norm.isEmpty() ? null : UnitGaussianNormalizer.fromTensors(norm);
        g.optimizerState = checkpoint.group("optimizer");
        g.epoch = Integer.parseInt(checkpoint.attributes().getOrDefault("epoch", "0"));
        if (checkpoint.attributes().containsKey("metrics")) {
            FlatJson.read(checkpoint.attribute("metrics")).forEach((k, v) -> g.metrics.put(k, String.valueOf(v)));
        }
        return g;
    }

    public Gino network() { return net; }

    public Config config() { return config; }

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
        if (featureNormalizer == null) return f;
        int b = f.size(0);
        int p = f.size(1);
        return featureNormalizer.encode(f.reshape(b * p, f.size(2))).reshape(b, p, f.size(2));
    }

    private void checkInput(Tensor x) {
        int f = config.getInt(GinoSchemas.FEATURES);
        if (x.dim() != 3 || x.size(2) != 2 + f) {
            throw new IllegalArgumentException("gino with features=" + f + " takes point clouds [N, P, " + (2 + f) + "] (x, y, then the "
                    + f + " features per point); found shape " + Arrays.toString(x.shape()));
        }
    }

    private void requireBox() {
        if (!boxResolved) {
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
        return residual.mul(config.getDouble(GinoSchemas.PINN_INTERIOR)).add(misfit.mul(config.getDouble(GinoSchemas.PINN_BOUNDARY)));
    }

    private Loss loss() {
        return switch (config.getString(GinoSchemas.LOSS)) {
            case GinoSchemas.MSE -> new MSELoss();
            default -> LpLoss.relative(1, 2);
        };
    }

    @Override
    public TrainingResult train(TrainingData data, TrainingConfig cfg, ProgressListener listener) {
        return train(data, null, cfg, listener);
    }

    @Override
    public TrainingResult train(TrainingData data, LabelSource labels, TrainingConfig cfg, ProgressListener listener) {
        for (String k : cfg.options().keySet()) {
            if (!OPTIONS.contains(k)) throw new IllegalArgumentException("training option '" + k + "' is unknown to gino; known: " + OPTIONS);
        }
        checkInput(data.inputs());
        int[] xs = data.inputs().shape();
        int[] ys = data.targets().shape();
        if (ys.length != 2 || ys[0] != xs[0] || ys[1] != xs[1]) {
            throw new IllegalArgumentException("gino trains on targets [N, P] at the input points; inputs " + Arrays.toString(xs) + ", targets "
                    + Arrays.toString(ys));
        }
        boolean pinn = config.getString(GinoSchemas.LOSS).equals(GinoSchemas.PINN);
        if (pinn && labels != null) {
            throw new IllegalArgumentException("the physics-informed loss reads no targets: a label source makes no sense with loss=" + GinoSchemas.PINN);
        }
        if (!boxResolved) {
            double m = 0;
            for (double v : coordinates(data.inputs()).toDoubleArray()) m = Math.max(m, Math.abs(v));
            Map<String, Tensor> state = net.stateDict();
            net = new Gino(net.spec().withLatentBox(1.1 * m), new Rng(seed));
            net.loadStateDict(state);
            boxResolved = true;
        }
        if (featureNormalizer == null) {
            Tensor f = data.inputs().slice(2, 2, xs[2]);
            featureNormalizer = UnitGaussianNormalizer.fit(f.reshape(xs[0] * xs[1], xs[2] - 2), UnitGaussianNormalizer.Mode.POINTWISE);
        }
        Optimizer optimizer = Optimizers.create(cfg.optimizer(), net.namedParameters(), cfg.learningRate(), cfg.weightDecay());
        if (!optimizerState.isEmpty()) optimizer.loadStateDict(optimizerState);
        String schedule = cfg.options().getOrDefault(FnoSchemas.SCHEDULER, config.getString(FnoSchemas.SCHEDULER)).trim().toLowerCase(Locale.ROOT);
        ReduceLROnPlateau plateau = null;
        LRScheduler stepped = null;
        if (schedule.startsWith("plateau:")) {
            String[] p = schedule.split(":");
            try {
                plateau = new ReduceLROnPlateau(optimizer, false, Double.parseDouble(p[1]), Integer.parseInt(p[2]), 1e-4, true, 0, 0, 1e-8);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("scheduler: expected plateau:FACTOR:PATIENCE (factor < 1), found '" + schedule + "'");
            }
        } else {
            stepped = Optimizers.schedule(schedule, optimizer, cfg.epochs());
        }
        ReduceLROnPlateau onPlateau = plateau;
        ProgressListener progress = onPlateau == null ? listener : new ProgressListener() {
            @Override public void onStep(long done, long total) { listener.onStep(done, total); }

            @Override public void onEpoch(EpochReport report) {
                onPlateau.step(report.trainLoss());
                listener.onEpoch(report);
            }
        };
        SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor inputs) { return GinoOperator.this.predict(inputs, null); }

            @Override public void train(boolean on) { net.train(on); }

            @Override public double lossAndBackward(Tensor inputs, Tensor targets, Loss l) {
                if (!pinn) return SupervisedTrainer.Model.super.lossAndBackward(inputs, targets, l);
                Tensor value = physicsLoss(inputs);
                double v = value.item();
                if (Double.isFinite(v)) value.backward();
                return v;
            }
        };
        Loss loss = loss();
        TrainingResult result;
        try {
            result = SupervisedTrainer.fit(model, data, labels, cfg, pinn ? (p, y) -> Tensor.scalar(Double.NaN) : loss, optimizer, stepped,
                    1, progress);
        } finally {
            net.eval();
        }
        optimizerState = optimizer.stateDict();
        epoch += result.history().size();
        metrics.put("train_loss", Double.toString(result.finalTrainLoss()));
        metrics.put("train_seconds", String.format(Locale.ROOT, "%.3f", result.seconds()));
        if (labels != null) metrics.put("label_seconds", String.format(Locale.ROOT, "%.3f", labels.seconds()));
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // checkpoints
    // ---------------------------------------------------------------------------------------------

    @Override
    public Checkpoint toCheckpoint() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put(OPERATOR_ATTRIBUTE, NAME);
        attrs.put("config", configJson);
        attrs.put("epoch", Integer.toString(epoch));
        attrs.put("seed", Long.toString(seed));
        if (boxResolved) attrs.put("latent_box", Double.toString(net.spec().latentBox()));
        attrs.put("metrics", FlatJson.write(metrics));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> tensors.put("model/" + k, v));
        if (featureNormalizer != null) featureNormalizer.toTensors().forEach((k, v) -> tensors.put("normalizer/input/" + k, v));
        optimizerState.forEach((k, v) -> tensors.put("optimizer/" + k, v));
        return new Checkpoint(attrs, tensors);
    }

    @Override
    public String toString() {
        return NAME + " (" + parameterCount() + " parameters)\n" + net;
    }
}
