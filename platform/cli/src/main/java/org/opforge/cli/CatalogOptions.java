package org.opforge.cli;

import java.nio.file.Path;
import org.opforge.cli.bench.OperatorCatalog;
import picocli.CommandLine.Option;

/**
 * {@code --deploy DIR} for the commands that use the bundles' services (train, eval, predict, bench,
 * generate, decompose): they come from a container on the deploy directory and, failing that, from
 * the class path.
 */
public final class CatalogOptions {
    @Option(names = "--deploy", paramLabel = "DIR",
            description = "deploy directory holding the bundles (default: -Dopforge.deploy, else bundles/deploy)")
    Path deploy;

    /** Starts a container on the deploy directory when it holds bundles. */
    public OperatorCatalog open() {
        return OperatorCatalog.open(deploy);
    }
}
