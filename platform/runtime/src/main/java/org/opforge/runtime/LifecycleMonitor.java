package org.opforge.runtime;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opforge.api.OperatorFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the deployed bundles and the operator services and turns what happens into
 * {@link LifecycleEvent}s. Installs, updates and uninstalls are seen synchronously, so their events
 * come in the order things happened; failures are found by a sweep every poll interval that, once
 * the deploy directory has been quiet for two intervals (so a bundle whose provider is installed in
 * the same scan is not blamed), checks bundles that did not resolve and components that failed to
 * activate. Each failure is reported once per bundle revision.
 */
final class LifecycleMonitor implements SynchronousBundleListener {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleMonitor.class);

    private final BundleContext context;
    private final DeployStaging staging;
    private final Set<Long> frameworkBundles;
    private final long pollMillis;
    private final Diagnosis diagnosis;
    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, String> versions = new ConcurrentHashMap<>();
    private final Map<Long, String> problems = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Map<ServiceReference<OperatorFactory>, OperatorInfo> operators = new ConcurrentHashMap<>();
    private final ExecutorService dispatcher;
    private final ScheduledExecutorService sweeper;
    private final ServiceTracker<OperatorFactory, OperatorFactory> tracker;
    private volatile long lastChangeNanos = System.nanoTime();
    private volatile long lastSweepNanos;
    private volatile boolean closing;

    LifecycleMonitor(BundleContext context, Path deployDir, Path stagingDir, Set<Long> frameworkBundles, long pollMillis,
                     List<LifecycleListener> initialListeners) {
        this.context = context;
        this.staging = new DeployStaging(deployDir, stagingDir, (file, reason) ->
                emit(new LifecycleEvent(LifecycleEvent.Kind.FILE_IGNORED, file, "", reason)));
        this.frameworkBundles = Set.copyOf(frameworkBundles);
        this.pollMillis = pollMillis;
        this.diagnosis = new Diagnosis(context);
        this.listeners.addAll(initialListeners);
        this.dispatcher = Executors.newSingleThreadExecutor(named("opforge-events"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(named("opforge-monitor"));
        this.tracker = new ServiceTracker<>(context, OperatorFactory.class, new OperatorCustomizer());
    }

    /** Stages the deploy directory as it is now (before File Install starts watching the staging directory). */
    void stageInitial() throws java.io.IOException {
        staging.sync(true);
    }

    DeployStaging staging() { return staging; }

    void open() {
        context.addBundleListener(this);
        tracker.open();
        sweeper.scheduleWithFixedDelay(this::sweep, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops watching; events already queued are still delivered before this returns. */
    void close() {
        // closing the tracker "removes" every operator: that is the shutdown, not news for the listeners
        closing = true;
        sweeper.shutdownNow();
        try {
            context.removeBundleListener(this);
            tracker.close();
        } catch (IllegalStateException e) {
            LOG.debug("framework already stopped: {}", e.getMessage());
        }
        dispatcher.shutdown();
        try {
            if (!sweeper.awaitTermination(5, TimeUnit.SECONDS) || !dispatcher.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("lifecycle monitor threads did not finish within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void addListener(LifecycleListener l) { listeners.add(Objects.requireNonNull(l, "listener")); }

    void removeListener(LifecycleListener l) { listeners.remove(l); }

    List<OperatorInfo> operators() {
        List<OperatorInfo> list = new ArrayList<>(operators.values());
        list.sort(Comparator.comparing(OperatorInfo::name).thenComparing(OperatorInfo::bundle));
        return list;
    }

    Optional<String> problem(Bundle b) { return Optional.ofNullable(problems.get(b.getBundleId())); }

    boolean isDeployed(Bundle b) { return deployedFile(b) != null; }

    /** The bundle's file name when it was installed from the deploy directory, else null. */
    String deployedFile(Bundle b) {
        if (frameworkBundles.contains(b.getBundleId())) return null;
        try {
            return staging.deployFile(Paths.get(URI.create(b.getLocation())));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /** No install, update, uninstall or service change for two poll intervals, and a sweep has run since. */
    boolean quiet() {
        long last = lastChangeNanos;
        return System.nanoTime() - last > TimeUnit.MILLISECONDS.toNanos(2 * pollMillis) && lastSweepNanos > last;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        lastChangeNanos = System.nanoTime();
        Bundle b = event.getBundle();
        if (!isDeployed(b)) return;
        String version = b.getVersion().toString();
        switch (event.getType()) {
            case BundleEvent.INSTALLED:
                versions.put(b.getBundleId(), version);
                emit(new LifecycleEvent(LifecycleEvent.Kind.BUNDLE_INSTALLED, b.getSymbolicName(), version, null));
                break;
            case BundleEvent.UPDATED:
                problems.remove(b.getBundleId());
                String previous = versions.put(b.getBundleId(), version);
                emit(new LifecycleEvent(LifecycleEvent.Kind.BUNDLE_UPDATED, b.getSymbolicName(), version, previous));
                break;
            case BundleEvent.UNINSTALLED:
                problems.remove(b.getBundleId());
                versions.remove(b.getBundleId());
                emit(new LifecycleEvent(LifecycleEvent.Kind.BUNDLE_UNINSTALLED, b.getSymbolicName(), version, null));
                break;
            default:
                break;
        }
    }

    private void emit(LifecycleEvent event) {
        LOG.debug("{}", event);
        if (closing) return;
        dispatcher.execute(() -> {
            for (LifecycleListener l : listeners) {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("lifecycle listener {} threw on '{}': {}", l, event, e.toString());
                }
            }
        });
    }

    private void sweep() {
        try {
            if (staging.sync(false)) lastChangeNanos = System.nanoTime();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("cannot scan the deploy directory: {}", e.toString());
        }
        try {
            long started = System.nanoTime();
            if (started - lastChangeNanos > TimeUnit.MILLISECONDS.toNanos(2 * pollMillis)) {
                for (Bundle b : context.getBundles()) if (isDeployed(b)) check(b);
                lastSweepNanos = started;
            }
        } catch (IllegalStateException e) {
            LOG.debug("sweep stopped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("lifecycle sweep failed: {}", e.toString());
        }
    }

    private void check(Bundle b) {
        String revision = b.getBundleId() + "@" + b.getLastModified();
        int state = b.getState();
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev == null) return;
        boolean fragment = (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
        if (state == Bundle.INSTALLED && !fragment) {
            FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
            if (!wiring.resolveBundles(List.of(b))) {
                String reason = diagnosis.unresolved(b);
                if (reason != null) fail(b, revision + ":resolve", reason);
            }
        } else if (state == Bundle.ACTIVE) {
            List<String> failures = diagnosis.failedComponents(b);
            if (failures.isEmpty()) {
                problems.remove(b.getBundleId());
            } else {
                for (String f : failures) fail(b, revision + ":" + f, f);
            }
        }
    }

    private void fail(Bundle b, String key, String reason) {
        problems.put(b.getBundleId(), reason);
        if (reported.add(key)) {
            emit(new LifecycleEvent(LifecycleEvent.Kind.BUNDLE_FAILED, b.getSymbolicName(), b.getVersion().toString(), reason));
        }
    }

    private final class OperatorCustomizer implements ServiceTrackerCustomizer<OperatorFactory, OperatorFactory> {
        @Override
        public OperatorFactory addingService(ServiceReference<OperatorFactory> ref) {
            lastChangeNanos = System.nanoTime();
            Bundle b = ref.getBundle();
            OperatorFactory f;
            String name;
            String description;
            try {
                f = context.getService(ref);
                if (f == null) return null;
                name = f.name();
                description = f.description();
            } catch (RuntimeException e) {
                LOG.warn("operator service of bundle {} is unusable: {}", b, e.toString());
                return null;
            }
            OperatorInfo info = new OperatorInfo(name, description, b.getSymbolicName(), b.getVersion().toString(), f);
            operators.put(ref, info);
            emit(new LifecycleEvent(LifecycleEvent.Kind.OPERATOR_REGISTERED, info.bundle(), info.bundleVersion(), name));
            return f;
        }

        @Override
        public void modifiedService(ServiceReference<OperatorFactory> ref, OperatorFactory service) {}

        @Override
        public void removedService(ServiceReference<OperatorFactory> ref, OperatorFactory service) {
            lastChangeNanos = System.nanoTime();
            OperatorInfo info = operators.remove(ref);
            if (info != null) {
                emit(new LifecycleEvent(LifecycleEvent.Kind.OPERATOR_UNREGISTERED, info.bundle(), info.bundleVersion(), info.name()));
            }
            try {
                context.ungetService(ref);
            } catch (IllegalStateException e) {
                LOG.debug("unget after stop: {}", e.getMessage());
            }
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }
}
