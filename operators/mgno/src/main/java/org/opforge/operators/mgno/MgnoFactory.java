package org.opforge.operators.mgno;

import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;
import org.opforge.operators.mgno.models.MgnoOperator;
import org.osgi.service.component.annotations.Component;

/**
 * The "mgno" operator factory, a Declarative Services component and a {@link java.util.ServiceLoader}
 * provider of {@link OperatorFactory}. Configuration keys and defaults: {@link MgnoSchemas}.
 */
@Component(service = OperatorFactory.class, immediate = true, property = "opforge.operator=mgno")
public final class MgnoFactory implements OperatorFactory {
    @Override public String name() { return MgnoOperator.NAME; }

    @Override public String description() {
        return "MgNO (He, Liu, Xu 2024): each layer a learned multi-channel V-cycle of 3x3 convolutions; boundary conditions "
                + "through the padding; tied to its training grid";
    }

    @Override public ConfigSchema configSchema() { return MgnoSchemas.mgno(); }

    @Override public TrainableOperator create(Map<String, ?> config, long seed) {
        return MgnoOperator.create(config, seed);
    }

    @Override public NeuralOperator load(Checkpoint checkpoint) {
        return MgnoOperator.load(checkpoint);
    }
}
