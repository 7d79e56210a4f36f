package org.opforge.api.pde;

import java.util.Map;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.training.ProgressListener;
import org.opforge.tensor.Tensor;

/**
 * Makes a data set of N samples: random inputs (coefficients, initial conditions, sources) and the
 * solutions of a PDE for them. Published as a service and listed in {@code META-INF/services}.
 */
public interface DataGenerator {

    /** Unique short name ("darcy2d", "burgers1d", "navier-stokes2d"). */
    String name();

    /** One line for listings. */
    String description();

    /** The parameters {@link #generate} accepts (resolution, viscosity, ...), with defaults. */
    ConfigSchema parameterSchema();

    /**
     * Generates {@code samples} samples.
     *
     * @param parameters as {@link #parameterSchema()} describes; absent keys take defaults, unknown keys are rejected
     * @param seed       the same parameters and seed give the same data, whatever the number of threads
     * @param listener   told after each sample
     * @return named fields in a stable order, each with the sample axis first ({@code "x": [N, 64, 64]},
     *         {@code "y": [N, 64, 64]}); fields shared by all samples (grid coordinates) have no sample axis
     */
    Map<String, Tensor> generate(Map<String, ?> parameters, int samples, long seed, ProgressListener listener);
}
