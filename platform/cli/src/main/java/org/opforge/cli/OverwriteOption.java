package org.opforge.cli;

import picocli.CommandLine.Option;

/** {@code --overwrite}, the same on every command that writes ({@code @Mixin OverwriteOption}); see {@link OutputFiles}. */
public final class OverwriteOption {
    @Option(names = OutputFiles.OVERWRITE, description = "replace an existing output file (without it, an existing output is refused)")
    boolean enabled;

    public boolean enabled() { return enabled; }
}
