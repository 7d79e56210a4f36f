package org.opforge.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way OpForge writes a file: the content goes to a temporary sibling, which is synced to disk
 * and then renamed over the target in one atomic step (a plain replacing move where the file system
 * has none). A crash, Ctrl-C or an exception at any point leaves either the old file or the new one,
 * never a partial file under the target name, and no temporary file behind (on a signal, a shutdown
 * hook deletes the temporary files being written). Missing parent
 * directories are created.
 */
public final class AtomicFiles {
    /** Temporary files being written now; a JVM stopped by a signal deletes them on its way out. */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // nothing more can be done while the JVM exits
                }
            }
        }, "opforge-temporary-files"));
    }

    private AtomicFiles() {}

    /** Writes the temporary file by path (for libraries that open the file themselves, such as jhdf). */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path tmp) throws IOException;
    }

    /** Writes the temporary file through a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    public static void writeString(Path target, String text) {
        writeStream(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static void writeStream(Path target, StreamWriter body) {
        write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
        });
    }

    /**
     * @throws UncheckedIOException naming the target when anything fails; the target is then untouched
     */
    public static void write(Path target, PathWriter body) {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean done = false;
        IN_FLIGHT.add(tmp);
        try {
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
            body.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + IoErrors.cause(e), e);
        } finally {
            IN_FLIGHT.remove(tmp);
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more than a leftover temporary file
                }
            }
        }
    }
}
