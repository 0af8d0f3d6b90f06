package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKind() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\\"y\\\\z\\n\\u00e9\", \"o\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1.0, -2500.0, true, false), ((List<?>) m.get("a")).subList(0, 4));
        assertNull(((List<?>) m.get("a")).get(4));
        assertEquals("x\"y\\z\né", m.get("s"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(List.of(), Json.parse("[]"));
    }

    @Test
    void refusesBrokenText() {
        for (String bad : Arrays.asList("", "[1,", "{\"a\" 1}", "[1] x", "\"open", "{1: 2}", "tru", "[-]")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"b\"\t");
        m.put("n", 3);
        m.put("x", 0.125);
        m.put("big", 12345.678);
        m.put("small", 1.5e-7);
        m.put("nan", Double.NaN);
        m.put("list", List.of(1.0, "two", false));
        m.put("empty", List.of());
        String text = Json.write(m);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals("a \"b\"\t", back.get("name"));
        assertEquals(3.0, back.get("n"));
        assertEquals(0.125, back.get("x"));
        assertEquals(12345.7, (Double) back.get("big"), 1e-9);
        assertEquals(1.5e-7, (Double) back.get("small"), 1e-20);
        assertNull(back.get("nan"));
        assertEquals(List.of(1.0, "two", false), back.get("list"));
        assertEquals(List.of(), back.get("empty"));
    }
}
