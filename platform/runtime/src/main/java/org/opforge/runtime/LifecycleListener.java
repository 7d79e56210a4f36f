package org.opforge.runtime;

/**
 * Receives the container's lifecycle events, in order, on one dispatcher thread (never on a
 * framework thread, so a slow listener cannot stall the framework).
 */
@FunctionalInterface
public interface LifecycleListener {
    void onEvent(LifecycleEvent event);
}
