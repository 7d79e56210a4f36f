package org.opforge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.opforge.api.io.IoErrors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The one rule for every command that writes a file or a folder, checked before any work is done:
 * <ul>
 *   <li>an output that is the same file as one of the command's inputs (by real path: links and
 *       {@code ./} spellings included) is refused;</li>
 *   <li>an existing output is replaced only with {@code --overwrite};</li>
 *   <li>the output's folder (or its nearest existing ancestor, the folders below being created on
 *       writing) must be a folder in which a file can be created, which is tried, not guessed from
 *       permission bits.</li>
 * </ul>
 * A refusal is a usage error naming the option, the path and the cause.
 */
public final class OutputFiles {
    /** The option every writing command takes. */
    public static final String OVERWRITE = "--overwrite";

    private final CommandSpec spec;
    private final Map<String, Path> inputs = new LinkedHashMap<>();

    private OutputFiles(CommandSpec spec) {
        this.spec = spec;
    }

    /** Starts the check for the command {@code spec} (its usage errors name it). */
    public static OutputFiles of(CommandSpec spec) {
        return new OutputFiles(Objects.requireNonNull(spec, "spec"));
    }

    /** An input of the command, named as the user gave it (e.g. "--data", "IN"); null paths are skipped. */
    public OutputFiles input(String name, Path file) {
        if (file != null) inputs.put(name + " " + file, file);
        return this;
    }

    /**
     * Checks an output file.
     *
     * @param name      the option or parameter naming it ("--out", "OUT")
     * @param out       the file to be written
     * @param overwrite whether {@code --overwrite} was given
     * @throws ParameterException when the output may not or cannot be written
     */
    public void checkFile(String name, Path out, boolean overwrite) {
        String label = name + " " + out;
        sameAsInput(label, out);
        if (Files.isDirectory(out)) throw refuse(label + " is a folder; give a file name");
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw refuse(label + " already exists; pass " + OVERWRITE + " to replace it");
        }
        if (Files.exists(out) && !Files.isRegularFile(out)) throw refuse(label + " is not a regular file");
        writableFolder(label, out.toAbsolutePath().getParent());
    }

    /**
     * Checks an output folder (which may exist: what happens to its contents is the command's rule).
     *
     * @throws ParameterException when it is an input, a file, or cannot be written
     */
    public void checkFolder(String name, Path dir) {
        String label = name + " " + dir;
        sameAsInput(label, dir);
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw refuse(label + " exists and is not a folder");
        writableFolder(label, dir.toAbsolutePath());
    }

    private void sameAsInput(String label, Path out) {
        if (!Files.exists(out)) return;
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            try {
                if (Files.exists(in.getValue()) && Files.isSameFile(out, in.getValue())) {
                    throw refuse(label + " is the same file as the input " + in.getKey() + "; refusing to overwrite an input");
                }
            } catch (IOException e) {
                throw refuse("cannot compare " + label + " with " + in.getKey() + ": " + IoErrors.cause(e));
            }
        }
    }

    /** The nearest existing ancestor must be a folder where a file can be created (tried: root ignores permission bits, read-only mounts do not). */
    private void writableFolder(String label, Path folder) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw refuse("cannot write " + label + ": no existing folder above it");
        if (!Files.isDirectory(existing)) throw refuse("cannot write " + label + ": " + existing + " is not a folder");
        try {
            Path probe = Files.createTempFile(existing, ".opforge-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw refuse("cannot write " + label + ": folder " + existing + " is not writable (" + IoErrors.cause(e) + ")");
        }
    }

    private ParameterException refuse(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
