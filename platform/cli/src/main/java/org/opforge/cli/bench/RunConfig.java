package org.opforge.cli.bench;

import org.opforge.api.io.IoErrors;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.opforge.api.config.Config;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.training.TrainingConfig;
import org.opforge.tensor.Device;
import org.opforge.training.SupervisedTrainer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * An operator's configuration as the commands build it, in layers where a later layer wins:
 * the schema's defaults, the data file's roles ({@code data.input} / {@code data.target} when the
 * file's layout names them), a config file, {@code --set key=value} (or a suite's entry), and last
 * the dedicated options ({@code --epochs}, ...). Each layer is checked against the schema on its
 * own so that an error names the layer it came from.
 *
 * <p>The training keys every operator declares ({@code epochs, batch_size, lr, weight_decay,
 * optimizer, scheduler}) become the {@link TrainingConfig}; the scheduler, the time budget and the
 * shared loop's keys ({@link SupervisedTrainer#configParameters()}) go into its options.
 */
public final class RunConfig {
    /** Config keys naming the data fields. */
    public static final String INPUT = "data.input", TARGET = "data.target", POINTS = "data.points";

    /**
     * Config key naming the mask field of a masked grid (1 where the target counts, 0 elsewhere): the
     * run trains and evaluates on the inside values only. Only operators that declare it take it.
     */
    public static final String MASK = "data.mask";

    /**
     * Boolean config key of operators that can train without targets (physics-informed): when it is
     * false the training file's target field is not read, and need not exist.
     */
    public static final String TRAIN_TARGETS = "train_targets";

    private RunConfig() {}

    /** One source of values, named for messages ("--set", "config.yaml", "suite entry operators[0]"). */
    public record Layer(String source, Map<String, ?> values) {
        public Layer {
            Objects.requireNonNull(source, "source");
            values = new LinkedHashMap<>(Objects.requireNonNull(values, "values"));
        }
    }

    /**
     * Reads a YAML or JSON config file (JSON is read as YAML): a mapping whose nested mappings are
     * flattened to dotted keys, so {@code data: {input: a}} and {@code data.input: a} are the same.
     *
     * @throws IllegalArgumentException naming the file and, for a syntax error, the line
     */
    public static Map<String, Object> readFile(Path file) {
        String unreadable = IoErrors.unreadable(file);
        if (unreadable != null) throw new IllegalArgumentException("config file " + file + ": " + unreadable);
        Object doc;
        try (Reader r = Files.newBufferedReader(file)) {
            doc = new Yaml(new LoaderOptions()).load(r);
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException("config file " + file + ":" + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new IllegalArgumentException("config file " + file + ": " + e.getMessage());
        }
        if (doc == null) return Map.of();
        if (!(doc instanceof Map)) {
            throw new IllegalArgumentException("config file " + file + ": expected a mapping of keys to values, found a "
                    + doc.getClass().getSimpleName());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", (Map<?, ?>) doc, out);
        return out;
    }

    /** The configuration a checkpoint was trained with (its {@code config} attribute), as flat keys. */
    public static Map<String, Object> checkpointConfig(org.opforge.api.data.Checkpoint checkpoint) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", Json.object(checkpoint.attribute("config")), flat);
        return flat;
    }

    static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) flatten(key + ".", m, out);
            else out.put(key, e.getValue());
        }
    }

    /**
     * Parses {@code key=value} pairs.
     *
     * @throws IllegalArgumentException for an item without '=' or with an empty key
     */
    public static Map<String, Object> parseSets(List<String> items) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (items == null) return out;
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--set " + item + ": expected key=value");
            out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        return out;
    }

    /**
     * Resolves the layers against {@code schema}.
     *
     * @param roles the data file's {@code input} / {@code target} field names (may be empty)
     * @throws IllegalArgumentException naming the layer and the key on an unknown key or a bad value
     */
    public static Config resolve(String operator, ConfigSchema schema, Map<String, String> roles, List<Layer> layers) {
        Map<String, Object> merged = new LinkedHashMap<>();
        List<String> names = schema.names();
        if (roles != null) {
            if (names.contains(INPUT) && roles.get("input") != null) merged.put(INPUT, roles.get("input"));
            if (names.contains(TARGET) && roles.get("target") != null) merged.put(TARGET, roles.get("target"));
        }
        for (Layer layer : layers) {
            for (Map.Entry<String, ?> e : layer.values().entrySet()) {
                merged.put(e.getKey(), check(operator, schema, layer.source(), e.getKey(), e.getValue()));
            }
        }
        return schema.resolve(merged);
    }

    /** Checks one key and value against the schema; returns the converted value. */
    public static Object check(String operator, ConfigSchema schema, String source, String key, Object value) {
        if (key.equals(MASK) && !schema.names().contains(key)) {
            throw new IllegalArgumentException(source + ": operator '" + operator + "' does not support masked training (" + MASK
                    + "); train it on data without a mask, or use an operator that declares " + MASK + " (fno, tfno)");
        }
        if (!schema.names().contains(key)) {
            throw new IllegalArgumentException(source + ": unknown key '" + key + "' for operator '" + operator
                    + "'; known keys: " + String.join(", ", schema.names()));
        }
        ConfigParameter p = schema.parameter(key);
        try {
            return p.accept(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The training settings of a resolved config: its training keys, or {@link TrainingConfig#defaults()}
     * for those the operator does not declare.
     *
     * @param device           "cpu", "cuda", "cuda:1"; null for the config's {@code device} key or the CPU
     * @param timeBudgetSeconds the run's time budget, or null for none
     * @param samples           training samples: {@code batch_size: 0} means all of them (full batch)
     * @throws IllegalArgumentException naming the key whose value is out of range
     */
    public static TrainingConfig training(Config config, long seed, String device, Double timeBudgetSeconds, int samples) {
        TrainingConfig d = TrainingConfig.defaults();
        Map<String, Object> v = config.values();
        int epochs = v.containsKey("epochs") ? config.getInt("epochs") : d.epochs();
        int batch = v.containsKey("batch_size") ? config.getInt("batch_size") : d.batchSize();
        double lr = v.containsKey("lr") ? config.getDouble("lr") : d.learningRate();
        double wd = v.containsKey("weight_decay") ? config.getDouble("weight_decay") : d.weightDecay();
        String optimizer = v.containsKey("optimizer") ? config.getString("optimizer") : d.optimizer();
        String dev = device != null ? device : v.containsKey("device") ? String.valueOf(v.get("device")) : "cpu";
        Map<String, String> options = new LinkedHashMap<>();
        if (v.containsKey("scheduler")) options.put("scheduler", config.getString("scheduler"));
        if (timeBudgetSeconds != null) options.put(SupervisedTrainer.TIME_BUDGET, Double.toString(timeBudgetSeconds));
        if (epochs < 1) throw new IllegalArgumentException("epochs: expected at least 1, found " + epochs);
        if (batch == 0) batch = Math.max(1, samples);
        if (batch < 1) throw new IllegalArgumentException("batch_size: expected at least 1 (or 0 for the full batch), found " + batch);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr: expected a positive number, found " + lr);
        if (!(wd >= 0) || Double.isInfinite(wd)) throw new IllegalArgumentException("weight_decay: expected a number >= 0, found " + wd);
        Device parsed = Device.parse(dev.toLowerCase(Locale.ROOT));
        if (!parsed.kind().equals("cpu") && !parsed.kind().equals("cuda")) {
            throw new IllegalArgumentException("device: expected cpu, cuda or cuda:N, found '" + dev + "'");
        }
        return SupervisedTrainer.withConfigOptions(new TrainingConfig(epochs, batch, lr, wd, optimizer, parsed, seed, options), config);
    }

    /** The resolved config as plain values for JSON (lists stay lists). */
    public static Map<String, Object> plain(Config config) {
        return new LinkedHashMap<>(config.values());
    }

    /** Whether training reads the data file's targets: unless the operator declares {@value #TRAIN_TARGETS} false. */
    public static boolean trainTargets(Config config) {
        return !Boolean.FALSE.equals(config.values().get(TRAIN_TARGETS));
    }

    /** The config's value of {@code key} as a string, or {@code fallback} when the operator does not declare it. */
    public static String string(Config config, String key, String fallback) {
        Object v = config.values().get(key);
        return v == null ? fallback : String.valueOf(v);
    }

    /** Keys of {@code values} that {@code schema} does not declare. */
    public static List<String> unknownKeys(ConfigSchema schema, Map<String, ?> values) {
        List<String> out = new ArrayList<>();
        for (String k : values.keySet()) if (!schema.names().contains(k)) out.add(k);
        return out;
    }
}
