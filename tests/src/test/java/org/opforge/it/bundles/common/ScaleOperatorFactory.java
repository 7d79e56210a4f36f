package org.opforge.it.bundles.common;

import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;

/**
 * The family of the test bundles: {@code y = factor * x}. Each test bundle subclasses it with its own
 * name, default factor and description, so a hot swap shows up as a different output.
 */
public abstract class ScaleOperatorFactory implements OperatorFactory {
    private final String[] nameAndDescription;
    private final ConfigSchema schema;

    protected ScaleOperatorFactory(String name, double defaultFactor, String description) {
        nameAndDescription = new String[] {name, description};
        schema = ConfigSchema.of(ConfigParameter.number("factor", defaultFactor, "the scale applied to every input value"));
    }

    @Override public String name() { return nameAndDescription[0]; }

    @Override public String description() { return nameAndDescription[1]; }

    @Override public ConfigSchema configSchema() { return schema; }

    @Override
    public TrainableOperator create(Map<String, ?> config, long seed) {
        return new ScaleOperator(name(), schema.resolve(config).getDouble("factor"));
    }

    @Override
    public NeuralOperator load(Checkpoint checkpoint) {
        String family = checkpoint.attribute(NeuralOperator.OPERATOR_ATTRIBUTE);
        if (!family.equals(name())) {
            throw new IllegalArgumentException("checkpoint of operator '" + family + "' given to factory '" + name() + "'");
        }
        return new ScaleOperator(name(), checkpoint.tensor(ScaleOperator.WEIGHT).item());
    }
}
