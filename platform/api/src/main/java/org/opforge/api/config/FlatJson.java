package org.opforge.api.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the checkpoint attributes {@code config} and {@code metrics}: one object whose values are
 * strings, numbers, booleans or arrays of those (what a resolved {@link Config}
 * holds). Numbers are read back as {@link Double} (the config schema converts whole values to integers).
 * Operator bundles use it for their checkpoint attributes, so they need no JSON library.
 */
public final class FlatJson {
    private FlatJson() {}

    public static String write(Map<String, ?> values) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            string(sb, e.getKey());
            sb.append(": ");
            value(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(", ");
                value(sb, list.get(i));
            }
            sb.append(']');
        } else if (v instanceof Double d && !Double.isFinite(d)) {
            string(sb, d.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            string(sb, String.valueOf(v));
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Parses one object; throws IllegalArgumentException naming the position of a syntax error. */
    public static Map<String, Object> read(String json) {
        Parser p = new Parser(json);
        p.skip();
        Map<String, Object> out = new LinkedHashMap<>();
        p.expect('{');
        p.skip();
        if (p.peek() == '}') {
            p.pos++;
            return out;
        }
        while (true) {
            p.skip();
            String key = p.string();
            p.skip();
            p.expect(':');
            out.put(key, p.value());
            p.skip();
            char c = p.next();
            if (c == '}') return out;
            if (c != ',') throw p.error("',' or '}'");
        }
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        void skip() { while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++; }

        char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

        char next() {
            if (pos >= s.length()) throw error("more input");
            return s.charAt(pos++);
        }

        void expect(char c) {
            if (next() != c) throw error("'" + c + "'");
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("JSON: expected " + expected + " at position " + pos + " of " + s);
        }

        Object value() {
            skip();
            char c = peek();
            if (c == '"') return string();
            if (c == '[') {
                pos++;
                List<Object> list = new ArrayList<>();
                skip();
                if (peek() == ']') {
                    pos++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    skip();
                    char d = next();
                    if (d == ']') return list;
                    if (d != ',') throw error("',' or ']'");
                }
            }
            if (s.startsWith("true", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) pos++;
            if (start == pos) throw error("a value");
            return Double.valueOf(s.substring(start, pos));
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
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("4 hex digits");
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> sb.append(e);
                }
            }
        }
    }
}
