package org.opforge.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void writesAndReplacesThroughMissingDirectories() throws IOException {
        Path f = dir.resolve("a/b/results.json");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(1, count(f.getParent()), "no temporary file left");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("model.h5");
        AtomicFiles.writeString(f, "good");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeStream(f, out -> {
            out.write(new byte[] {1, 2, 3});
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(e.getMessage().contains("model.h5") && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("good", Files.readString(f));
        assertEquals(1, count(dir));
    }

    private static long count(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }
}
