package org.opforge.solvers.service;

import java.util.List;
import org.opforge.api.pde.DataGenerator;
import org.opforge.api.pde.DataGeneratorProvider;
import org.opforge.solvers.generate.DataGeneration;
import org.osgi.service.component.annotations.Component;

/**
 * Every problem of {@link DataGeneration#problems()} as a {@link DataGenerator}: the bundle's one
 * Declarative Services component, and the {@link java.util.ServiceLoader} provider of the same
 * interface without OSGi. A problem added to that list is offered to the host with no other step.
 */
@Component(service = DataGeneratorProvider.class, property = "opforge.service=pde-solvers")
public final class ProblemGenerators implements DataGeneratorProvider {

    public ProblemGenerators() {}

    @Override
    public List<DataGenerator> generators() {
        return DataGeneration.problems().values().stream().<DataGenerator>map(ProblemGenerator::new).toList();
    }
}
