package org.opforge.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opforge.cli.Main;

/**
 * One hostile call of the command line, in process: the exit code, stdout and stderr, and whether
 * the call left every file of its folder as it found it (SHA-256 of each regular file before and after).
 */
final class Hostile {
    record Result(int code, String out, String err) {
        /**
         * The single line on stderr (asserted to be the only one but for the "Try 'opforge CMD --help'."
         * of a usage error, and no stack trace).
         */
        String line() {
            List<String> lines = err.lines().toList();
            if (code == Main.USAGE && lines.size() == 2 && lines.get(1).matches("Try 'opforge.* --help'\\.")) lines = lines.subList(0, 1);
            assertEquals(1, lines.size(), "exactly one line on stderr, found:\n" + err + "\nstdout:\n" + out);
            assertFalse(err.contains("\tat ") || err.contains("Exception:") || err.contains("Error:"), "no stack trace or exception name: " + err);
            return lines.get(0);
        }
    }

    private Hostile() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Runs the call and asserts: exit code {@code code}, one line on stderr holding every one of
     * {@code mention} (file, key, parameter, range), no stack trace, and no file under {@code inputs}
     * (a folder or a file) changed, added files excepted.
     */
    static Result refuse(int code, Path inputs, List<String> mention, String... args) {
        Map<Path, String> before = checksums(inputs);
        Result r = run(args);
        assertEquals(code, r.code(), "exit code; stderr:\n" + r.err() + "\nstdout:\n" + r.out());
        String line = r.line();
        for (String m : mention) assertTrue(line.contains(m), "'" + m + "' in: " + line);
        Map<Path, String> after = checksums(inputs);
        before.forEach((p, sum) -> assertEquals(sum, after.get(p), "input " + p + " changed or vanished"));
        return r;
    }

    static Result refuse(Path inputs, List<String> mention, String... args) {
        return refuse(Main.FAILED, inputs, mention, args);
    }

    static Map<Path, String> checksums(Path root) {
        Map<Path, String> m = new LinkedHashMap<>();
        if (Files.isRegularFile(root)) {
            m.put(root, sha256(root));
            return m;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(p -> m.put(p, sha256(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
