package org.opforge.cli.bench;

import org.opforge.api.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** results.json and results.csv, written atomically. */
final class Results {
    private Results() {}

    static void writeJson(Path file, Suite suite, String fingerprint, List<RunRecord> records, boolean complete, int planned) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("suite", suite.name());
        m.put("suite_file", suite.file().toString());
        if (fingerprint != null) m.put("suite_fingerprint", fingerprint);
        m.put("description", suite.description());
        m.put("complete", complete);
        m.put("planned_runs", planned);
        m.put("finished_runs", records.size());
        m.put("failed_runs", records.stream().filter(r -> r.status() != OperatorRun.Status.OK).count());
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("cpu_threads", Integer.getInteger("opforge.cpu.threads", Runtime.getRuntime().availableProcessors()));
        env.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1048576);
        m.put("environment", env);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunRecord r : records) runs.add(r.toMap());
        m.put("runs", runs);
        AtomicFiles.writeString(file, Json.pretty(m) + "\n");
    }

    static void writeCsv(Path file, List<RunRecord> records) {
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", RunRecord.CSV_HEADER)).append('\n');
        for (RunRecord r : records) {
            for (List<String> row : r.csvRows()) {
                for (int i = 0; i < row.size(); i++) b.append(i > 0 ? "," : "").append(csv(row.get(i)));
                b.append('\n');
            }
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
