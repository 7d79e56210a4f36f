package org.opforge.api;

import java.util.Map;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;

/**
 * Makes operators of one family ("fno", "deeponet"). Published by an operator bundle as a
 * Declarative Services component ({@code immediate = true}) and listed in
 * {@code META-INF/services/org.opforge.api.OperatorFactory} for use without OSGi.
 * Implementations are stateless and thread-safe.
 */
public interface OperatorFactory {

    /** Unique short name, lower case ("fno", "tfno", "deeponet"); the key users select the family by. */
    String name();

    /** One line for listings. */
    String description();

    /** The architecture parameters {@link #create} accepts, with defaults. */
    ConfigSchema configSchema();

    /**
     * A new, untrained operator.
     *
     * @param config architecture parameters; absent ones take the schema's defaults, unknown keys are rejected
     * @param seed   initializes the weights: the same config and seed give the same operator
     * @throws IllegalArgumentException naming the offending parameter
     */
    TrainableOperator create(Map<String, ?> config, long seed);

    /**
     * Rebuilds a trained operator from a checkpoint written by {@link NeuralOperator#toCheckpoint()}
     * of this family.
     *
     * @throws IllegalArgumentException when the checkpoint belongs to another family or lacks a tensor
     */
    NeuralOperator load(Checkpoint checkpoint);
}
