package org.opforge.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.api.io.IoErrors;

/**
 * What an earlier invocation of the same suite left in a bench output folder: its successful runs,
 * which a new invocation keeps instead of running them again. The suite is identified by a
 * fingerprint of the suite file's bytes and the {@code --set} values; results of any other suite in
 * the folder are refused rather than mixed or overwritten.
 *
 * @param fingerprint the suite's, written to results.json
 * @param finished    run id to its results.json record, for the runs that finished ok and whose checkpoint is still there
 */
public record Resume(String fingerprint, Map<String, Map<String, Object>> finished) {
    public Resume {
        finished = Map.copyOf(finished);
    }

    /** Nothing to resume, no fingerprint recorded (embedding callers and tests). */
    public static Resume none() {
        return new Resume(null, Map.of());
    }

    /** SHA-256 of the suite file and the --set values. */
    public static String fingerprint(Path suiteFile, List<String> sets) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(suiteFile));
            for (String s : sets) md.update(("\n--set " + s).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + suiteFile + ": " + IoErrors.cause(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }

    /**
     * Reads {@code out/results.json}; with {@code overwrite}, removes the previous results instead.
     *
     * @throws IllegalArgumentException naming the folder when it holds results of another suite or
     *                                  results that cannot be read
     */
    @SuppressWarnings("unchecked")
    public static Resume read(Path out, String fingerprint, boolean overwrite) {
        Path results = out.resolve("results.json");
        if (overwrite) {
            try {
                for (String f : List.of("results.json", "results.csv", "report.html")) Files.deleteIfExists(out.resolve(f));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot start over in --out " + out + ": " + IoErrors.cause(e), e);
            }
            return new Resume(fingerprint, Map.of());
        }
        if (!Files.exists(results)) return new Resume(fingerprint, Map.of());
        Map<String, Object> json;
        try {
            json = Json.object(Files.readString(results));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--out " + out + ": " + results.getFileName() + " cannot be read ("
                    + (e instanceof IOException io ? IoErrors.cause(io) : e.getMessage()) + "); pass --overwrite to start over", e);
        }
        if (!fingerprint.equals(json.get("suite_fingerprint"))) {
            throw new IllegalArgumentException("--out " + out + " holds the results of another suite ('" + json.get("suite") + "' from "
                    + json.get("suite_file") + ", or other --set values); give another --out, or pass --overwrite to start over");
        }
        Map<String, Map<String, Object>> ok = new LinkedHashMap<>();
        for (Object o : (List<Object>) json.getOrDefault("runs", List.of())) {
            if (!(o instanceof Map<?, ?> m)) continue;
            Map<String, Object> run = (Map<String, Object>) m;
            Object checkpoint = run.get("checkpoint");
            if (OperatorRun.Status.OK.label().equals(run.get("status")) && checkpoint instanceof String c && Files.isRegularFile(out.resolve(c))) {
                ok.put(String.valueOf(run.get("id")), run);
            }
        }
        return new Resume(fingerprint, ok);
    }
}
