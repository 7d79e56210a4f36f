package org.opforge.api.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The cause of an I/O failure in words, without the paths the JDK puts into its messages (which may
 * be a temporary file's hidden name): the caller names the file the user knows.
 */
public final class IoErrors {
    private IoErrors() {}

    /** "permission denied", "no such file or folder", "Read-only file system", ... */
    public static String cause(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof NotDirectoryException) return "not a folder";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof DirectoryNotEmptyException) return "folder not empty";
        if (e instanceof FileSystemLoopException) return "symbolic link loop";
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) return f.getReason();
            return e.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Why {@code file} cannot be read as a data or model file, or null when it can be opened: it
     * does not exist, is a loop of symbolic links, is a folder, or is a special file (a FIFO, a
     * device, a socket), which would block or never end.
     */
    public static String unreadable(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return "no such file";
        if (!Files.exists(file)) {
            try {
                file.toRealPath();
                return "no such file (a symbolic link to nothing)";
            } catch (FileSystemLoopException e) {
                return "symbolic link loop";
            } catch (IOException e) {
                String reason = cause(e);
                return reason.contains("Too many levels of symbolic links") ? "symbolic link loop"
                        : "a symbolic link to nothing (" + reason + ")";
            }
        }
        if (Files.isDirectory(file)) return "a directory, not a file";
        if (!Files.isRegularFile(file)) return "a special file (FIFO, device or socket), not a regular file";
        if (!Files.isReadable(file)) return "not readable (permission denied)";
        return null;
    }
}
