package org.opforge.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a container.
 *
 * @param deployDir       the deploy directory: jars appearing, changing and vanishing there are installed,
 *                        updated and uninstalled (checked first, then staged for File Install by
 *                        {@code DeployStaging}; files that are not bundles, and duplicates, are ignored and reported)
 * @param frameworkDir    where the framework bundles (SCR, Config Admin, File Install and the OSGi
 *                        libraries SCR needs) lie; empty: find them on the class path by symbolic name
 * @param storageDir      the framework's bundle cache; empty: a fresh temporary directory, deleted at close
 * @param pollInterval    how often File Install scans the deploy directory
 * @param startTimeout    how long {@link OpForgeContainer#start} waits for the bundles already in the
 *                        deploy directory to be installed and started
 * @param listeners       receive every lifecycle event from the first deployment on
 * @param hostLibraries   further host libraries whose packages bundles share with the host, each named by
 *                        one of its classes; the service API, the tensor engine and slf4j always are
 */
public record ContainerConfig(Path deployDir, Optional<Path> frameworkDir, Optional<Path> storageDir,
                              Duration pollInterval, Duration startTimeout, List<LifecycleListener> listeners,
                              List<Class<?>> hostLibraries) {
    public ContainerConfig {
        Objects.requireNonNull(deployDir, "deployDir");
        Objects.requireNonNull(frameworkDir, "frameworkDir");
        Objects.requireNonNull(storageDir, "storageDir");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (pollInterval.toMillis() < 10) throw new IllegalArgumentException("pollInterval must be >= 10 ms, found " + pollInterval);
        listeners = List.copyOf(listeners);
        hostLibraries = List.copyOf(hostLibraries);
    }

    /** Framework bundles from the class path, a temporary cache, polling every 200 ms, up to 30 s for the initial deployment. */
    public static ContainerConfig of(Path deployDir) {
        return new ContainerConfig(deployDir, Optional.empty(), Optional.empty(), Duration.ofMillis(200),
                Duration.ofSeconds(30), List.of(), List.of());
    }

    public ContainerConfig withFrameworkDir(Path dir) {
        return new ContainerConfig(deployDir, Optional.of(dir), storageDir, pollInterval, startTimeout, listeners, hostLibraries);
    }

    public ContainerConfig withStorageDir(Path dir) {
        return new ContainerConfig(deployDir, frameworkDir, Optional.of(dir), pollInterval, startTimeout, listeners, hostLibraries);
    }

    public ContainerConfig withPollInterval(Duration d) {
        return new ContainerConfig(deployDir, frameworkDir, storageDir, d, startTimeout, listeners, hostLibraries);
    }

    public ContainerConfig withStartTimeout(Duration d) {
        return new ContainerConfig(deployDir, frameworkDir, storageDir, pollInterval, d, listeners, hostLibraries);
    }

    public ContainerConfig withListener(LifecycleListener listener) {
        List<LifecycleListener> all = new ArrayList<>(listeners);
        all.add(Objects.requireNonNull(listener, "listener"));
        return new ContainerConfig(deployDir, frameworkDir, storageDir, pollInterval, startTimeout, all, hostLibraries);
    }

    /**
     * Also exports the packages of the library holding {@code anchor} from the host (for a library
     * that both the host and bundles use and must share classes of, instead of deploying it as a bundle).
     */
    public ContainerConfig withHostLibrary(Class<?> anchor) {
        List<Class<?>> all = new ArrayList<>(hostLibraries);
        all.add(Objects.requireNonNull(anchor, "anchor"));
        return new ContainerConfig(deployDir, frameworkDir, storageDir, pollInterval, startTimeout, listeners, all);
    }
}
