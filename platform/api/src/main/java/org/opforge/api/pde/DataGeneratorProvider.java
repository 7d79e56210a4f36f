package org.opforge.api.pde;

import java.util.List;

/**
 * The data generators of one bundle, published as one service (Declarative Services, and
 * {@code META-INF/services} for {@link java.util.ServiceLoader} without OSGi), so that a bundle
 * whose problems are listed in code offers every one of them through a single component. A hot
 * update of the bundle replaces the service and with it every generator.
 */
public interface DataGeneratorProvider {

    /** The generators, each with a name unique within this provider. */
    List<DataGenerator> generators();
}
