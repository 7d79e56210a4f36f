package org.opforge.it.bundles.ramp.v2;

import java.util.List;
import org.opforge.api.pde.DataGenerator;
import org.opforge.api.pde.DataGeneratorProvider;
import org.opforge.it.bundles.common.RampGenerator;
import org.osgi.service.component.annotations.Component;

/** Version 2 of the hot-updated generator bundle: problem "ramp" with factor 2. */
@Component(service = DataGeneratorProvider.class, immediate = true)
public class RampGenerators implements DataGeneratorProvider {
    @Override
    public List<DataGenerator> generators() {
        return List.of(new RampGenerator(2));
    }
}
