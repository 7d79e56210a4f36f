package org.opforge.cli;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output instead of text ({@code @Mixin JsonOption}). */
public final class JsonOption {
    @Option(names = "--json", description = "machine-readable output (JSON)")
    boolean json;

    public boolean enabled() { return json; }
}
