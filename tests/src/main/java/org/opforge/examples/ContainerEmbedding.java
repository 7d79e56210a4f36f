package org.opforge.examples;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.runtime.ContainerException;
import org.opforge.runtime.OpForgeContainer;
import org.opforge.tensor.Tensor;

/**
 * A host program that starts the OSGi container inside itself and uses an operator from a bundle
 * in the deploy directory. Bundles can be added, replaced and removed while it runs.
 *
 * <pre>
 * java -cp "bundles/lib/*:opforge-tests.jar" org.opforge.examples.ContainerEmbedding DEPLOY_DIR OPERATOR
 * </pre>
 */
public final class ContainerEmbedding {
    private ContainerEmbedding() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ContainerEmbedding DEPLOY_DIR OPERATOR");
            System.exit(2);
        }
        try {
            Tensor out = run(Paths.get(args[0]), args[1], Tensor.of(new float[] {1, 2, 3, 4}, 1, 4));
            System.out.println(args[1] + ": " + Arrays.toString(out.toFloatArray()));
        } catch (IllegalArgumentException | ContainerException e) {
            System.err.println("ContainerEmbedding: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The embedding itself: start, look the operator up, apply it, stop. */
    public static Tensor run(Path deployDir, String operator, Tensor input) {
        try (OpForgeContainer container = OpForgeContainer.start(deployDir)) {
            NeuralOperator op = container.operator(operator).create(Map.of(), 42);
            return op.apply(input);
        }
    }
}
