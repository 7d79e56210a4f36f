package org.opforge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Output helpers: aligned text tables for people, JSON for programs. */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {}

    /** Writes {@code value} (maps, lists, strings, numbers) as indented JSON and a newline. */
    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
        out.flush();
    }

    /**
     * Writes rows as columns padded to the widest cell, headers first; the last column is not padded.
     */
    static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        int[] width = new int[headers.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
        }
        for (List<String> row : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) sb.append("  ");
                sb.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + width[i] + "s", row.get(i)));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }
}
