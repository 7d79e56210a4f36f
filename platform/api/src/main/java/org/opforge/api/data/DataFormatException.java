package org.opforge.api.data;

import java.nio.file.Path;

/**
 * A data or checkpoint file that cannot be used as asked: missing, not HDF5, truncated, a key that
 * is absent, a field of the wrong rank or shape, non-finite values, fields whose sample counts
 * disagree. The message is complete on its own (file, key, what was expected, what was found), so
 * a command line prints {@link #getMessage()} and exits non-zero without a stack trace.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;
    private final String expected;
    private final String found;

    public DataFormatException(Path file, String key, String expected, String found) {
        this(file, key, expected, found, null);
    }

    public DataFormatException(Path file, String key, String expected, String found, Throwable cause) {
        super(format(file, key, expected, found), cause);
        this.file = file;
        this.key = key;
        this.expected = expected;
        this.found = found;
    }

    private static String format(Path file, String key, String expected, String found) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<no file>" : file.toString());
        if (key != null) sb.append(": key '").append(key).append('\'');
        sb.append(": expected ").append(expected).append(", found ").append(found);
        return sb.toString();
    }

    /** The file concerned (null when the problem is not tied to one file). */
    public Path file() { return file; }

    /** The HDF5 path or field name concerned, or null for the file as a whole. */
    public String key() { return key; }

    public String expected() { return expected; }

    public String found() { return found; }
}
