package org.opforge.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/** JSON for results, checkpoint attributes and {@code --json} output. Non-finite numbers are written as null. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {}

    /** Indented JSON of maps, lists, strings, numbers, booleans and nulls. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One-line JSON. */
    public static String compact(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a JSON object. */
    public static Map<String, Object> object(String text) {
        try {
            return COMPACT.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a JSON array. */
    public static java.util.List<Object> array(String text) {
        try {
            return COMPACT.readValue(text, new TypeReference<java.util.List<Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON array: " + e.getOriginalMessage(), e);
        }
    }

    /** The number, or null when it is NaN or infinite (JSON has no such numbers). */
    public static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
