package org.opforge.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opforge.cli.bench.Json;
import org.opforge.cli.bench.OperatorRun;
import org.opforge.cli.bench.RunConfig;

/** A run's {@link OperatorRun.Spec} as JSON, the form in which it crosses to the executors. */
final class SpecJson {
    private SpecJson() {}

    static String write(OperatorRun.Spec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operator", s.operator());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (RunConfig.Layer l : s.layers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("source", l.source());
            e.put("values", l.values());
            layers.add(e);
        }
        m.put("layers", layers);
        m.put("train", s.train().toAbsolutePath().toString());
        m.put("train_samples", s.trainSamples());
        m.put("validation", s.validation().map(SpecJson::test).orElse(null));
        m.put("tests", s.tests().stream().map(SpecJson::test).toList());
        m.put("seed", s.seed());
        m.put("device", s.device());
        m.put("time_budget", s.timeBudget());
        m.put("preview_samples", s.previewSamples());
        return Json.compact(m);
    }

    private static Map<String, Object> test(OperatorRun.TestInput t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", t.file().toAbsolutePath().toString());
        m.put("subsample", t.subsample());
        m.put("samples", t.samples());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static OperatorRun.TestInput test(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        return new OperatorRun.TestInput(Path.of((String) m.get("file")), ((Number) m.get("subsample")).intValue(), ((Number) m.get("samples")).intValue());
    }

    @SuppressWarnings("unchecked")
    static OperatorRun.Spec read(String json) {
        Map<String, Object> m = Json.object(json);
        List<RunConfig.Layer> layers = new ArrayList<>();
        for (Map<String, Object> l : (List<Map<String, Object>>) m.get("layers")) {
            layers.add(new RunConfig.Layer((String) l.get("source"), (Map<String, Object>) l.get("values")));
        }
        List<OperatorRun.TestInput> tests = new ArrayList<>();
        for (Object t : (List<Object>) m.get("tests")) tests.add(test(t));
        Object budget = m.get("time_budget");
        return new OperatorRun.Spec((String) m.get("operator"), layers, Path.of((String) m.get("train")), ((Number) m.get("train_samples")).intValue(),
                Optional.ofNullable(m.get("validation")).map(SpecJson::test), tests, ((Number) m.get("seed")).longValue(), (String) m.get("device"),
                budget == null ? null : ((Number) budget).doubleValue(), ((Number) m.get("preview_samples")).intValue());
    }
}
