package org.opforge.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
    @Test
    void roundTripsStringsNumbersBooleansAndLists() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "fno \"2d\"\n\ttab\\");
        m.put("width", 32.0);
        m.put("lr", 5e-3);
        m.put("flag", true);
        m.put("modes", List.of(8.0, 12.0));
        m.put("nan", Double.NaN);
        Map<String, Object> back = FlatJson.read(FlatJson.write(m));
        assertEquals("fno \"2d\"\n\ttab\\", back.get("name"));
        assertEquals(32.0, back.get("width"));
        assertEquals(5e-3, back.get("lr"));
        assertEquals(Boolean.TRUE, back.get("flag"));
        assertEquals(List.of(8.0, 12.0), back.get("modes"));
        assertEquals("NaN", back.get("nan"), "non-finite numbers travel as strings");
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()), "order kept");
    }

    @Test
    void syntaxErrorsNameThePosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlatJson.read("{\"a\" 1}"));
        assertTrue(e.getMessage().contains("position 6"), e.getMessage());
        assertEquals(Map.of(), FlatJson.read(" { } "));
    }
}
