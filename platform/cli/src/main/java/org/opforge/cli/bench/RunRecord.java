package org.opforge.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.TrainingConfig;

/**
 * One run's line in results.json / results.csv: what ran (operator, data, seed, resolved config,
 * training settings), how it ended (status and reason), what it cost (parameters, train time, time
 * per epoch, peak heap) and what it achieved (loss history, metrics per test file).
 */
public final class RunRecord {
    final Suite.Entry entry;
    final OperatorRun.Status status;
    final String reason;
    final Map<String, Object> config;
    final TrainingConfig training;
    final long parameters;
    final List<EpochReport> history;
    final int selectedEpoch;
    final double trainSeconds;
    final double secondsPerEpoch;
    final long peakHeapBytes;
    final long poolPeakBytes;
    final List<OperatorRun.Evaluation> evaluations;
    final String checkpoint;
    final Map<String, String> plots = new LinkedHashMap<>();
    /** Seconds a label source spent making targets (within train_seconds), NaN without one. */
    double labelSeconds = Double.NaN;
    /** The record as an earlier, resumed invocation wrote it (null for a run of this invocation). */
    private final Map<String, Object> stored;

    RunRecord(Suite.Entry entry, OperatorRun.Status status, String reason, Map<String, Object> config, TrainingConfig training,
              long parameters, List<EpochReport> history, int selectedEpoch, double trainSeconds, double secondsPerEpoch, long peakHeapBytes,
              long poolPeakBytes, List<OperatorRun.Evaluation> evaluations, String checkpoint) {
        this.entry = entry;
        this.status = status;
        this.reason = reason;
        this.config = config;
        this.training = training;
        this.parameters = parameters;
        this.history = List.copyOf(history);
        this.selectedEpoch = selectedEpoch;
        this.trainSeconds = trainSeconds;
        this.secondsPerEpoch = secondsPerEpoch;
        this.peakHeapBytes = peakHeapBytes;
        this.poolPeakBytes = poolPeakBytes;
        this.evaluations = List.copyOf(evaluations);
        this.checkpoint = checkpoint;
        this.stored = null;
    }

    private RunRecord(Suite.Entry entry, Map<String, Object> stored, List<EpochReport> history, List<OperatorRun.Evaluation> evaluations) {
        this.entry = entry;
        this.status = OperatorRun.Status.OK;
        this.reason = null;
        this.config = Map.of();
        this.training = null;
        this.parameters = stored.get("parameters") instanceof Number n ? n.longValue() : -1;
        this.history = List.copyOf(history);
        this.selectedEpoch = stored.get("selected_epoch") instanceof Number n ? n.intValue() : 0;
        this.trainSeconds = number(stored.get("train_seconds"));
        this.secondsPerEpoch = number(stored.get("seconds_per_epoch"));
        this.peakHeapBytes = (long) (number(stored.get("peak_heap_mb")) * 1048576);
        this.poolPeakBytes = (long) (number(stored.get("peak_heap_pools_mb")) * 1048576);
        this.evaluations = List.copyOf(evaluations);
        this.checkpoint = String.valueOf(stored.get("checkpoint"));
        this.stored = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stored));
        if (stored.get("plots") instanceof Map<?, ?> p) p.forEach((k, v) -> plots.put(String.valueOf(k), String.valueOf(v)));
    }

    /**
     * A successful run as results.json of an earlier invocation holds it ({@link #toMap()} gives it
     * back unchanged); the sample fields of its evaluations are not kept.
     *
     * @throws IllegalArgumentException when the record is not a successful run's
     */
    @SuppressWarnings("unchecked")
    static RunRecord restored(Suite.Entry entry, Map<String, Object> json) {
        if (!OperatorRun.Status.OK.label().equals(json.get("status"))) throw new IllegalArgumentException("run " + entry.id() + " did not finish ok");
        List<EpochReport> history = new ArrayList<>();
        List<Map<String, Object>> h = (List<Map<String, Object>>) json.getOrDefault("history", List.of());
        for (Map<String, Object> e : h) history.add(epochReport(e, h.size()));
        List<OperatorRun.Evaluation> evs = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) json.getOrDefault("metrics", List.of())) {
            String resolution = String.valueOf(e.get("resolution"));
            String[] axes = resolution.split("x");
            int points;
            try {
                points = Integer.parseInt(axes[axes.length - 1].trim());
            } catch (NumberFormatException ex) {
                points = -1;
            }
            evs.add(new OperatorRun.Evaluation(String.valueOf(e.get("test")), ((Number) e.getOrDefault("subsample", 1)).intValue(), resolution,
                    points, ((Number) e.getOrDefault("samples", 0)).intValue(), number(e.get("relative_l2")), number(e.get("h1")),
                    number(e.get("mse")), (String) e.get("error"), null, null));
        }
        return new RunRecord(entry, json, history, evs);
    }

    /**
     * The loss history as results.json and checkpoints hold it: per epoch {@code epoch},
     * {@code train_loss}, {@code validation_loss} (null when not evaluated), {@code seconds}, then the
     * model's further validation measures under their names.
     */
    public static List<Map<String, Object>> history(List<EpochReport> history) {
        List<Map<String, Object>> h = new ArrayList<>();
        for (EpochReport r : history) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", r.epoch());
            e.put("train_loss", Json.num(r.trainLoss()));
            e.put("validation_loss", Json.num(r.validationLoss()));
            e.put("seconds", r.seconds());
            r.metrics().forEach((k, v) -> e.put(k, Json.num(v)));
            h.add(e);
        }
        return h;
    }

    /**
     * The epochs a checkpoint's {@code history} attribute holds ({@link #history(List)}), as reports of a
     * run planned for {@code epochs}; empty when it has none.
     */
    @SuppressWarnings("unchecked")
    public static List<EpochReport> history(org.opforge.api.data.Checkpoint checkpoint, int epochs) {
        String h = checkpoint.attributes().get("history");
        if (h == null || h.isBlank()) return List.of();
        List<EpochReport> out = new ArrayList<>();
        for (Object e : Json.array(h)) out.add(epochReport((Map<String, Object>) e, epochs));
        return out;
    }

    private static final java.util.Set<String> HISTORY_FIELDS = java.util.Set.of("epoch", "train_loss", "validation_loss", "seconds");

    /** One entry of {@link #history(List)} read back, of a run planned for {@code epochs}. */
    static EpochReport epochReport(Map<String, Object> e, int epochs) {
        Map<String, Double> measures = new LinkedHashMap<>();
        e.forEach((k, v) -> {
            if (!HISTORY_FIELDS.contains(k) && v instanceof Number n) measures.put(k, n.doubleValue());
        });
        return new EpochReport(((Number) e.get("epoch")).intValue(), epochs, number(e.get("train_loss")), number(e.get("validation_loss")),
                number(e.get("seconds")), measures);
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Whether this run was kept from an earlier invocation into the same output folder. */
    public boolean resumed() { return stored != null; }

    /** A run that failed before training started (bad data, generation failure). */
    static RunRecord failedEarly(Suite.Entry entry, String reason) {
        return new RunRecord(entry, OperatorRun.Status.FAILED, reason, Map.of(), null, -1, List.of(), 0, Double.NaN, Double.NaN, 0, 0,
                List.of(), null);
    }

    public Suite.Entry entry() { return entry; }

    public OperatorRun.Status status() { return status; }

    public String reason() { return reason; }

    public List<OperatorRun.Evaluation> evaluations() { return evaluations; }

    public List<EpochReport> history() { return history; }

    public Map<String, String> plots() { return plots; }

    /** The JSON record. */
    public Map<String, Object> toMap() {
        if (stored != null) return stored;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", entry.id());
        m.put("operator", entry.operator().name());
        m.put("factory", entry.operator().factory());
        m.put("data", entry.data().name());
        m.put("seed", entry.seed());
        m.put("repetition", entry.repetition());
        m.put("status", status.label());
        m.put("reason", reason);
        m.put("config", config);
        if (training != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("epochs", training.epochs());
            t.put("batch_size", training.batchSize());
            t.put("lr", training.learningRate());
            t.put("weight_decay", training.weightDecay());
            t.put("optimizer", training.optimizer());
            t.put("device", training.device().toString());
            t.put("seed", training.seed());
            t.put("options", training.options());
            m.put("training", t);
        }
        m.put("parameters", parameters < 0 ? null : parameters);
        m.put("epochs_completed", history.size());
        m.put("train_seconds", Json.num(trainSeconds));
        m.put("seconds_per_epoch", Json.num(secondsPerEpoch));
        if (Double.isFinite(labelSeconds)) m.put("label_seconds", labelSeconds);
        m.put("peak_heap_mb", mb(peakHeapBytes));
        m.put("peak_heap_pools_mb", mb(poolPeakBytes));
        m.put("final_train_loss", history.isEmpty() ? null : Json.num(history.get(history.size() - 1).trainLoss()));
        m.put("final_validation_loss", history.isEmpty() ? null : Json.num(history.get(history.size() - 1).validationLoss()));
        // the epoch whose weights were evaluated: the best by validation loss with select_best, else the last
        EpochReport kept = history.stream().filter(r -> r.epoch() == selectedEpoch).findFirst().orElse(null);
        m.put("selected_epoch", kept == null ? null : kept.epoch());
        m.put("selected_validation_loss", kept == null ? null : Json.num(kept.validationLoss()));
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (OperatorRun.Evaluation e : evaluations) metrics.add(e.toMap());
        m.put("metrics", metrics);
        m.put("history", history(history));
        m.put("checkpoint", checkpoint);
        m.put("plots", plots);
        return m;
    }

    private static Double mb(long bytes) {
        return bytes <= 0 ? null : Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    /**
     * The record as one JSON object for a run finished in another process: the results.json record
     * plus what that leaves out (the evaluations' points per side, peak memory in bytes), so that
     * {@link #fromTransferJson} gives back a record whose results.json and results.csv lines are the same.
     */
    public String toTransferJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record", toMap());
        m.put("points", evaluations.stream().map(OperatorRun.Evaluation::points).toList());
        m.put("peak_heap_bytes", peakHeapBytes);
        m.put("pool_peak_bytes", poolPeakBytes);
        return Json.compact(m);
    }

    /** The record of {@code entry} written by {@link #toTransferJson}. */
    @SuppressWarnings("unchecked")
    public static RunRecord fromTransferJson(Suite.Entry entry, String json) {
        Map<String, Object> m = Json.object(json);
        Map<String, Object> r = (Map<String, Object>) m.get("record");
        if (!entry.id().equals(r.get("id"))) {
            throw new IllegalArgumentException("run record of '" + r.get("id") + "' where '" + entry.id() + "' was expected");
        }
        OperatorRun.Status status = java.util.Arrays.stream(OperatorRun.Status.values()).filter(s -> s.label().equals(r.get("status")))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown run status '" + r.get("status") + "'"));
        TrainingConfig training = null;
        Map<String, Object> t = (Map<String, Object>) r.get("training");
        if (t != null) {
            Map<String, String> options = new LinkedHashMap<>();
            ((Map<String, Object>) t.get("options")).forEach((k, v) -> options.put(k, String.valueOf(v)));
            training = new TrainingConfig(((Number) t.get("epochs")).intValue(), ((Number) t.get("batch_size")).intValue(), dbl(t.get("lr")),
                    dbl(t.get("weight_decay")), (String) t.get("optimizer"), org.opforge.tensor.Device.parse((String) t.get("device")),
                    ((Number) t.get("seed")).longValue(), options);
        }
        int epochs = training == null ? 0 : training.epochs();
        List<EpochReport> history = new ArrayList<>();
        for (Map<String, Object> h : (List<Map<String, Object>>) r.get("history")) history.add(epochReport(h, epochs));
        List<Object> points = (List<Object>) m.get("points");
        List<OperatorRun.Evaluation> evaluations = new ArrayList<>();
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) r.get("metrics");
        for (int i = 0; i < metrics.size(); i++) {
            Map<String, Object> e = metrics.get(i);
            evaluations.add(new OperatorRun.Evaluation((String) e.get("test"), ((Number) e.get("subsample")).intValue(), (String) e.get("resolution"),
                    ((Number) points.get(i)).intValue(), ((Number) e.get("samples")).intValue(), dbl(e.get("relative_l2")), dbl(e.get("h1")),
                    dbl(e.get("mse")), (String) e.get("error"), null, null));
        }
        Object params = r.get("parameters");
        RunRecord rec = new RunRecord(entry, status, (String) r.get("reason"), (Map<String, Object>) r.get("config"), training,
                params == null ? -1 : ((Number) params).longValue(), history,
                r.get("selected_epoch") instanceof Number k ? k.intValue() : 0, dbl(r.get("train_seconds")), dbl(r.get("seconds_per_epoch")),
                ((Number) m.get("peak_heap_bytes")).longValue(), ((Number) m.get("pool_peak_bytes")).longValue(), evaluations,
                (String) r.get("checkpoint"));
        ((Map<String, Object>) r.get("plots")).forEach((k, v) -> rec.plots.put(k, (String) v));
        if (r.get("label_seconds") instanceof Number ls) rec.labelSeconds = ls.doubleValue();
        return rec;
    }

    /** A JSON number, NaN for null (results.json writes non-finite numbers as null). */
    private static double dbl(Object v) {
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /** Header of results.csv. */
    static final List<String> CSV_HEADER = List.of("id", "operator", "factory", "data", "seed", "status", "reason", "test", "resolution",
            "samples", "relative_l2", "h1", "mse", "parameters", "epochs_completed", "train_seconds", "seconds_per_epoch", "peak_heap_mb");

    /** Rows of results.csv: one per test file, or one without metrics when there are none. */
    List<List<String>> csvRows() {
        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> m = toMap();
        List<OperatorRun.Evaluation> evs = evaluations.isEmpty() ? java.util.Collections.singletonList(null) : evaluations;
        for (OperatorRun.Evaluation e : evs) {
            List<String> r = new ArrayList<>();
            r.add(entry.id());
            r.add(entry.operator().name());
            r.add(entry.operator().factory());
            r.add(entry.data().name());
            r.add(Long.toString(entry.seed()));
            r.add(status.label());
            r.add(reason == null ? "" : reason);
            r.add(e == null ? "" : e.file());
            r.add(e == null ? "" : e.resolution());
            r.add(e == null ? "" : Integer.toString(e.samples()));
            r.add(e == null ? "" : num(e.relativeL2()));
            r.add(e == null ? "" : num(e.h1()));
            r.add(e == null ? "" : num(e.mse()));
            r.add(parameters < 0 ? "" : Long.toString(parameters));
            r.add(Integer.toString(history.size()));
            r.add(num(trainSeconds));
            r.add(num(secondsPerEpoch));
            r.add(m.get("peak_heap_mb") == null ? "" : m.get("peak_heap_mb").toString());
            rows.add(r);
        }
        return rows;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
