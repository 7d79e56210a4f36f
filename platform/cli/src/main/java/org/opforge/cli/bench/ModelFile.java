package org.opforge.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.config.Config;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.DataFormatException;
import java.nio.file.Path;

/** Reading back what a checkpoint says about the run that made it. */
public final class ModelFile {
    private ModelFile() {}

    /**
     * A data error's message for a command that applies a trained model (eval, predict): the fields
     * are the model's, fixed at training, so the advice to choose them with --set, which such a
     * command does not have, becomes what they are.
     */
    public static String forTrainedModel(String message) {
        return message == null ? null : message.replaceAll("\\(choose with --set (data\\.\\w+)=NAME\\)", "(the model's $1, fixed when it was trained)");
    }

    /** A trained model read back: the operator and the configuration it was trained with. */
    public record Loaded(NeuralOperator operator, Config config) {}

    /**
     * Loads the model of checkpoint {@code file}: its configuration first (so a broken one is named
     * as such), then the operator.
     *
     * @throws DataFormatException naming the file (and the attribute) when either cannot be read
     */
    public static Loaded load(Path file, Checkpoint checkpoint, OperatorCatalog catalog) {
        OperatorFactory factory = catalog.factory(checkpoint.attribute(NeuralOperator.OPERATOR_ATTRIBUTE));
        Config config = config(file, checkpoint, factory);
        try {
            return new Loaded(catalog.load(checkpoint), config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (e instanceof DataFormatException) throw e;
            throw new DataFormatException(file, null, "a checkpoint operator " + factory.name() + " can load", e.getMessage(), e);
        }
    }

    /**
     * The resolved configuration stored in the checkpoint's {@code config} attribute (JSON, nested
     * maps flattened to dotted keys), keeping the keys the factory's schema declares; the schema's
     * defaults when the attribute is absent.
     *
     * @throws IllegalArgumentException when the attribute is not a JSON object or holds a bad value
     */
    public static Config config(Path file, Checkpoint checkpoint, OperatorFactory factory) {
        ConfigSchema schema = factory.configSchema();
        String text = checkpoint.attributes().get("config");
        if (text == null) return schema.defaults();
        Map<String, Object> flat = new LinkedHashMap<>();
        try {
            RunConfig.flatten("", Json.object(text), flat);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, "config", "a JSON object (the run's configuration)", e.getMessage());
        }
        Map<String, Object> known = new LinkedHashMap<>();
        flat.forEach((k, v) -> { if (schema.names().contains(k) && v != null) known.put(k, v); });
        try {
            return schema.resolve(known);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, "config", "a configuration of operator " + factory.name(), e.getMessage(), e);
        }
    }
}
