package org.opforge.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
    private final ConfigSchema schema = ConfigSchema.of(
            ConfigParameter.integer("width", 32, "channels"),
            ConfigParameter.number("lr", 1e-3, "step"),
            ConfigParameter.bool("skip", true, "skip connection"),
            ConfigParameter.choice("factorization", "tucker", "weight format", "dense", "cp", "tucker", "tt"),
            ConfigParameter.integers("modes", List.of(12, 12), "Fourier modes per axis"));

    @Test
    void absentKeysTakeDefaultsAndGivenOnesAreConverted() {
        Config c = schema.resolve(Map.of("width", 64L, "lr", "0.01", "modes", "16, 8", "skip", "false"));
        assertEquals(64, c.getInt("width"));
        assertEquals(0.01, c.getDouble("lr"));
        assertEquals(false, c.getBoolean("skip"));
        assertEquals("tucker", c.getString("factorization"));
        assertEquals(List.of(16, 8), c.getIntList("modes"));
    }

    @Test
    void stringFormRoundTrips() {
        Config c = schema.resolve(Map.of("width", 7, "modes", List.of(3, 4, 5), "factorization", "cp"));
        Map<String, String> stored = c.toStrings("config/");
        assertEquals("3,4,5", stored.get("config/modes"));
        assertEquals(c, schema.fromStrings(stored, "config/"));
    }

    @Test
    void errorsNameTheParameterTheExpectationAndTheValue() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> schema.resolve(Map.of("widht", 3)));
        assertTrue(unknown.getMessage().contains("unknown parameter 'widht'") && unknown.getMessage().contains("width"), unknown.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> schema.resolve(Map.of("width", 2.5)));
        assertEquals("parameter 'width': expected integer, found '2.5' (Double)", type.getMessage());
        IllegalArgumentException choice = assertThrows(IllegalArgumentException.class, () -> schema.resolve(Map.of("factorization", "svd")));
        assertEquals("parameter 'factorization': expected one of [dense, cp, tucker, tt], found 'svd'", choice.getMessage());
        IllegalArgumentException element = assertThrows(IllegalArgumentException.class, () -> schema.resolve(Map.of("modes", "12,x")));
        assertTrue(element.getMessage().contains("element 1 is 'x'"), element.getMessage());
    }

    @Test
    void schemaRejectsDuplicateNamesAndBadDefaults() {
        assertThrows(IllegalArgumentException.class, () -> ConfigSchema.of(ConfigParameter.integer("a", 1, ""), ConfigParameter.number("a", 1, "")));
        assertThrows(IllegalArgumentException.class, () -> ConfigParameter.choice("f", "x", "", "a", "b"));
    }
}
