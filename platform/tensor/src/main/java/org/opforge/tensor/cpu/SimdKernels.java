package org.opforge.tensor.cpu;

/**
 * Loads the jdk.incubator.vector implementation of a CPU kernel interface by class name, so that the
 * engine's classes never link against the incubator module where it is absent (the JVM was started
 * without {@code --add-modules jdk.incubator.vector}, or the class loader cannot see it), and the
 * system property {@code opforge.cpu.nosimd} can force the plain loops.
 */
final class SimdKernels {
    private SimdKernels() {}

    /** An instance of {@code className} (a class of this package implementing {@code type}), or null when SIMD is unavailable or disabled. */
    static <T> T load(Class<T> type, String className) {
        if (Boolean.getBoolean("opforge.cpu.nosimd") || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
        try {
            return type.cast(Class.forName(SimdKernels.class.getPackageName() + "." + className).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // module present but not usable from this class loader: plain loops
        }
    }
}
