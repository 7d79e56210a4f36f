package org.opforge.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.opforge.runtime.ContainerConfig;
import org.opforge.runtime.LifecycleListener;
import org.opforge.runtime.OpForgeContainer;
import picocli.CommandLine.Option;

/**
 * {@code --deploy DIR}, shared by every command that starts a container ({@code @Mixin DeployOptions}).
 * The launcher sets {@code opforge.home} to the distribution's root, whose {@code bundles/deploy} is
 * the default and whose {@code bundles/framework} holds the framework bundles.
 */
public final class DeployOptions {
    /** System property naming the distribution's root; set by bin/opforge. */
    public static final String HOME = "opforge.home";

    @Option(names = "--deploy", paramLabel = "DIR",
            description = "the watched deploy directory (default: bundles/deploy of the distribution)")
    Path deploy;

    /** The deploy directory chosen: the option, else the distribution's, else ./bundles/deploy. */
    public Path deployDir() {
        if (deploy != null) return deploy;
        return home().resolve("bundles").resolve("deploy");
    }

    /** The container configuration: this deploy directory, the distribution's framework bundles when there are. */
    public ContainerConfig config() {
        ContainerConfig c = ContainerConfig.of(deployDir());
        Path framework = home().resolve("bundles").resolve("framework");
        return Files.isDirectory(framework) && System.getProperty(HOME) != null ? c.withFrameworkDir(framework) : c;
    }

    /** Starts a container on the deploy directory; the listeners hear every event from the first install on. */
    public OpForgeContainer start(LifecycleListener... listeners) {
        ContainerConfig c = config();
        for (LifecycleListener l : listeners) c = c.withListener(l);
        return OpForgeContainer.start(c);
    }

    private static Path home() {
        String h = System.getProperty(HOME);
        return h == null ? Paths.get("") : Paths.get(h);
    }
}
