package org.opforge.solvers.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.pde.DataGenerator;
import org.opforge.api.pde.GeneratorParameter;
import org.opforge.api.training.ProgressListener;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.solvers.generate.ParameterSpec;
import org.opforge.solvers.generate.Problem;
import org.opforge.tensor.Tensor;

/**
 * One {@link Problem} of {@link DataGeneration} as the API's {@link DataGenerator}: the host's
 * values (strings, numbers, a {@link Tensor} for an array parameter) go to the problem's own
 * parameter parsing, and the generated arrays come back as tensors ready to write.
 */
final class ProblemGenerator implements DataGenerator {
    private final Problem problem;

    ProblemGenerator(Problem problem) {
        this.problem = problem;
    }

    @Override public String name() { return problem.name(); }

    @Override public String description() { return problem.description(); }

    @Override
    public List<GeneratorParameter> parameters() {
        return problem.parameters().stream().map(s -> new GeneratorParameter(s.name(), s.type().name().toLowerCase(Locale.ROOT),
                s.defaultValue(), s.description(), s.range())).toList();
    }

    @Override
    public int check(Map<String, ?> parameters, int samples) {
        return DataGeneration.check(problem.name(), values(parameters), samples);
    }

    @Override
    public DatasetContent generate(Map<String, ?> parameters, int samples, long seed, int threads, ProgressListener listener) {
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        GeneratedData data = DataGeneration.generate(problem.name(), values(parameters), samples, seed, threads,
                (done, total) -> progress.onStep(done, total));
        Map<String, Tensor> fields = new LinkedHashMap<>();
        for (GeneratedData.Field f : data.fields()) fields.put(f.name(), Tensor.of(f.data(), f.shape()));
        Map<String, Tensor> coords = new LinkedHashMap<>();
        data.coordinates().forEach((k, v) -> coords.put(k, Tensor.of(v, v.length)));
        return new DatasetContent(fields, coords, data.attributes(), false);
    }

    /** Tensors given for array parameters become the problem's {@link ParameterSpec.ArrayValue}. */
    private static Map<String, Object> values(Map<String, ?> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        given.forEach((k, v) -> out.put(k, v instanceof Tensor t ? new ParameterSpec.ArrayValue(t.toDoubleArray(), t.shape()) : v));
        return out;
    }

    @Override
    public String toString() {
        return "DataGenerator[" + problem.name() + "]";
    }
}
