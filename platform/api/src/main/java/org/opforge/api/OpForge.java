package org.opforge.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.opforge.api.data.Checkpoint;

/**
 * Embedding without OSGi: finds services on a plain class path through {@link ServiceLoader}.
 * Every OpForge bundle lists its services in {@code META-INF/services}, so adding an operator jar
 * to the class path is enough:
 *
 * <pre>{@code
 * NeuralOperator op = OpForge.load(checkpoint);     // or OpForge.operator("fno").create(Map.of(), 42)
 * Tensor output = op.apply(input);
 * }</pre>
 *
 * Inside an OSGi container use the runtime's {@code OpForgeContainer} instead.
 */
public final class OpForge {
    private OpForge() {}

    /** The operator factories visible to the thread's context class loader, sorted by name. */
    public static List<OperatorFactory> operators() {
        return operators(Thread.currentThread().getContextClassLoader());
    }

    /** The operator factories visible to {@code loader}, sorted by name. */
    public static List<OperatorFactory> operators(ClassLoader loader) {
        List<OperatorFactory> list = services(OperatorFactory.class, loader);
        list.sort(Comparator.comparing(OperatorFactory::name));
        return list;
    }

    /** The factory called {@code name}, or an error listing the names present. */
    public static OperatorFactory operator(String name) {
        return operator(name, Thread.currentThread().getContextClassLoader());
    }

    public static OperatorFactory operator(String name, ClassLoader loader) {
        List<OperatorFactory> all = operators(loader);
        for (OperatorFactory f : all) if (f.name().equals(name)) return f;
        List<String> names = new ArrayList<>();
        for (OperatorFactory f : all) names.add(f.name());
        throw new IllegalArgumentException("no operator '" + name + "' on the class path; found: "
                + (names.isEmpty() ? "none (add an operator jar to the class path)" : String.join(", ", names)));
    }

    /** Rebuilds a trained operator with the factory named by the checkpoint's {@value NeuralOperator#OPERATOR_ATTRIBUTE} attribute. */
    public static NeuralOperator load(Checkpoint checkpoint) {
        return operator(checkpoint.attribute(NeuralOperator.OPERATOR_ATTRIBUTE)).load(checkpoint);
    }

    /**
     * Every provider of {@code service} visible to {@code loader}. A provider that fails to
     * instantiate is an error naming it, not a silently shorter list.
     */
    public static <T> List<T> services(Class<T> service, ClassLoader loader) {
        List<T> out = new ArrayList<>();
        try {
            for (T t : ServiceLoader.load(service, loader)) out.add(t);
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a " + service.getSimpleName() + " provider: " + e.getMessage(), e);
        }
        return out;
    }
}
