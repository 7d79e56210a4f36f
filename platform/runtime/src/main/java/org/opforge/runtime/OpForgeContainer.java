package org.opforge.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opforge.api.OperatorFactory;
import org.opforge.tensor.Tensor;
import org.opforge.training.SupervisedTrainer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded OSGi container hosting OpForge bundles:
 *
 * <pre>{@code
 * try (OpForgeContainer c = OpForgeContainer.start(Path.of("bundles/deploy"))) {
 *     TrainableOperator op = c.operator("fno").create(Map.of("modes", 12), 42);
 *     Tensor y = op.apply(x);
 * }
 * }</pre>
 *
 * The container runs Apache Felix with Declarative Services, Configuration Admin and File Install.
 * A jar dropped into the deploy directory is installed and started, a replaced jar is updated in
 * place (its services are re-registered from the new version), a deleted jar is uninstalled. File
 * Install watches a staging copy the container keeps of the deploy directory's valid bundles (see
 * {@link #ignoredFiles()} for the others), and the temporary bundle cache is removed at close or
 * when the JVM is stopped by a signal. The host shares the service API, the tensor engine, the training code and slf4j with the bundles by
 * exporting their packages from the system bundle, so a service object a bundle registers is an
 * instance of the host's {@link OperatorFactory}.
 *
 * <p>Service objects handed out are valid until their bundle is updated or uninstalled; look them up
 * again after a change. Thread-safe.
 */
public final class OpForgeContainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpForgeContainer.class);
    private static final Map<Integer, String> STATES = Map.of(Bundle.INSTALLED, "installed", Bundle.RESOLVED, "resolved",
            Bundle.STARTING, "starting", Bundle.ACTIVE, "active", Bundle.STOPPING, "stopping", Bundle.UNINSTALLED, "uninstalled");

    private final Framework framework;
    private final BundleContext context;
    private final LifecycleMonitor monitor;
    private final Path deployDir;
    private final Path storage;
    private final boolean deleteStorage;
    private final List<Bundle> infrastructure;
    private volatile boolean closed;
    /** Closes the container when the JVM is stopped by a signal, so no temporary bundle cache survives it. */
    private final Thread exitHook = new Thread(this::close, "opforge-container-exit");

    private OpForgeContainer(Framework framework, LifecycleMonitor monitor, Path deployDir, Path storage,
                             boolean deleteStorage, List<Bundle> infrastructure) {
        this.framework = framework;
        this.context = framework.getBundleContext();
        this.monitor = monitor;
        this.deployDir = deployDir;
        this.storage = storage;
        this.deleteStorage = deleteStorage;
        this.infrastructure = List.copyOf(infrastructure);
    }

    /** Starts a container on {@code deployDir} with the defaults of {@link ContainerConfig#of}. */
    public static OpForgeContainer start(Path deployDir) {
        return start(ContainerConfig.of(deployDir));
    }

    /**
     * Starts the framework and its bundles, then waits (up to {@link ContainerConfig#startTimeout()})
     * until the jars already in the deploy directory are installed and started or reported failed.
     *
     * @throws ContainerException when the deploy directory does not exist, a framework bundle is
     *                            missing or does not start, or the framework does not start
     */
    public static OpForgeContainer start(ContainerConfig config) {
        Path deploy = config.deployDir().toAbsolutePath().normalize();
        if (!Files.isDirectory(deploy)) {
            throw new ContainerException("deploy directory '" + deploy + "' does not exist or is not a directory");
        }
        try {
            // File Install names bundles by the file's real path; the deployed-bundle check compares with it
            deploy = deploy.toRealPath();
        } catch (IOException e) {
            throw new ContainerException("cannot read deploy directory '" + deploy + "': " + e.getMessage(), e);
        }
        List<Path> frameworkJars = config.frameworkDir().map(FrameworkBundles::fromDirectory)
                .orElseGet(() -> FrameworkBundles.fromClassPath(OpForgeContainer.class.getClassLoader()));
        Path storage;
        try {
            storage = config.storageDir().isPresent()
                    ? Files.createDirectories(config.storageDir().get())
                    : Files.createTempDirectory("opforge-felix-");
        } catch (IOException e) {
            throw new ContainerException("cannot create the framework cache directory: " + e.getMessage(), e);
        }
        boolean deleteStorage = config.storageDir().isEmpty();
        LogBridge.installFileInstallHandler();
        Framework framework = new org.apache.felix.framework.FrameworkFactory().newFramework(
                frameworkProperties(storage.resolve("deploy-staged"), storage, config.pollInterval().toMillis(), config.hostLibraries()));
        LifecycleMonitor monitor = null;
        try {
            framework.init();
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> infrastructure = new ArrayList<>();
            for (Path jar : frameworkJars) {
                Bundle b = ctx.installBundle(jar.toUri().toString());
                b.start();
                infrastructure.add(b);
            }
            Set<Long> ids = infrastructure.stream().map(Bundle::getBundleId).collect(Collectors.toSet());
            monitor = new LifecycleMonitor(ctx, deploy, storage.resolve("deploy-staged"), ids, config.pollInterval().toMillis(),
                    config.listeners());
            monitor.stageInitial();
            monitor.open();
            framework.start();
            for (Bundle b : infrastructure) requireActive(b);
            OpForgeContainer container = new OpForgeContainer(framework, monitor, deploy, storage, deleteStorage, infrastructure);
            Runtime.getRuntime().addShutdownHook(container.exitHook);
            if (!container.awaitSettled(config.startTimeout())) {
                LOG.warn("the bundles in {} did not all settle within {} s; continuing", deploy, config.startTimeout().toSeconds());
            }
            return container;
        } catch (BundleException | IOException | RuntimeException e) {
            if (monitor != null) monitor.close();
            stopQuietly(framework);
            if (deleteStorage) deleteTree(storage);
            if (e instanceof ContainerException) throw (ContainerException) e;
            throw new ContainerException("the OSGi framework did not start: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> frameworkProperties(Path staged, Path storage, long pollMillis, List<Class<?>> extraLibraries) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // one class for the API, the engine, the training code and logging in host and bundles alike;
        // jdk.incubator.vector is deliberately absent: bundles would resolve against it and then fail
        // where the JVM lacks the module
        List<Class<?>> libraries = new ArrayList<>(List.of(OperatorFactory.class, Tensor.class, SupervisedTrainer.class, Logger.class));
        libraries.addAll(extraLibraries);
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, HostPackages.exportClause(libraries, OpForgeVersion.osgi()));
        p.put("felix.log.logger", LogBridge.felixLogger());
        p.put("felix.log.level", "2");
        // SCR would print activation failures with stack traces to stdout; the monitor reports them instead
        p.put("ds.loglevel", "0");
        // File Install watches the staging directory DeployStaging keeps, never the user's deploy directory
        p.put("felix.fileinstall.dir", staged.toString());
        p.put("felix.fileinstall.poll", Long.toString(pollMillis));
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.tmpdir", storage.resolve("fileinstall").toString());
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.default", "jul");
        p.put("felix.fileinstall.log.level", "2");
        return p;
    }

    private static void requireActive(Bundle b) {
        if (b.getState() == Bundle.ACTIVE) return;
        try {
            b.start();
        } catch (BundleException e) {
            throw new ContainerException("framework bundle " + b.getSymbolicName() + " " + b.getVersion()
                    + " did not start: " + e.getMessage(), e);
        }
    }

    /** The directory this container watches (its real path). */
    public Path deployDir() { return deployDir; }

    /** The operator factories registered now, sorted by name. */
    public List<OperatorInfo> operators() {
        requireOpen();
        return monitor.operators();
    }

    /**
     * The factory of the operator called {@code name}.
     *
     * @throws IllegalArgumentException when none is registered, listing those that are
     */
    public OperatorFactory operator(String name) {
        List<OperatorInfo> all = operators();
        for (OperatorInfo i : all) if (i.name().equals(name)) return i.factory();
        throw new IllegalArgumentException("no operator '" + name + "' in the container (deploy directory " + deployDir
                + "); available: " + (all.isEmpty() ? "none" : all.stream().map(OperatorInfo::name).collect(Collectors.joining(", "))));
    }

    /** Every registered service of {@code type} (for example the compute backends). */
    public <T> List<T> services(Class<T> type) {
        requireOpen();
        List<T> out = new ArrayList<>();
        try {
            for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
                T s = context.getService(ref);
                if (s != null) out.add(s);
            }
        } catch (InvalidSyntaxException e) {
            throw new AssertionError("a null filter cannot be invalid", e);
        }
        return out;
    }

    /** The bundles installed from the deploy directory, sorted by symbolic name. */
    public List<BundleInfo> bundles() {
        requireOpen();
        List<BundleInfo> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String file = monitor.deployedFile(b);
            if (file != null) out.add(info(b, file));
        }
        out.sort(Comparator.comparing(BundleInfo::symbolicName).thenComparing(BundleInfo::id));
        return out;
    }

    /**
     * The files of the deploy directory that are not deployed, each with the reason: not a bundle
     * (a directory, not a zip, truncated, no Bundle-SymbolicName) or a duplicate of a deployed bundle.
     * State "ignored", id -1; symbolic name and version where the file names them, else "-".
     */
    public List<BundleInfo> ignoredFiles() {
        requireOpen();
        return monitor.staging().ignoredFiles();
    }

    /** The infrastructure bundles the container itself installed (SCR, Config Admin, File Install, ...). */
    public List<BundleInfo> frameworkBundles() {
        requireOpen();
        List<BundleInfo> out = new ArrayList<>();
        for (Bundle b : infrastructure) out.add(info(b, ""));
        return out;
    }

    private BundleInfo info(Bundle b, String file) {
        return new BundleInfo(b.getBundleId(), String.valueOf(b.getSymbolicName()), b.getVersion().toString(),
                STATES.getOrDefault(b.getState(), "unknown"), file, monitor.problem(b));
    }

    /**
     * Waits until every jar in the deploy directory is installed, nothing has changed for two poll
     * intervals, and failures have been looked for since the last change.
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            requireOpen();
            if (monitor.quiet() && allJarsInstalled()) return true;
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private boolean allJarsInstalled() {
        if (!monitor.staging().allStaged()) return false;
        Set<String> installed = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            try {
                installed.add(java.nio.file.Paths.get(java.net.URI.create(b.getLocation())).getFileName().toString());
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                // not a file location: not one of the staged jars
            }
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(monitor.staging().stagingDir(), "*.jar")) {
            for (Path jar : jars) if (!installed.contains(jar.getFileName().toString())) return false;
            return true;
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", deployDir, e.toString());
            return false;
        }
    }

    public void addListener(LifecycleListener listener) { monitor.addListener(listener); }

    public void removeListener(LifecycleListener listener) { monitor.removeListener(listener); }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() { return closed; }

    /**
     * Stops the framework and with it every bundle, waits for it, and removes a temporary bundle
     * cache. Listeners receive no events about the shutdown itself. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (Thread.currentThread() != exitHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting and the hook runs (or ran) close itself
            }
        }
        monitor.close();
        stopQuietly(framework);
        if (deleteStorage) deleteTree(storage);
    }

    private static void stopQuietly(Framework framework) {
        try {
            framework.stop();
            FrameworkEvent e = framework.waitForStop(30_000);
            if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) LOG.warn("the OSGi framework did not stop within 30 s");
        } catch (BundleException e) {
            LOG.warn("stopping the OSGi framework failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", dir, e.toString());
        }
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the container on " + deployDir + " is closed");
    }

    @Override
    public String toString() {
        return "OpForgeContainer[" + deployDir + (closed ? ", closed" : "") + "]";
    }
}
