package org.opforge.api.pde;

import java.util.List;
import java.util.Map;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.training.ProgressListener;

/**
 * Makes a data set of N samples of one problem: random inputs (coefficients, initial conditions,
 * sources) and the solutions of a PDE or ODE for them. Bundles publish their generators through a
 * {@link DataGeneratorProvider} service; the host reaches them only through these two interfaces.
 */
public interface DataGenerator {

    /** Unique short name ("darcy", "burgers", "navier-stokes"). */
    String name();

    /** One line for listings. */
    String description();

    /** The parameters {@link #generate} accepts, in a stable order, with defaults and ranges. */
    List<GeneratorParameter> parameters();

    /**
     * Does every check {@link #generate} does before its first sample, without making any.
     *
     * @param parameters by name; absent keys take defaults, unknown keys are rejected. Values are
     *                   strings (command line), numbers, booleans, or a {@code Tensor} for a
     *                   parameter of type {@code array}
     * @param samples    sample count (positive), or 0 to take the count given inputs impose
     * @return the number of samples that would be made
     * @throws IllegalArgumentException naming the parameter, what was expected and what was found
     */
    int check(Map<String, ?> parameters, int samples);

    /**
     * Validates as {@link #check} does, then generates. Sample {@code i} draws its randomness from
     * {@code seed} and {@code i} only, so the same parameters and seed give the same data for any
     * thread count.
     *
     * @param threads  worker threads (positive)
     * @param listener told after each sample ({@link ProgressListener#onStep}); may be null
     * @return per-sample fields (sample axis first, float32), grid coordinates, and attributes
     *         recording every parameter, the seed and the fields' roles ({@code input}, {@code target})
     */
    DatasetContent generate(Map<String, ?> parameters, int samples, long seed, int threads, ProgressListener listener);
}
