package org.opforge.solvers.generate;

import java.util.List;
import java.util.Map;

/**
 * A data-generating problem: a name, its parameters, and once they are validated, a
 * {@link Prepared} sampler. Preparing does every check, so bad parameters fail before any sample
 * is drawn.
 */
public interface Problem {
    String name();

    String description();

    List<ParameterSpec> parameters();

    /** Checks the parameters together (each was already range-checked) and builds the sampler. */
    Prepared prepare(Parameters parameters);

    /**
     * The heap {@link #prepare} allocates beyond arrays of the resolution's size (for example a dense
     * covariance factor growing with its square), checked before preparing; zero where it allocates
     * no such thing.
     */
    default long prepareBytes(Parameters parameters) {
        return 0;
    }

    /** A validated problem that makes samples. Must be thread-safe: samples are made in parallel. */
    interface Prepared {
        List<FieldSpec> fields();

        /** Grid coordinates shared by all samples ("x", "y", "t"). */
        Map<String, double[]> coordinates();

        /** Attributes beyond the parameters themselves (recipe, equation, grid layout). */
        Map<String, Object> attributes();

        /** The sample count the inputs impose (given coefficient fields), or -1 when the caller chooses. */
        default int fixedSamples() {
            return -1;
        }

        /**
         * Makes sample {@code index}, drawing randomness only from {@code seed}, and writes each field's values
         * (row-major, {@link FieldSpec#sampleSize()} of them) through {@code out}.
         */
        void sample(int index, long seed, SampleOutput out);
    }

    /** Receives one sample's fields. */
    interface SampleOutput {
        void put(String field, double[] values);
    }
}
