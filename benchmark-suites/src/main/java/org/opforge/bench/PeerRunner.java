package org.opforge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a PyTorch peer script of ../shared/peers right after an engine benchmark, in the same run, and
 * prints time ratios engine / PyTorch for every case both report as {@code med_ms} (below 1 means the
 * engine is faster). The peers need Debian's python3-torch, run with /usr/bin/python3.
 */
public final class PeerRunner {
    private PeerRunner() {}

    /** The peers folder: system property {@code opforge.peers}, else ../shared/peers from the working directory. */
    static Path peersDir() {
        return Path.of(System.getProperty("opforge.peers", "../shared/peers")).toAbsolutePath().normalize();
    }

    /**
     * Runs {@code script} of the peers folder (or a script path) with {@code args} and returns its last
     * JSON line; without the script, Python or a JSON line it prints why as a JSON line and returns empty.
     */
    static Optional<String> run(String script, String... args) throws Exception {
        Path dir = peersDir();
        Path py = Path.of("/usr/bin/python3");
        if (!Files.isRegularFile(dir.resolve(script)) || !Files.isExecutable(py)) {
            System.out.println("{\"peer\":\"" + script + "\",\"skipped\":\"needs " + dir.resolve(script) + " and /usr/bin/python3 with torch\"}");
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>(List.of(py.toString(), script));
        cmd.addAll(List.of(args));
        // stderr is never read: discarded, so that a talkative peer cannot fill the pipe and stall
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) if (line.startsWith("{")) last = line;
        }
        int rc = p.waitFor();
        if (rc != 0 || last == null) {
            System.out.println("{\"peer\":\"" + script + "\",\"failed\":\"exit code " + rc + "\"}");
            return Optional.empty();
        }
        return Optional.of(last);
    }

    public static void runAndCompare(String script, String engineJson, String... args) throws Exception {
        Optional<String> peer = run(script, args);
        if (peer.isEmpty()) return;
        String last = peer.get();
        System.out.println(last);
        ObjectMapper m = new ObjectMapper();
        JsonNode ours = m.readTree(engineJson), theirs = m.readTree(last);
        StringBuilder out = new StringBuilder("{\"ratio_engine_over_peer_med_ms\":{");
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = ours.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode a = e.getValue().get("med_ms"), b = theirs.path(e.getKey()).get("med_ms");
            if (a == null || b == null || b.asDouble() <= 0) continue;
            out.append(first ? "" : ",").append('"').append(e.getKey()).append("\":")
                    .append(String.format("%.3f", a.asDouble() / b.asDouble()));
            first = false;
        }
        System.out.println(out.append("}}"));
    }
}
