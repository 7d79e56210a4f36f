package org.opforge.api.training;

/**
 * The state after one epoch.
 *
 * @param epoch          1-based epoch just finished
 * @param epochs         epochs planned
 * @param trainLoss      mean training loss over the epoch's batches
 * @param validationLoss loss on the validation set, {@code NaN} when there is none
 * @param seconds        wall time of the epoch
 */
public record EpochReport(int epoch, int epochs, double trainLoss, double validationLoss, double seconds) {
    public EpochReport {
        if (epoch < 1 || epoch > epochs) throw new IllegalArgumentException("epoch " + epoch + " outside 1.." + epochs);
    }
}
