package org.opforge.api.training;

import java.util.Map;
import java.util.Objects;
import org.opforge.tensor.Device;

/**
 * How to train: the settings every operator family shares. Family-specific settings (loss weights,
 * schedules) go in {@code options} and are validated by the operator, which names the unknown key.
 *
 * @param epochs       passes over the training set, at least 1
 * @param batchSize    samples per optimizer step, at least 1
 * @param learningRate initial step size of the optimizer, positive
 * @param weightDecay  L2 penalty (decoupled for AdamW), at least 0
 * @param optimizer    "adam", "adamw" or "sgd"
 * @param device       where to train
 * @param seed         seeds batch shuffling and dropout, so a run is reproducible
 * @param options      further operator-specific settings as strings
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, double weightDecay, String optimizer,
                             Device device, long seed, Map<String, String> options) {
    public TrainingConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0, found " + learningRate);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weightDecay must be >= 0, found " + weightDecay);
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(device, "device");
        options = Map.copyOf(Objects.requireNonNull(options, "options"));
    }

    /** 100 epochs, batch 20, Adam at 1e-3, weight decay 1e-4, on the CPU, seed 0 (neuralop's defaults). */
    public static TrainingConfig defaults() {
        return new TrainingConfig(100, 20, 1e-3, 1e-4, "adam", Device.CPU, 0, Map.of());
    }

    public TrainingConfig withEpochs(int n) {
        return new TrainingConfig(n, batchSize, learningRate, weightDecay, optimizer, device, seed, options);
    }

    public TrainingConfig withBatchSize(int n) {
        return new TrainingConfig(epochs, n, learningRate, weightDecay, optimizer, device, seed, options);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(epochs, batchSize, lr, weightDecay, optimizer, device, seed, options);
    }

    public TrainingConfig withWeightDecay(double wd) {
        return new TrainingConfig(epochs, batchSize, learningRate, wd, optimizer, device, seed, options);
    }

    public TrainingConfig withOptimizer(String name) {
        return new TrainingConfig(epochs, batchSize, learningRate, weightDecay, name, device, seed, options);
    }

    public TrainingConfig withDevice(Device d) {
        return new TrainingConfig(epochs, batchSize, learningRate, weightDecay, optimizer, d, seed, options);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(epochs, batchSize, learningRate, weightDecay, optimizer, device, s, options);
    }

    public TrainingConfig withOptions(Map<String, String> o) {
        return new TrainingConfig(epochs, batchSize, learningRate, weightDecay, optimizer, device, seed, o);
    }
}
