package org.opforge.it.bundles.common;

import java.util.List;
import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.Tensor;

/**
 * {@code y = factor * x} with one weight. Training is the closed-form least-squares fit
 * {@code factor = <x, y> / <x, x>}, so it finishes in one epoch whatever the configuration asks.
 */
public final class ScaleOperator implements TrainableOperator {
    static final String WEIGHT = "model/factor";
    private final String name;
    private volatile double factor;

    public ScaleOperator(String name, double factor) {
        this.name = name;
        this.factor = factor;
    }

    @Override public String name() { return name; }

    @Override public Tensor apply(Tensor input) { return input.mul(factor); }

    @Override public long parameterCount() { return 1; }

    public double factor() { return factor; }

    @Override
    public Checkpoint toCheckpoint() {
        return new Checkpoint(Map.of(NeuralOperator.OPERATOR_ATTRIBUTE, name), Map.of(WEIGHT, Tensor.scalar(factor)));
    }

    @Override
    public TrainingResult train(TrainingData data, TrainingConfig config, ProgressListener listener) {
        long t0 = System.nanoTime();
        Tensor x = data.inputs();
        Tensor y = data.targets();
        double xx = x.mul(x).sum().item();
        if (xx == 0) throw new IllegalArgumentException("inputs are all zero: the scale is undetermined");
        factor = x.mul(y).sum().item() / xx;
        double loss = apply(x).sub(y).square().mean().item();
        double validation = data.validation().map(v -> apply(v.inputs()).sub(v.targets()).square().mean().item()).orElse(Double.NaN);
        EpochReport report = new EpochReport(1, 1, loss, validation, (System.nanoTime() - t0) * 1e-9);
        listener.onEpoch(report);
        return new TrainingResult(List.of(report));
    }
}
