package org.opforge.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.api.OperatorFactory;
import org.opforge.api.config.Config;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;

/** Reading back what a checkpoint says about the run that made it. */
public final class ModelFile {
    private ModelFile() {}

    /**
     * The resolved configuration stored in the checkpoint's {@code config} attribute (JSON, nested
     * maps flattened to dotted keys), keeping the keys the factory's schema declares; the schema's
     * defaults when the attribute is absent.
     *
     * @throws IllegalArgumentException when the attribute is not a JSON object or holds a bad value
     */
    public static Config config(Checkpoint checkpoint, OperatorFactory factory) {
        ConfigSchema schema = factory.configSchema();
        String text = checkpoint.attributes().get("config");
        if (text == null) return schema.defaults();
        Map<String, Object> flat = new LinkedHashMap<>();
        RunConfig.flatten("", Json.object(text), flat);
        Map<String, Object> known = new LinkedHashMap<>();
        flat.forEach((k, v) -> { if (schema.names().contains(k) && v != null) known.put(k, v); });
        try {
            return schema.resolve(known);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint attribute 'config': " + e.getMessage(), e);
        }
    }
}
