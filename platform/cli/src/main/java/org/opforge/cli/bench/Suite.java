package org.opforge.cli.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A benchmark suite as read from its YAML file by {@link SuiteLoader}: data sets, operators, the
 * training settings they share, the metrics and the limits. {@link #entries()} expands it to the
 * runs (operator x data x seed) in file order.
 *
 * @param training     config keys (epochs, batch_size, lr, ...) applied to every operator before its own config
 * @param seed         first seed; repetition r uses {@code seed + r}
 * @param device       "cpu", "cuda" or null for each operator's config
 * @param measures     the metrics the report's table and plots show (all are computed)
 * @param plotSamples  test samples drawn as predicted / true / error fields per run
 * @param timeBudget   seconds per run (training), or null
 * @param pairProblems why an operator cannot run on a data set, keyed {@code operator + "|" + data}
 * @param warnings     the problems of single entries found on load (file:line: key: message), in file order
 */
public record Suite(Path file, String name, String description, List<DataSet> data, List<OperatorSpec> operators,
                    Map<String, Object> training, long seed, int repetitions, String device, List<String> measures,
                    int plotSamples, Double timeBudget, Map<String, String> pairProblems, List<String> warnings) {
    public Suite {
        data = List.copyOf(data);
        operators = List.copyOf(operators);
        training = Map.copyOf(training);
        measures = List.copyOf(measures);
        pairProblems = Map.copyOf(pairProblems);
        warnings = List.copyOf(warnings);
    }

    /** The metric names a suite may list. */
    public static final List<String> MEASURES = List.of("relative_l2", "h1", "mse");

    /**
     * A data set: files, or a generator whose files {@link BenchRunner} writes first.
     *
     * @param train        training file; null until a generated set is written
     * @param validation   per-epoch validation set; empty for none (defaults to the first test file)
     * @param trainSamples first training samples to use, 0 for all
     */
    public record DataSet(String name, Path train, List<OperatorRun.TestInput> tests, Optional<OperatorRun.TestInput> validation,
                          int trainSamples, Optional<Generator> generator) {
        public DataSet {
            Objects.requireNonNull(name, "name");
            tests = List.copyOf(tests);
        }
    }

    /**
     * Data made by a pde-solvers problem.
     *
     * @param testParameters one test file per entry, made with these parameters over {@code parameters}
     *                       (e.g. {@code {resolution: 64}}, or {@code {subsample: 15}} for Darcy fields solved
     *                       on the training grid); empty for one test file with the training parameters. Every
     *                       test file draws its samples from the same seed, so they hold the same functions.
     */
    public record Generator(String problem, Map<String, Object> parameters, int trainSamples, int testSamples,
                            List<Map<String, Object>> testParameters, long seed) {
        public Generator {
            parameters = Map.copyOf(parameters);
            testParameters = testParameters.stream().map(Map::copyOf).toList();
        }
    }

    /**
     * One operator configuration.
     *
     * @param name    label in results ("fno-small"); unique in the suite
     * @param factory operator factory name
     * @param config  config keys over the suite's training keys
     * @param data    the data sets it runs on (all when the suite does not say)
     * @param problem why none of its runs can start (unknown operator, a config value it rejects), or null
     */
    public record OperatorSpec(String name, String factory, Map<String, Object> config, List<String> data, String problem) {
        public OperatorSpec {
            config = Map.copyOf(config);
            data = List.copyOf(data);
        }
    }

    /**
     * One run.
     *
     * @param problem why it cannot start (found when the suite was loaded), or null
     */
    public record Entry(OperatorSpec operator, DataSet data, long seed, int repetition, String problem) {
        /** File-name-safe id, unique in the suite: {@code operator__data__sSEED}. */
        public String id() {
            return operator.name() + "__" + data.name() + "__s" + seed;
        }
    }

    /** Every run, operators outermost, then data sets, then seeds. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (OperatorSpec op : operators) {
            for (DataSet d : data) {
                if (!op.data().contains(d.name())) continue;
                String problem = op.problem() != null ? op.problem() : pairProblems.get(op.name() + "|" + d.name());
                for (int r = 0; r < repetitions; r++) out.add(new Entry(op, d, seed + r, r, problem));
            }
        }
        return out;
    }

    /** The same suite with the data sets replaced (generated files filled in). */
    public Suite withData(List<DataSet> newData) {
        return new Suite(file, name, description, newData, operators, training, seed, repetitions, device, measures, plotSamples, timeBudget,
                pairProblems, warnings);
    }
}
