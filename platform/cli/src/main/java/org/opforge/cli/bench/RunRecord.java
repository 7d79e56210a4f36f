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
    }

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
        List<Map<String, Object>> h = new ArrayList<>();
        for (EpochReport r : history) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", r.epoch());
            e.put("train_loss", Json.num(r.trainLoss()));
            e.put("validation_loss", Json.num(r.validationLoss()));
            e.put("seconds", r.seconds());
            h.add(e);
        }
        m.put("history", h);
        m.put("checkpoint", checkpoint);
        m.put("plots", plots);
        return m;
    }

    private static Double mb(long bytes) {
        return bytes <= 0 ? null : Math.round(bytes / 1048576.0 * 10) / 10.0;
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
