package org.opforge.operators.fno.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.opforge.api.TrainableWithLabels;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.decomp.factorized.FactorizedTensor;
import org.opforge.decomp.factorized.TensorFormat;
import org.opforge.operators.fno.FnoSchemas;
import org.opforge.operators.fno.MultigridPatching;
import org.opforge.operators.fno.layers.GridEmbedding;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.Loss;
import org.opforge.tensor.nn.loss.LpLoss;
import org.opforge.training.GridFields;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.TrainingState;

/**
 * An FNO-family operator: the network, the unit-Gaussian normalizers of inputs and targets, and for
 * MG-TFNO the multigrid patching. {@link #apply} maps raw input fields to decoded outputs:
 * {@code decode(net(encode(x)))}, at any resolution that holds the kept modes (pointwise normalizer
 * statistics are resampled to the grid).
 *
 * <p>Layout: inputs {@code [N, *grid]} when {@code in_channels = 1}, or {@code [N, C_in, *grid]};
 * outputs {@code [N, *grid]} for one output channel and an input without channel axis, else
 * {@code [N, C_out, *grid]}.
 *
 * <p>Normalizers, optimizer, epoch count and checkpoint layout are the shared {@link TrainingState}'s:
 * each {@link #train} call runs {@code cfg.epochs()} more epochs, continuing the optimizer of the
 * previous call or of the loaded checkpoint (saved with its {@code optimizer_name}).
 *
 * <p><b>Masked grids</b> (FNO and TFNO): with a {@link TrainingData#mask() mask} {@code m} the shared
 * loop trains on the relative L2 over the inside values, {@code ||m (p - y)|| / ||m y||} per sample, and
 * the target normalizer is fitted on {@code m y}, so the targets outside never count; the outputs
 * outside the mask are whatever the network gives there (a metric over the masked grid ignores them).
 * <b>Label sources</b>: the targets of each epoch may come from a {@link LabelSource} (online
 * Walk-on-Spheres labels); the target normalizer is then fitted on the first epoch's labels, not on
 * {@code data.targets()}, which only fix the shape.
 */
public final class FnoOperator implements TrainableWithLabels {
    /** Options of {@link TrainingConfig#options()} this family reads besides the shared loop's. */
    private static final Set<String> OPTIONS = Set.of(FnoSchemas.SCHEDULER);
    private static final int EVAL_BATCH = 50;

    private final FnoVariant variant;
    private final Config config;
    private final TrainingState state;
    private final Fno net;
    private final MultigridPatching patching;
    private boolean training;
    /** The shared loop's view: decoded predictions, the MG-TFNO training flag, patch-group steps. */
    private final SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
        @Override public Tensor predict(Tensor inputs) { return FnoOperator.this.predict(inputs); }

        @Override public void train(boolean on) {
            training = on;
            net.train(on);
        }

        @Override public double lossAndBackward(Tensor inputs, Tensor targets, Loss l) {
            return FnoOperator.this.lossAndBackward(inputs, targets, l, null);
        }

        @Override public boolean supportsMasks() { return FnoOperator.this.supportsMasks(); }
    };

    private FnoOperator(FnoVariant variant, TrainingState state, IntFunction<FactorizedTensor> weights) {
        this.variant = variant;
        this.state = state;
        this.config = state.config();
        if (variant == FnoVariant.MG_TFNO) {
            patching = new MultigridPatching(config.getInt(FnoSchemas.LEVELS), config.getDouble(FnoSchemas.PADDING_FRACTION));
            if (config.getInt(FnoSchemas.DIMS) != 2) {
                throw new IllegalArgumentException("mg-tfno patches 2-D fields: dims must be 2, found " + config.getInt(FnoSchemas.DIMS));
            }
        } else {
            patching = null;
        }
        FnoSpec spec = FnoSpec.from(config);
        net = new Fno(patching == null ? spec : spec.forPatches(patching.levels()), weights, state.rng());
        net.eval();
    }

    /** A new operator with weights drawn from {@code seed}. */
    public static FnoOperator create(FnoVariant variant, Map<String, ?> given, long seed) {
        return new FnoOperator(variant, new TrainingState(variant.label(), variant.schema().resolve(given), seed), null);
    }

    /** Rebuilds a saved operator: same architecture, weights, normalizers, optimizer state and epoch count. */
    public static FnoOperator load(FnoVariant variant, Checkpoint checkpoint) {
        TrainingState training = TrainingState.restore(checkpoint, variant.label(), variant.schema());
        Map<String, Tensor> state = checkpoint.group("model");
        FnoSpec spec = FnoSpec.from(training.config());
        IntFunction<FactorizedTensor> weights = null;
        if (spec.weights().format() != TensorFormat.DENSE) {
            int order = spec.dims() + 2;
            weights = l -> FactorizedState.read(spec.weights().format(), state, "blocks." + l + ".spectral.weight.", order);
        }
        FnoOperator f = new FnoOperator(variant, training, weights);
        f.net.loadStateDict(state);
        return f;
    }

    /**
     * A TFNO copy of this operator whose spectral weights are {@code weights.apply(layer)} (e.g. a
     * decomposition of this operator's dense weights); every other weight and the normalizers are copied.
     */
    public FnoOperator withSpectralWeights(TensorFormat format, double rank, IntFunction<FactorizedTensor> weights) {
        if (patching != null) throw new IllegalArgumentException("compression of mg-tfno operators is not supported");
        Map<String, Object> c = new LinkedHashMap<>();
        for (String k : FnoSchemas.fno().names()) c.put(k, config.get(k));
        c.put(FnoSchemas.FACTORIZATION, format.label());
        c.put(FnoSchemas.RANK, rank);
        c.put(FnoSchemas.IMPLEMENTATION, config.values().getOrDefault(FnoSchemas.IMPLEMENTATION, "factorized"));
        FnoOperator f = new FnoOperator(FnoVariant.TFNO, new TrainingState(FnoVariant.TFNO.label(), FnoSchemas.tfno().resolve(c), state.seed()), weights);
        Map<String, Tensor> dict = new LinkedHashMap<>(net.stateDict());
        dict.keySet().removeIf(k -> k.contains(".spectral."));
        var result = f.net.loadStateDict(dict, false, false);
        for (String missing : result.missingKeys()) {
            if (!missing.contains(".spectral.")) throw new IllegalStateException("compressed copy lacks weight '" + missing + "'");
        }
        f.state.inheritFrom(state);
        return f;
    }

    public Fno network() { return net; }

    public Config config() { return config; }

    public FnoVariant variant() { return variant; }

    @Override public String name() { return variant.label(); }

    @Override public long parameterCount() { return net.parameterCount(); }

    /** FNO and TFNO train on masked grids; MG-TFNO, whose training sees patches, does not. */
    @Override public boolean supportsMasks() { return patching == null; }

    // ---------------------------------------------------------------------------------------------
    // evaluation
    // ---------------------------------------------------------------------------------------------

    @Override
    public Tensor apply(Tensor input) {
        checkInput("input", input);
        boolean was = training;
        try {
            return SupervisedTrainer.predictAll(model, input, EVAL_BATCH);
        } finally {
            model.train(was);
        }
    }

    /**
     * Decoded predictions for raw inputs; during MG-TFNO training the unpadded output patches
     * {@code (B n^2, ...)} (decoded on the stitched field, then cut), otherwise whole fields.
     */
    Tensor predict(Tensor x) {
        boolean channelAxis = GridFields.hasChannelAxis(dims(), x);
        Tensor z = state.encodeInput(x);
        if (!channelAxis) z = z.unsqueeze(1);
        Tensor y;
        if (patching == null) {
            y = net.forward(z);
        } else {
            y = patching.unpatch(net.forward(patchInputs(z)), z.size(2), z.size(3));
        }
        boolean squeeze = !channelAxis && outChannels() == 1;
        if (squeeze) y = y.squeeze(1);
        y = state.decodeTarget(y);
        if (patching != null && training) y = splitLikeTarget(y);
        return y;
    }

    /**
     * One training step's loss on a batch of raw inputs and targets, its gradient accumulated into the
     * parameters (for custom loops and memory probes; normalizers must have been fitted by
     * {@link #train} or a checkpoint). {@code afterForward}, when not null, runs after each forward
     * pass while its autodiff graph is alive.
     */
    public double trainingStep(Tensor x, Tensor y, Runnable afterForward) {
        training = true;
        net.train(true);
        try {
            return lossAndBackward(x, y, trainingLoss(), afterForward);
        } finally {
            training = false;
            net.train(false);
        }
    }

    /** The mean relative L2 of decoded predictions; during MG-TFNO training, of the unpadded patches. */
    private Loss trainingLoss() {
        LpLoss relative = LpLoss.relative(dims(), 2);
        return patching == null ? relative : (p, y) -> relative.apply(p, p.size(0) == y.size(0) ? y : splitLikeTarget(y));
    }

    private double lossAndBackward(Tensor x, Tensor y, Loss loss, Runnable afterForward) {
        if (patching != null && config.getInt(FnoSchemas.PATCH_BATCH) > 0) return patchGroupsLossAndBackward(x, y, loss, afterForward);
        Tensor l = loss.apply(predict(x), y);
        if (afterForward != null) afterForward.run();
        double value = l.item();
        if (Double.isFinite(value)) l.backward();
        return value;
    }

    /**
     * MG-TFNO's step with {@code patch_batch = m}: the batch's patches go through the network m at a
     * time, each group decoded with its part of the target normalizer and its relative L2 weighted by
     * its share of the patches, so the summed loss and gradient are those of all patches at once while
     * only one group's activations are alive.
     */
    private double patchGroupsLossAndBackward(Tensor x, Tensor y, Loss loss, Runnable afterForward) {
        boolean channelAxis = x.dim() == 4;
        boolean squeeze = !channelAxis && outChannels() == 1;
        int h = x.size(x.dim() - 2), w = x.size(x.dim() - 1);
        int perSample = patching.patchesPerSample();
        Tensor inputs, targets, offset = null, scale = null;
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor z = state.encodeInput(x);
            if (!channelAxis) z = z.unsqueeze(1);
            inputs = patchInputs(z);
            targets = splitLikeTarget(y);
            if (state.targetNormalizer() != null) {
                Tensor[] a = state.targetNormalizer().decodeAffine(y);
                offset = a[0].dim() == 0 ? a[0] : splitLikeTarget(a[0]);
                scale = a[1].dim() == 0 ? a[1] : splitLikeTarget(a[1]);
            }
        }
        int total = inputs.size(0), group = config.getInt(FnoSchemas.PATCH_BATCH);
        double sum = 0;
        for (int from = 0; from < total; from += group) {
            int to = Math.min(total, from + group);
            Tensor p = patching.crop(net.forward(inputs.slice(0, from, to)), h, w);
            if (squeeze) p = p.squeeze(1);
            if (offset != null) {
                if (offset.dim() == 0) {
                    p = p.mul(scale).add(offset);
                } else {
                    int[] where = new int[to - from];
                    for (int k = 0; k < where.length; k++) where[k] = (from + k) % perSample;
                    p = p.mul(scale.indexSelect(0, where)).add(offset.indexSelect(0, where));
                }
            }
            Tensor l = loss.apply(p, targets.slice(0, from, to)).mul((double) (to - from) / total);
            if (afterForward != null) afterForward.run();
            double value = l.item();
            sum += value;
            if (!Double.isFinite(value)) return value;
            l.backward();
        }
        return sum;
    }

    /**
     * MG-TFNO's network inputs for encoded fields {@code z (B, C, H, W)}: the grid coordinates (with
     * the positional embedding) appended to the whole field, then cut into multigrid patches.
     */
    private Tensor patchInputs(Tensor z) {
        return patching.patch(config.getBoolean(FnoSchemas.POSITIONAL_EMBEDDING) ? GridEmbedding.append(z, 2) : z);
    }

    /** Cuts a decoded field (or target) into the unpadded patches the model was trained on. */
    private Tensor splitLikeTarget(Tensor y) {
        boolean channelAxis = y.dim() == 4;
        Tensor p = patching.split(channelAxis ? y : y.unsqueeze(1));
        return channelAxis ? p : p.squeeze(1);
    }

    private int dims() { return config.getInt(FnoSchemas.DIMS); }

    private int inChannels() { return config.getInt(FnoSchemas.IN_CHANNELS); }

    private int outChannels() { return config.getInt(FnoSchemas.OUT_CHANNELS); }

    /** Checks the layout of input (or target) fields against the architecture, naming both. */
    private void checkInput(String what, Tensor x) {
        boolean target = what.equals("target");
        int[] grid = GridFields.check(variant.label(), dims(), target ? FnoSchemas.OUT_CHANNELS : FnoSchemas.IN_CHANNELS,
                target ? outChannels() : inChannels(), what, x);
        net.checkResolution(patching == null ? grid : patching.patchShape(grid[0], grid[1]));
    }

    // ---------------------------------------------------------------------------------------------
    // training
    // ---------------------------------------------------------------------------------------------

    @Override
    public TrainingResult train(TrainingData data, TrainingConfig cfg, ProgressListener listener) {
        return train(data, null, cfg, listener);
    }

    @Override
    public TrainingResult train(TrainingData data, LabelSource labels, TrainingConfig cfg, ProgressListener listener) {
        state.checkOptions(cfg, OPTIONS);
        checkInput("input", data.inputs());
        checkInput("target", data.targets());
        GridFields.checkSameGrid(variant.label(), dims(), data.inputs(), data.targets());
        if (data.mask().isPresent() && !supportsMasks()) {
            throw new IllegalArgumentException(variant.label() + " trains on multigrid patches and does not support masked training (data.mask); "
                    + "use fno or tfno on a masked grid");
        }
        if (labels != null && patching != null) {
            throw new IllegalArgumentException(variant.label() + " trains on multigrid patches and does not take a label source (data.labels); "
                    + "use fno or tfno");
        }
        LabelSource source = labels;
        if (GridFields.hasChannelAxis(dims(), data.inputs()) && !GridFields.hasChannelAxis(dims(), data.targets())) {
            // inputs [N, C, *grid] give outputs [N, 1, *grid]: one-channel targets [N, *grid] (and their mask, labels) gain that axis
            data = withTargetChannel(data);
            source = labels == null ? null : new LabelSource() {
                @Override public Tensor targets(int epoch) { return labels.targets(epoch).unsqueeze(1); }

                @Override public double seconds() { return labels.seconds(); }
            };
        }
        Tensor fitTargets = data.targets();
        String normalize = config.getString(FnoSchemas.NORMALIZE);
        if (labels != null && state.targetNormalizer() == null && TrainingState.normalizerMode(normalize) != null) {
            // fit the target normalizer on the labels the run trains on, not on data.targets() (e.g. the exact solution)
            int firstEpoch = state.epoch() + 1;
            LabelSource given = source;
            Tensor first = given.targets(firstEpoch);
            fitTargets = first.size(0) > data.samples() ? first.slice(0, 0, data.samples()) : first;
            source = new LabelSource() {
                @Override public Tensor targets(int epoch) { return epoch == firstEpoch ? first : given.targets(epoch); }

                @Override public double seconds() { return given.seconds(); }
            };
        }
        if (data.mask().isPresent()) fitTargets = fitTargets.mul(data.mask().get());
        state.fitNormalizers(normalize, data.inputs(), fitTargets);
        return state.fit(model, net.namedParameters(), data, source, cfg, trainingLoss(),
                cfg.options().getOrDefault(FnoSchemas.SCHEDULER, config.getString(FnoSchemas.SCHEDULER)), listener);
    }

    /** {@code d} (and its validation set) with the targets and the mask given a channel axis of size 1. */
    private static TrainingData withTargetChannel(TrainingData d) {
        return new TrainingData(d.inputs(), d.targets().unsqueeze(1), d.points(), d.validation().map(FnoOperator::withTargetChannel),
                d.mask().map(m -> m.unsqueeze(1)));
    }

    // ---------------------------------------------------------------------------------------------
    // checkpoints
    // ---------------------------------------------------------------------------------------------

    @Override
    public Checkpoint toCheckpoint() { return state.toCheckpoint(net.stateDict(), Map.of()); }

    @Override
    public String toString() {
        return variant.label() + " (" + parameterCount() + " parameters)\n" + net;
    }
}
