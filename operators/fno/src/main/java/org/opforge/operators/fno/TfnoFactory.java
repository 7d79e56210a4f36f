package org.opforge.operators.fno;

import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;
import org.opforge.operators.fno.models.FnoOperator;
import org.opforge.operators.fno.models.FnoVariant;
import org.osgi.service.component.annotations.Component;

/**
 * The "tfno" operator factory, a Declarative Services component and a {@link java.util.ServiceLoader}
 * provider of {@link OperatorFactory}. Configuration keys and defaults: {@link FnoSchemas}.
 */
@Component(service = OperatorFactory.class, immediate = true, property = "opforge.operator=tfno")
public final class TfnoFactory implements OperatorFactory {
    private static final FnoVariant VARIANT = FnoVariant.TFNO;

    @Override public String name() { return VARIANT.label(); }

    @Override public String description() { return VARIANT.description(); }

    @Override public ConfigSchema configSchema() { return VARIANT.schema(); }

    @Override public TrainableOperator create(Map<String, ?> config, long seed) {
        return FnoOperator.create(VARIANT, config, seed);
    }

    @Override public NeuralOperator load(Checkpoint checkpoint) {
        return FnoOperator.load(VARIANT, checkpoint);
    }
}
