package org.opforge.operators.dgno;

import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;
import org.opforge.operators.dgno.models.DgnoOperator;
import org.osgi.service.component.annotations.Component;

/**
 * The "dgno" operator factory, a Declarative Services component and a {@link java.util.ServiceLoader}
 * provider of {@link OperatorFactory}. Configuration keys and defaults: {@link DgnoSchemas}.
 */
@Component(service = OperatorFactory.class, immediate = true, property = "opforge.operator=dgno")
public final class DgnoFactory implements OperatorFactory {
    private static final ConfigSchema SCHEMA = DgnoSchemas.dgno();

    @Override public String name() { return DgnoOperator.NAME; }

    @Override public String description() {
        return "DGNO (Zang, Koutsourelakis 2025): physics-aware operator trained without solution labels (weak-form residual), "
                + "with a generative model of its input";
    }

    @Override public ConfigSchema configSchema() { return SCHEMA; }

    @Override public TrainableOperator create(Map<String, ?> config, long seed) {
        return DgnoOperator.create(config, seed);
    }

    @Override public NeuralOperator load(Checkpoint checkpoint) {
        return DgnoOperator.load(checkpoint);
    }
}
