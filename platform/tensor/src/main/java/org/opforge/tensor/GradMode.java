package org.opforge.tensor;

/**
 * Thread-local switch for graph recording. {@code try (var s = GradMode.noGrad()) { ... }} runs
 * inference without recording; {@link #enableGrad()} turns recording back on inside such a scope.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope in which no op records a graph; closing restores the previous state. */
    public static Scope noGrad() {
        return set(false);
    }

    /** A scope in which ops record a graph; closing restores the previous state. */
    public static Scope enableGrad() {
        return set(true);
    }

    static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return () -> cell[0] = previous;
    }

    /** An {@link AutoCloseable} whose close does not throw. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
