package org.opforge.cli.bench;

import org.opforge.api.io.IoErrors;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.opforge.api.OperatorFactory;
import org.opforge.api.config.Config;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.pde.DataGenerator;
import org.opforge.training.SupervisedTrainer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads and validates a suite file before anything runs. Every problem is collected and reported
 * as {@code file:line: key: message}: YAML syntax, an unknown key, a missing or wrong-typed value,
 * a file that does not exist or is not a data set, an unknown operator, a config key an operator
 * does not declare or a value it rejects, a data field the operator would read that the file
 * lacks, generator parameters the problem rejects. Relative paths are tried against the suite
 * file's directory, its parent (the repository root for the shipped suites) and the working directory.
 *
 * <p>The format (see benchmark-suites/README.md):
 * <pre>
 * name: quickstart
 * description: ...
 * data:
 *   - name: darcy16
 *     train: data/darcy_train_16.h5
 *     test: [data/darcy_test_16.h5, {file: data/darcy_test_16.h5, subsample: 2}]
 *     train_samples: 200
 *   - name: ns
 *     generate: {problem: navier-stokes, parameters: {resolution: 32}, train_samples: 100, test_samples: 20,
 *                test_resolutions: [32, 64], seed: 0}
 *   - name: darcy
 *     generate: {problem: darcy, parameters: {resolution: 466, subsample: 31}, train_samples: 1000, test_samples: 200,
 *                test_parameters: [{subsample: 31}, {subsample: 15}]}
 * operators:
 *   - {name: fno, factory: fno, config: {modes: 8}, data: [darcy16]}
 * training: {epochs: 20, batch_size: 20, lr: 1e-3, scheduler: cosine, seed: 0, repetitions: 1, device: cpu}
 * metrics: {measures: [relative_l2, h1, mse], plot_samples: 2}
 * limits: {time_budget_s: 120}
 * </pre>
 */
public final class SuiteLoader {
    private static final Set<String> TOP = Set.of("name", "description", "data", "operators", "training", "metrics", "limits");
    private static final Set<String> DATA = Set.of("name", "train", "test", "validation", "train_samples", "test_samples", "generate");
    private static final Set<String> TEST = Set.of("file", "subsample", "samples");
    private static final Set<String> GENERATE = Set.of("problem", "parameters", "train_samples", "test_samples", "test_resolutions", "test_parameters",
            "seed");
    private static final Set<String> OPERATOR = Set.of("name", "factory", "config", "data");
    /** Training keys handled by the runner; the others are config keys of every operator. */
    private static final Set<String> RUNNER_TRAINING = Set.of("seed", "repetitions", "device");
    private static final Set<String> TRAINING = Set.of("epochs", "batch_size", "lr", "weight_decay", "optimizer", "scheduler", "loss",
            "normalize", SupervisedTrainer.LOSS_REDUCTION, SupervisedTrainer.VALIDATION_SPLIT, SupervisedTrainer.SELECT_BEST, "seed", "repetitions", "device");
    private static final Set<String> METRICS = Set.of("measures", "plot_samples");
    private static final Set<String> LIMITS = Set.of("time_budget_s");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final OperatorCatalog catalog;
    private final Map<String, Object> overrides;
    private final List<Path> bases = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> pairProblems = new LinkedHashMap<>();
    private String fileLabel;

    private SuiteLoader(OperatorCatalog catalog, Map<String, Object> overrides) {
        this.catalog = catalog;
        this.overrides = new LinkedHashMap<>(overrides);
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws SuiteException listing every problem found
     */
    public static Suite load(Path file, OperatorCatalog catalog) {
        return load(file, catalog, Map.of());
    }

    /**
     * Reads and validates {@code file}, then sets {@code overrides} (config keys, e.g. {@code epochs}
     * for a smoke test) in every operator's config over the file's values.
     *
     * @throws SuiteException listing every problem found
     */
    public static Suite load(Path file, OperatorCatalog catalog, Map<String, Object> overrides) {
        return new SuiteLoader(catalog, overrides).read(file);
    }

    private Suite read(Path file) {
        fileLabel = file.toString();
        String unreadable = IoErrors.unreadable(file);
        if (unreadable != null) throw new SuiteException(List.of(file + ": suite file: " + unreadable));
        Path dir = file.toAbsolutePath().normalize().getParent();
        bases.add(dir);
        if (dir.getParent() != null) bases.add(dir.getParent());
        bases.add(Path.of("").toAbsolutePath());
        Node root;
        try (Reader r = Files.newBufferedReader(file)) {
            root = new Yaml(new LoaderOptions()).compose(r);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new SuiteException(List.of(fileLabel + ":" + (m == null ? "?" : m.getLine() + 1) + ": YAML syntax: " + e.getProblem()));
        } catch (YAMLException | IOException e) {
            throw new SuiteException(List.of(fileLabel + ": cannot read: " + e.getMessage()));
        }
        if (root == null) throw new SuiteException(List.of(fileLabel + ": the suite file is empty"));
        Map<String, Node> top = mapping(root, "", TOP);
        if (top == null) throw new SuiteException(errors);

        String name = top.containsKey("name") ? string(top.get("name"), "name") : null;
        if (name == null && !top.containsKey("name")) error(root, "name", "missing (the suite's name)");
        if (name != null && !NAME.matcher(name).matches()) error(top.get("name"), "name", "expected letters, digits, '_', '.', '-', found '" + name + "'");
        String description = top.containsKey("description") ? string(top.get("description"), "description") : "";

        // training
        Map<String, Object> trainingConfig = new LinkedHashMap<>();
        Map<String, Node> trainingNodes = new LinkedHashMap<>();
        long seed = 0;
        int repetitions = 1;
        String device = null;
        if (top.containsKey("training")) {
            Map<String, Node> t = mapping(top.get("training"), "training", TRAINING);
            if (t != null) {
                for (Map.Entry<String, Node> e : t.entrySet()) {
                    String key = "training." + e.getKey();
                    switch (e.getKey()) {
                        case "seed" -> { Long s = longValue(e.getValue(), key, 0); if (s != null) seed = s; }
                        case "repetitions" -> { Long r = longValue(e.getValue(), key, 1); if (r != null) repetitions = r.intValue(); }
                        case "device" -> {
                            String d = string(e.getValue(), key);
                            if (d != null && !d.toLowerCase(Locale.ROOT).matches("cpu|cuda(:[0-9]+)?")) error(e.getValue(), key, "expected cpu, cuda or cuda:N, found '" + d + "'");
                            else device = d;
                        }
                        default -> {
                            Object v = plain(e.getValue(), key);
                            if (v != null) {
                                trainingConfig.put(e.getKey(), v);
                                trainingNodes.put(e.getKey(), e.getValue());
                            }
                        }
                    }
                }
            }
        }

        // metrics and limits
        List<String> measures = Suite.MEASURES;
        int plotSamples = 2;
        if (top.containsKey("metrics")) {
            Map<String, Node> m = mapping(top.get("metrics"), "metrics", METRICS);
            if (m != null && m.containsKey("measures")) {
                List<String> ms = new ArrayList<>();
                for (Node n : sequence(m.get("measures"), "metrics.measures", true)) {
                    String s = string(n, "metrics.measures");
                    if (s == null) continue;
                    if (!Suite.MEASURES.contains(s)) error(n, "metrics.measures", "unknown metric '" + s + "'; known: " + String.join(", ", Suite.MEASURES));
                    else ms.add(s);
                }
                if (!ms.isEmpty()) measures = ms;
            }
            if (m != null && m.containsKey("plot_samples")) {
                Long p = longValue(m.get("plot_samples"), "metrics.plot_samples", 0);
                if (p != null && p > 8) error(m.get("plot_samples"), "metrics.plot_samples", "expected at most 8, found " + p);
                else if (p != null) plotSamples = p.intValue();
            }
        }
        Double budget = null;
        if (top.containsKey("limits")) {
            Map<String, Node> l = mapping(top.get("limits"), "limits", LIMITS);
            if (l != null && l.containsKey("time_budget_s")) {
                Double b = number(l.get("time_budget_s"), "limits.time_budget_s");
                if (b != null && !(b > 0)) error(l.get("time_budget_s"), "limits.time_budget_s", "expected a positive number of seconds, found " + b);
                else budget = b;
            }
        }

        // data
        List<Suite.DataSet> data = new ArrayList<>();
        Map<String, Node> dataNodes = new LinkedHashMap<>();
        if (!top.containsKey("data")) error(root, "data", "missing (a list of data sets)");
        else {
            List<Node> items = sequence(top.get("data"), "data", false);
            for (int i = 0; i < items.size(); i++) {
                Suite.DataSet d = dataSet(items.get(i), "data[" + i + "]");
                if (d == null) continue;
                if (dataNodes.containsKey(d.name())) error(items.get(i), "data[" + i + "].name", "duplicate data set name '" + d.name() + "'");
                else {
                    dataNodes.put(d.name(), items.get(i));
                    data.add(d);
                }
            }
        }

        // operators
        List<Suite.OperatorSpec> operators = new ArrayList<>();
        Map<String, Node> operatorNodes = new LinkedHashMap<>();
        if (!top.containsKey("operators")) error(root, "operators", "missing (a list of operators)");
        else {
            List<Node> items = sequence(top.get("operators"), "operators", false);
            for (int i = 0; i < items.size(); i++) {
                String key = "operators[" + i + "]";
                Suite.OperatorSpec op = operator(items.get(i), key, dataNodes.keySet(), trainingConfig, trainingNodes);
                if (op == null) continue;
                if (operatorNodes.containsKey(op.name())) {
                    error(items.get(i), key + ".name", "duplicate operator name '" + op.name() + "' (give each a distinct name)");
                    continue;
                }
                operatorNodes.put(op.name(), items.get(i));
                operators.add(op);
            }
        }

        // every (operator, data) pair: the resolved config and the fields it reads
        if (errors.isEmpty()) {
            for (Suite.OperatorSpec op : operators) {
                if (op.problem() != null) continue;
                for (Suite.DataSet d : data) {
                    if (!op.data().contains(d.name())) continue;
                    String p = checkPair(op, operatorNodes.get(op.name()), d, trainingConfig, seed, device, budget);
                    if (p != null) pairProblems.put(op.name() + "|" + d.name(), p);
                }
            }
        }
        if (!errors.isEmpty()) throw new SuiteException(errors);
        return new Suite(file, name, description, data, operators, trainingConfig, seed, repetitions, device, measures, plotSamples, budget,
                pairProblems, warnings);
    }

    private Suite.DataSet dataSet(Node node, String key) {
        Map<String, Node> m = mapping(node, key, DATA);
        if (m == null) return null;
        String name = m.containsKey("name") ? string(m.get("name"), key + ".name") : null;
        if (!m.containsKey("name")) error(node, key + ".name", "missing (the data set's name)");
        else if (name != null && !NAME.matcher(name).matches()) {
            error(m.get("name"), key + ".name", "expected letters, digits, '_', '.', '-', found '" + name + "'");
        }
        boolean hasTrain = m.containsKey("train"), hasGen = m.containsKey("generate");
        if (hasTrain == hasGen) {
            error(node, key, hasTrain ? "give either 'train' (a file) or 'generate', not both" : "missing 'train' (a file) or 'generate' (a generator)");
            return null;
        }
        int trainSamples = 0, testSamples = 0;
        if (m.containsKey("train_samples")) { Long v = longValue(m.get("train_samples"), key + ".train_samples", 1); if (v != null) trainSamples = v.intValue(); }
        if (m.containsKey("test_samples")) { Long v = longValue(m.get("test_samples"), key + ".test_samples", 1); if (v != null) testSamples = v.intValue(); }
        Path train = null;
        List<OperatorRun.TestInput> tests = new ArrayList<>();
        Optional<Suite.Generator> generator = Optional.empty();
        if (hasTrain) {
            train = dataFile(m.get("train"), key + ".train");
            if (m.containsKey("test")) {
                Node t = m.get("test");
                List<Node> items = t instanceof SequenceNode s ? s.getValue() : List.of(t);
                for (int i = 0; i < items.size(); i++) {
                    OperatorRun.TestInput ti = testInput(items.get(i), key + ".test[" + i + "]", testSamples);
                    if (ti != null) tests.add(ti);
                }
            }
        } else {
            if (m.containsKey("test")) error(m.get("test"), key + ".test", "generated data sets make their own test files (use generate.test_resolutions)");
            generator = Optional.ofNullable(generator(m.get("generate"), key + ".generate"));
        }
        Optional<OperatorRun.TestInput> validation = tests.isEmpty() ? Optional.empty() : Optional.of(tests.get(0));
        if (m.containsKey("validation")) {
            Node v = m.get("validation");
            if (v instanceof ScalarNode s && (s.getValue().equals("none") || s.getTag().equals(Tag.NULL))) validation = Optional.empty();
            else validation = Optional.ofNullable(testInput(v, key + ".validation", testSamples));
        }
        if (name == null) return null;
        return new Suite.DataSet(name, train, tests, validation, trainSamples, generator);
    }

    private OperatorRun.TestInput testInput(Node node, String key, int samples) {
        if (node instanceof ScalarNode) {
            Path f = dataFile(node, key);
            return f == null ? null : new OperatorRun.TestInput(f, 1, samples);
        }
        Map<String, Node> m = mapping(node, key, TEST);
        if (m == null) return null;
        if (!m.containsKey("file")) {
            error(node, key + ".file", "missing");
            return null;
        }
        Path f = dataFile(m.get("file"), key + ".file");
        int sub = 1;
        if (m.containsKey("subsample")) { Long v = longValue(m.get("subsample"), key + ".subsample", 1); if (v != null) sub = v.intValue(); }
        if (m.containsKey("samples")) { Long v = longValue(m.get("samples"), key + ".samples", 1); if (v != null) samples = v.intValue(); }
        return f == null ? null : new OperatorRun.TestInput(f, sub, samples);
    }

    private Suite.Generator generator(Node node, String key) {
        Map<String, Node> m = mapping(node, key, GENERATE);
        if (m == null) return null;
        String problem = m.containsKey("problem") ? string(m.get("problem"), key + ".problem") : null;
        Map<String, DataGenerator> generators = catalog.generators();
        if (!m.containsKey("problem")) error(node, key + ".problem", "missing; problems: " + generators.keySet());
        if (problem != null && !generators.containsKey(problem)) {
            error(m.get("problem"), key + ".problem", "unknown problem '" + problem + "'; problems: "
                    + (generators.isEmpty() ? "none (" + catalog.where() + ")" : String.join(", ", generators.keySet())));
            problem = null;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        if (m.containsKey("parameters")) {
            Map<String, Node> p = mapping(m.get("parameters"), key + ".parameters", null);
            if (p != null) p.forEach((k, v) -> { Object o = plain(v, key + ".parameters." + k); if (o != null) params.put(k, o); });
        }
        Long trainN = m.containsKey("train_samples") ? longValue(m.get("train_samples"), key + ".train_samples", 1) : null;
        if (!m.containsKey("train_samples")) error(node, key + ".train_samples", "missing (number of training samples to generate)");
        Long testN = m.containsKey("test_samples") ? longValue(m.get("test_samples"), key + ".test_samples", 1) : null;
        if (!m.containsKey("test_samples")) error(node, key + ".test_samples", "missing (number of test samples to generate)");
        List<Map<String, Object>> tests = new ArrayList<>();
        String testsKey = m.containsKey("test_parameters") ? "test_parameters" : "test_resolutions";
        if (m.containsKey("test_resolutions") && m.containsKey("test_parameters")) {
            error(m.get("test_parameters"), key + ".test_parameters", "give test_resolutions or test_parameters, not both");
        } else if (m.containsKey("test_resolutions")) {
            for (Node r : sequence(m.get("test_resolutions"), key + ".test_resolutions", true)) {
                Long v = longValue(r, key + ".test_resolutions", 1);
                if (v != null) tests.add(Map.of("resolution", v.intValue()));
            }
        } else if (m.containsKey("test_parameters")) {
            int i = 0;
            for (Node t : sequence(m.get("test_parameters"), key + ".test_parameters", false)) {
                String at = key + ".test_parameters[" + i++ + "]";
                Map<String, Node> p = mapping(t, at, null);
                if (p == null) continue;
                Map<String, Object> over = new LinkedHashMap<>();
                p.forEach((k, v) -> { Object o = plain(v, at + "." + k); if (o != null) over.put(k, o); });
                tests.add(over);
            }
        }
        long seed = 0;
        if (m.containsKey("seed")) { Long s = longValue(m.get("seed"), key + ".seed", 0); if (s != null) seed = s; }
        if (problem == null || trainN == null || testN == null) return null;
        try {
            generators.get(problem).check(params, trainN.intValue());
        } catch (IllegalArgumentException e) {
            error(m.containsKey("parameters") ? m.get("parameters") : node, key + ".parameters", e.getMessage());
            return null;
        }
        for (int i = 0; i < tests.size(); i++) {
            Map<String, Object> at = new LinkedHashMap<>(params);
            at.putAll(tests.get(i));
            try {
                generators.get(problem).check(at, testN.intValue());
            } catch (IllegalArgumentException e) {
                error(m.get(testsKey), key + "." + testsKey + "[" + i + "]", e.getMessage());
            }
        }
        return new Suite.Generator(problem, params, trainN.intValue(), testN.intValue(), tests, seed);
    }

    private Suite.OperatorSpec operator(Node node, String key, Set<String> dataNames, Map<String, Object> training,
                                        Map<String, Node> trainingNodes) {
        Map<String, Node> m = mapping(node, key, OPERATOR);
        if (m == null) return null;
        if (!m.containsKey("factory")) {
            error(node, key + ".factory", "missing; known operators: " + String.join(", ", catalog.names()));
            return null;
        }
        String factory = string(m.get("factory"), key + ".factory");
        if (factory == null) return null;
        String name = m.containsKey("name") ? string(m.get("name"), key + ".name") : factory;
        if (name != null && !NAME.matcher(name).matches()) {
            error(m.get("name"), key + ".name", "expected letters, digits, '_', '.', '-', found '" + name + "'");
            return null;
        }
        List<String> data = new ArrayList<>(dataNames);
        if (m.containsKey("data")) {
            data.clear();
            Node d = m.get("data");
            for (Node n : d instanceof SequenceNode ? sequence(d, key + ".data", true) : List.of(d)) {
                String s = string(n, key + ".data");
                if (s == null) continue;
                if (!dataNames.contains(s)) error(n, key + ".data", "unknown data set '" + s + "'; data sets: " + String.join(", ", dataNames));
                else data.add(s);
            }
        }
        if (name == null) return null;
        if (!catalog.has(factory)) {
            // an entry that cannot run: reported now, recorded as failed, and the other entries still run
            List<String> names = catalog.names();
            String p = problem(m.get("factory"), key + ".factory", "unknown operator '" + factory + "'; known operators: "
                    + (names.isEmpty() ? "none (" + catalog.where() + ")" : String.join(", ", names)));
            return new Suite.OperatorSpec(name, factory, Map.of(), data, p);
        }
        ConfigSchema schema = catalog.factory(factory).configSchema();
        String firstProblem = null;
        // the suite's training keys must mean something to every operator that runs
        for (Map.Entry<String, Object> e : training.entrySet()) {
            String p = null;
            if (!schema.names().contains(e.getKey())) {
                p = problem(trainingNodes.get(e.getKey()), "training." + e.getKey(), "operator '" + factory + "' (" + key
                        + ") has no key '" + e.getKey() + "'; its keys: " + String.join(", ", schema.names()));
            } else {
                try {
                    RunConfig.check(factory, schema, "value", e.getKey(), e.getValue());
                } catch (IllegalArgumentException ex) {
                    p = problem(trainingNodes.get(e.getKey()), "training." + e.getKey(), ex.getMessage().replaceFirst("^value: ", ""));
                }
            }
            if (firstProblem == null) firstProblem = p;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        if (m.containsKey("config")) {
            Map<String, Node> c = flatMapping(m.get("config"), key + ".config");
            for (Map.Entry<String, Node> e : c.entrySet()) {
                String k = key + ".config." + e.getKey();
                Object v = plain(e.getValue(), k);
                if (v == null) continue;
                try {
                    RunConfig.check(factory, schema, "value", e.getKey(), v);
                    config.put(e.getKey(), v);
                } catch (IllegalArgumentException ex) {
                    String p = problem(e.getValue(), k, ex.getMessage().replaceFirst("^value: ", ""));
                    if (firstProblem == null) firstProblem = p;
                }
            }
        }
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            try {
                RunConfig.check(factory, schema, "--set", e.getKey(), e.getValue());
                config.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                String p = ex.getMessage() + " (" + key + ")";
                warnings.add(p);
                if (firstProblem == null) firstProblem = p;
            }
        }
        return new Suite.OperatorSpec(name, factory, config, data, firstProblem);
    }

    /** The resolved config of one run, its training settings, and the fields it reads from the data files; the first problem or null. */
    private String checkPair(Suite.OperatorSpec op, Node opNode, Suite.DataSet d, Map<String, Object> training, long seed, String device,
                           Double budget) {
        OperatorFactory f = catalog.factory(op.factory());
        String key = "operators[" + op.name() + "] on data '" + d.name() + "'";
        Config config;
        try {
            Map<String, String> roles = d.train() == null ? Map.of() : RunData.roles(d.train());
            config = RunConfig.resolve(f.name(), f.configSchema(), roles,
                    List.of(new RunConfig.Layer("training", training), new RunConfig.Layer("config", op.config())));
            RunConfig.training(config, seed, device, budget, 1);
        } catch (RuntimeException e) {
            return problem(opNode, key, e.getMessage());
        }
        if (d.train() == null) return null; // generated: fields are known once written
        List<Path> files = new ArrayList<>();
        files.add(d.train());
        d.tests().forEach(t -> files.add(t.file()));
        d.validation().ifPresent(v -> files.add(v.file()));
        for (Path file : new LinkedHashSet<>(files)) {
            try (Dataset ds = DatasetSource.find().open(file)) {
                for (String k : List.of(RunConfig.INPUT, RunConfig.TARGET)) {
                    String field = RunConfig.string(config, k, null);
                    if (field == null) field = ds.roles().get(k.equals(RunConfig.INPUT) ? "input" : "target");
                    String fname = field;
                    if (fname == null || ds.fields().stream().noneMatch(fi -> fi.name().equals(fname))) {
                        return problem(opNode, key, file.getFileName() + " has no per-sample field '" + field + "' (" + k + "); fields: "
                                + ds.fields().stream().map(fi -> fi.name()).toList());
                    }
                }
            } catch (RuntimeException e) {
                return problem(opNode, key, e.getMessage());
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // nodes

    private void error(Node node, String key, String message) {
        errors.add(locate(node, key, message));
    }

    /** A problem of single entries: they are recorded as failed, the others run. Returns the line. */
    private String problem(Node node, String key, String message) {
        String p = locate(node, key, message);
        warnings.add(p);
        return p;
    }

    private String locate(Node node, String key, String message) {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        return fileLabel + ":" + (line > 0 ? line : "?") + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }

    /** The mapping's entries by key, reporting keys outside {@code allowed} (null: any) and duplicates. */
    private Map<String, Node> mapping(Node node, String key, Set<String> allowed) {
        if (!(node instanceof MappingNode mn)) {
            error(node, key, "expected a mapping (key: value lines), found " + describe(node));
            return null;
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                error(t.getKeyNode(), key, "expected a plain key");
                continue;
            }
            String name = k.getValue();
            String full = key.isEmpty() ? name : key + "." + name;
            if (allowed != null && !allowed.contains(name)) {
                error(k, full, "unknown key; expected one of " + String.join(", ", allowed.stream().sorted().toList()));
            } else if (out.containsKey(name)) {
                error(k, full, "given twice");
            } else {
                out.put(name, t.getValueNode());
            }
        }
        return out;
    }

    /** A config mapping whose nested mappings become dotted keys ({@code data: {input: a}} is {@code data.input}). */
    private Map<String, Node> flatMapping(Node node, String key) {
        Map<String, Node> m = mapping(node, key, null);
        Map<String, Node> out = new LinkedHashMap<>();
        if (m == null) return out;
        for (Map.Entry<String, Node> e : m.entrySet()) {
            if (e.getValue() instanceof MappingNode) {
                flatMapping(e.getValue(), key + "." + e.getKey()).forEach((k, v) -> out.put(e.getKey() + "." + k, v));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private List<Node> sequence(Node node, String key, boolean allowScalar) {
        if (node instanceof SequenceNode s) {
            if (s.getValue().isEmpty()) error(node, key, "the list is empty");
            return s.getValue();
        }
        if (allowScalar && node instanceof ScalarNode) return List.of(node);
        error(node, key, "expected a list ('- item' lines or [a, b]), found " + describe(node));
        return List.of();
    }

    private String string(Node node, String key) {
        if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) return s.getValue();
        error(node, key, "expected a text value, found " + describe(node));
        return null;
    }

    private Long longValue(Node node, String key, long min) {
        if (node instanceof ScalarNode s) {
            try {
                long v = Long.parseLong(s.getValue().replace("_", "").trim());
                if (v < min) {
                    error(node, key, "expected a whole number >= " + min + ", found " + v);
                    return null;
                }
                return v;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        error(node, key, "expected a whole number, found " + describe(node));
        return null;
    }

    private Double number(Node node, String key) {
        if (node instanceof ScalarNode s) {
            try {
                return Double.valueOf(s.getValue().replace("_", "").trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        error(node, key, "expected a number, found " + describe(node));
        return null;
    }

    /** A scalar or list as Java values (Long, Double, Boolean, String, List); null after reporting anything else. */
    private Object plain(Node node, String key) {
        if (node instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>();
            for (Node n : s.getValue()) {
                Object v = plain(n, key);
                if (v == null) return null;
                out.add(v);
            }
            return out;
        }
        if (!(node instanceof ScalarNode s)) {
            error(node, key, "expected a value or a list, found " + describe(node));
            return null;
        }
        String v = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            error(node, key, "expected a value, found nothing");
            return null;
        }
        try {
            if (tag.equals(Tag.INT)) return Long.parseLong(v.replace("_", ""));
            if (tag.equals(Tag.FLOAT)) return Double.parseDouble(v.replace("_", ""));
        } catch (NumberFormatException e) {
            return v;
        }
        if (tag.equals(Tag.BOOL)) return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)) || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
        return v;
    }

    private Path dataFile(Node node, String key) {
        String s = string(node, key);
        if (s == null) return null;
        Path p = Path.of(s);
        List<Path> tried = new ArrayList<>();
        if (p.isAbsolute()) tried.add(p);
        else for (Path b : bases) tried.add(b.resolve(p).normalize());
        for (Path t : tried) {
            if (Files.isRegularFile(t)) {
                try (Dataset ds = DatasetSource.find().open(t)) {
                    return t;
                } catch (RuntimeException e) {
                    error(node, key, "not a readable data set: " + e.getMessage());
                    return null;
                }
            }
        }
        error(node, key, "file '" + s + "' not found (looked in " + String.join(", ", new LinkedHashSet<>(tried.stream().map(Path::toString).toList())) + ")");
        return null;
    }

    private static String describe(Node node) {
        if (node == null) return "nothing";
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        ScalarNode s = (ScalarNode) node;
        return s.getTag().equals(Tag.NULL) ? "nothing" : "'" + s.getValue() + "'";
    }
}
