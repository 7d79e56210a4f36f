package org.opforge.operators.fno;

import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;
import org.opforge.operators.fno.models.GinoOperator;
import org.osgi.service.component.annotations.Component;

/**
 * The "gino" operator factory (geometry-informed neural operator: GNO encoder, the FNO family's
 * blocks on a latent grid, GNO decoder), a Declarative Services component and a
 * {@link java.util.ServiceLoader} provider of {@link OperatorFactory}. Keys: {@link GinoSchemas}.
 */
@Component(service = OperatorFactory.class, immediate = true, property = "opforge.operator=gino")
public final class GinoFactory implements OperatorFactory {
    @Override public String name() { return GinoOperator.NAME; }

    @Override public String description() {
        return "geometry-informed neural operator (Li et al. 2023): point clouds -> GNO -> FNO on a latent grid -> GNO -> query points";
    }

    @Override public ConfigSchema configSchema() { return GinoSchemas.gino(); }

    @Override public TrainableOperator create(Map<String, ?> config, long seed) {
        return GinoOperator.create(config, seed);
    }

    @Override public NeuralOperator load(Checkpoint checkpoint) {
        return GinoOperator.load(checkpoint);
    }
}
