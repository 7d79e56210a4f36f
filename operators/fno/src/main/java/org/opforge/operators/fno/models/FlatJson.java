package org.opforge.operators.fno.models;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object of string values, for the {@code config} and {@code metrics} checkpoint attributes
 * (the bundle imports no JSON library). Numbers, booleans and null are read as their text.
 */
final class FlatJson {
    private FlatJson() {}

    static String write(Map<String, String> values) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            quote(sb, e.getKey());
            sb.append(": ");
            quote(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    static Map<String, String> parse(String json) {
        Parser p = new Parser(json);
        Map<String, String> out = new LinkedHashMap<>();
        p.skip();
        p.expect('{');
        p.skip();
        if (p.peek() == '}') return out;
        while (true) {
            p.skip();
            String key = p.string();
            p.skip();
            p.expect(':');
            p.skip();
            out.put(key, p.value());
            p.skip();
            char c = p.next();
            if (c == '}') return out;
            if (c != ',') throw p.error("',' or '}'");
        }
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) { this.s = s; }

        char peek() {
            if (i >= s.length()) throw error("more input");
            return s.charAt(i);
        }

        char next() {
            char c = peek();
            i++;
            return c;
        }

        void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        void expect(char c) {
            if (next() != c) throw error("'" + c + "'");
        }

        String value() {
            if (peek() == '"') return string();
            int start = i;
            while (i < s.length() && ",}".indexOf(s.charAt(i)) < 0 && !Character.isWhitespace(s.charAt(i))) i++;
            if (start == i) throw error("a value");
            return s.substring(start, i);
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') return sb.toString();
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw error("4 hex digits");
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            }
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("JSON object of strings: expected " + expected + " at offset " + i + " of '" + s + "'");
        }
    }
}
