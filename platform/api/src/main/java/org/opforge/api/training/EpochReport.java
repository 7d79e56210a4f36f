package org.opforge.api.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state after one epoch.
 *
 * @param epoch          1-based epoch just finished
 * @param epochs         epochs planned
 * @param trainLoss      mean training loss over the epoch's batches
 * @param validationLoss loss on the validation set, {@code NaN} when there is none or it was not
 *                       evaluated this epoch
 * @param seconds        wall time of the epoch
 * @param metrics        further validation measures a model reports besides the loss (e.g. DGNO's
 *                       {@code input_relative_l2}, the relative L2 of its reconstructed input), by
 *                       name in the model's order; empty when none or not evaluated this epoch
 */
public record EpochReport(int epoch, int epochs, double trainLoss, double validationLoss, double seconds, Map<String, Double> metrics) {
    public EpochReport {
        if (epoch < 1 || epoch > epochs) throw new IllegalArgumentException("epoch " + epoch + " outside 1.." + epochs);
        metrics = metrics.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A report without further validation measures. */
    public EpochReport(int epoch, int epochs, double trainLoss, double validationLoss, double seconds) {
        this(epoch, epochs, trainLoss, validationLoss, seconds, Map.of());
    }
}
