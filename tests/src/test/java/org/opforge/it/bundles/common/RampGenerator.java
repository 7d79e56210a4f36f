package org.opforge.it.bundles.common;

import java.util.List;
import java.util.Map;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.pde.DataGenerator;
import org.opforge.api.pde.GeneratorParameter;
import org.opforge.api.training.ProgressListener;
import org.opforge.tensor.Tensor;

/**
 * The data generator of the test bundles, problem "ramp": sample i is {@code y[i, k] = factor * (i + k)}
 * on {@code width} points, so a hot update that changes the factor shows up in the data.
 */
public final class RampGenerator implements DataGenerator {
    private final double factor;

    public RampGenerator(double factor) {
        this.factor = factor;
    }

    @Override public String name() { return "ramp"; }

    @Override public String description() { return "test ramp: y[i, k] = " + factor + " (i + k)"; }

    @Override
    public List<GeneratorParameter> parameters() {
        return List.of(new GeneratorParameter("width", "int", 4, "points per sample", ">= 1"));
    }

    @Override
    public int check(Map<String, ?> parameters, int samples) {
        for (String k : parameters.keySet()) {
            if (!k.equals("width")) throw new IllegalArgumentException("problem 'ramp' has no parameter '" + k + "'; its parameters are [width]");
        }
        if (samples < 1) throw new IllegalArgumentException("sample count must be positive, got " + samples);
        return samples;
    }

    @Override
    public DatasetContent generate(Map<String, ?> parameters, int samples, long seed, int threads, ProgressListener listener) {
        check(parameters, samples);
        int width = parameters.containsKey("width") ? Integer.parseInt(parameters.get("width").toString()) : 4;
        float[] y = new float[samples * width];
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < width; k++) y[i * width + k] = (float) (factor * (i + k));
            if (listener != null) listener.onStep(i + 1, samples);
        }
        return new DatasetContent(Map.of("y", Tensor.of(y, samples, width)), Map.of(),
                Map.of("problem", "ramp", "samples", samples, "factor", factor), false);
    }
}
