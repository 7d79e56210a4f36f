package org.opforge.operators.deeponet;

import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;

/**
 * Common part of the DeepONet-family factories: one per {@link Family} member, each published as a
 * Declarative Services component and listed in {@code META-INF/services} for use without OSGi.
 * Stateless.
 */
public abstract class FamilyFactory implements OperatorFactory {
    private final Family family;
    private final ConfigSchema schema;

    protected FamilyFactory(Family family) {
        this.family = family;
        this.schema = family.schema();
    }

    public Family family() { return family; }

    @Override public String name() { return family.factoryName(); }

    @Override public String description() { return family.description(); }

    @Override public ConfigSchema configSchema() { return schema; }

    @Override public TrainableOperator create(Map<String, ?> config, long seed) {
        return DeepOnetOperator.create(family, config, seed);
    }

    @Override public NeuralOperator load(Checkpoint checkpoint) {
        return DeepOnetOperator.load(family, checkpoint);
    }
}
