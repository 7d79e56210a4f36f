/**
 * Operator services: an {@link org.opforge.api.OperatorFactory} builds a
 * {@link org.opforge.api.TrainableOperator} from a configuration or a
 * {@link org.opforge.api.NeuralOperator} from a checkpoint. Bundles publish factories as Declarative
 * Services components and list them in {@code META-INF/services}, so {@link org.opforge.api.OpForge}
 * finds them on a plain class path too.
 */
package org.opforge.api;
