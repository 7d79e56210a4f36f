package org.opforge.cli.bench;

import org.opforge.api.io.AtomicFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: the suite's results as people read them. A static page without scripts: a summary,
 * the results table (one row per run and test file), the failures with their reasons, the
 * error-against-resolution plots, and per run the loss curves and the predicted / true / error
 * fields. Images are the PNG files next to it under plots/.
 */
final class Report {
    private Report() {}

    static void write(Path file, Suite suite, List<RunRecord> records, Map<String, String> resolutionPlots, boolean complete,
                      int planned) {
        StringBuilder h = new StringBuilder(16384);
        long ok = records.stream().filter(r -> r.status() == OperatorRun.Status.OK).count();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>OpForge benchmark: ").append(esc(suite.name())).append("</title>\n<style>\n")
                .append("body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1400px}\n")
                .append("table{border-collapse:collapse;font-size:13px;margin:8px 0 16px}\n")
                .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
                .append("th{background:#f0f0f0} td.l,th.l{text-align:left}\n")
                .append("tr.fail td{background:#fdecea} .ok{color:#1a7f37;font-weight:bold} .bad{color:#b42318;font-weight:bold}\n")
                .append("img{border:1px solid #ddd;margin:4px;max-width:100%} .small{color:#666;font-size:12px}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Benchmark suite <code>").append(esc(suite.name())).append("</code></h1>\n");
        if (!suite.description().isBlank()) h.append("<p>").append(esc(suite.description())).append("</p>\n");
        h.append("<p>").append(records.size()).append(" of ").append(planned).append(" runs finished: <span class=\"ok\">").append(ok)
                .append(" ok</span>, <span class=\"").append(records.size() - ok > 0 ? "bad" : "ok").append("\">")
                .append(records.size() - ok).append(" failed</span>")
                .append(complete ? "." : " &mdash; <span class=\"bad\">the suite was stopped before the end</span>.")
                .append(" Suite file <code>").append(esc(suite.file().toString())).append("</code>; machine-readable results in ")
                .append("<a href=\"results.json\">results.json</a> and <a href=\"results.csv\">results.csv</a>.</p>\n");

        h.append("<h2>Results</h2>\n<table>\n<tr><th class=\"l\">operator</th><th class=\"l\">data</th><th>seed</th><th class=\"l\">status</th>")
                .append("<th class=\"l\">test</th><th>resolution</th>");
        for (String m : suite.measures()) h.append("<th>").append(label(m)).append("</th>");
        h.append("<th>parameters</th><th>epochs</th><th>train s</th><th>s / epoch</th><th>peak heap MB</th></tr>\n");
        for (RunRecord r : records) {
            Map<String, Object> m = r.toMap();
            List<OperatorRun.Evaluation> evs = r.evaluations();
            int rows = Math.max(1, evs.size());
            for (int i = 0; i < rows; i++) {
                OperatorRun.Evaluation e = evs.isEmpty() ? null : evs.get(i);
                h.append(r.status() == OperatorRun.Status.OK ? "<tr>" : "<tr class=\"fail\">");
                h.append(td(r.entry().operator().name() + (r.entry().operator().name().equals(r.entry().operator().factory()) ? ""
                        : " (" + r.entry().operator().factory() + ")"), true));
                h.append(td(r.entry().data().name(), true)).append(td(Long.toString(r.entry().seed()), false));
                h.append("<td class=\"l\"><span class=\"").append(r.status() == OperatorRun.Status.OK ? "ok" : "bad").append("\">")
                        .append(esc(r.status().label())).append("</span></td>");
                h.append(td(e == null ? "" : e.file(), true)).append(td(e == null ? "" : e.resolution(), false));
                for (String name : suite.measures()) {
                    double v = e == null ? Double.NaN : name.equals("relative_l2") ? e.relativeL2() : name.equals("h1") ? e.h1() : e.mse();
                    h.append(td(e == null ? "" : e.error() != null ? "n/a" : fmt(v), false));
                }
                h.append(td(str(m.get("parameters")), false)).append(td(str(m.get("epochs_completed")), false))
                        .append(td(fixed(m.get("train_seconds"), 1), false)).append(td(fixed(m.get("seconds_per_epoch"), 3), false))
                        .append(td(str(m.get("peak_heap_mb")), false)).append("</tr>\n");
            }
        }
        h.append("</table>\n");

        boolean failures = records.stream().anyMatch(r -> r.status() != OperatorRun.Status.OK
                || r.evaluations().stream().anyMatch(e -> !e.ok()));
        if (failures) {
            h.append("<h2>Failures</h2>\n<ul>\n");
            for (RunRecord r : records) {
                if (r.status() != OperatorRun.Status.OK) {
                    h.append("<li><b>").append(esc(r.entry().id())).append("</b> (").append(esc(r.status().label())).append("): ")
                            .append(esc(String.valueOf(r.reason()))).append("</li>\n");
                }
                for (OperatorRun.Evaluation e : r.evaluations()) {
                    if (!e.ok()) {
                        h.append("<li><b>").append(esc(r.entry().id())).append("</b> not evaluated on ").append(esc(e.file()))
                                .append(": ").append(esc(e.error())).append("</li>\n");
                    }
                }
            }
            h.append("</ul>\n");
        }

        if (!resolutionPlots.isEmpty()) {
            h.append("<h2>Error against resolution</h2>\n<p class=\"small\">Mean over seeds of the ").append(label(suite.measures().get(0)))
                    .append(" on each test file, against the points per side of its grid.</p>\n");
            resolutionPlots.forEach((data, png) -> h.append(img(png, "error against resolution, " + data)));
        }

        h.append("<h2>Runs</h2>\n");
        for (RunRecord r : records) {
            h.append("<h3>").append(esc(r.entry().id())).append("</h3>\n");
            if (r.status() != OperatorRun.Status.OK) {
                h.append("<p class=\"bad\">").append(esc(r.status().label())).append(": ").append(esc(String.valueOf(r.reason())))
                        .append("</p>\n");
            }
            String loss = r.plots().get("loss"), fields = r.plots().get("fields");
            if (loss != null) h.append(img(loss, "loss curves of " + r.entry().id()));
            if (fields != null) h.append("<br>").append(img(fields, "predicted, true and error fields of " + r.entry().id()));
            if (loss == null && fields == null) h.append("<p class=\"small\">no plots for this run</p>\n");
        }
        h.append("<p class=\"small\">Written by <code>opforge bench</code>.</p>\n</body>\n</html>\n");
        AtomicFiles.writeString(file, h.toString());
    }

    static String label(String measure) {
        return switch (measure) {
            case "relative_l2" -> "relative L2";
            case "h1" -> "H1";
            default -> "MSE";
        };
    }

    private static String img(String src, String alt) {
        return "<img src=\"" + esc(src) + "\" alt=\"" + esc(alt) + "\">\n";
    }

    private static String td(String s, boolean left) {
        return (left ? "<td class=\"l\">" : "<td>") + esc(s) + "</td>";
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4e", v) : "NaN";
    }

    private static String fixed(Object v, int digits) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%." + digits + "f", n.doubleValue()) : "";
    }

    private static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
