package org.opforge.examples;

import java.util.Arrays;
import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OpForge;
import org.opforge.api.data.Checkpoint;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;

/**
 * A host program using an operator without OSGi: the operator's bundle jar is simply on the class
 * path next to opforge-api and opforge-tensor, and {@link OpForge} finds it through
 * {@link java.util.ServiceLoader}.
 *
 * <pre>
 * java -cp opforge-api.jar:opforge-tensor.jar:my-operator.jar:opforge-tests.jar \
 *      org.opforge.examples.PlainEmbedding OPERATOR [VALUE...]
 * </pre>
 *
 * prints the operator's output on the input field made of the given values (default 1 2 3 4).
 */
public final class PlainEmbedding {
    private PlainEmbedding() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: PlainEmbedding OPERATOR [VALUE...]");
            System.exit(2);
        }
        float[] values = args.length > 1 ? parse(Arrays.copyOfRange(args, 1, args.length)) : new float[] {1, 2, 3, 4};
        try {
            Tensor out = run(args[0], Tensor.of(values, 1, values.length));
            System.out.println(args[0] + ": " + Arrays.toString(out.toFloatArray()));
        } catch (IllegalArgumentException e) {
            System.err.println("PlainEmbedding: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The embedding itself. A real host loads the checkpoint of a trained model from its HDF5 file
     * ({@code CheckpointStore.find().load(path)}); here it comes from a freshly created operator,
     * so the example runs without a training run first. The call runs as a host's inference loop would
     * run each call: without a graph, its intermediate fields handed back to the engine's buffer pool when
     * it ends, the result kept.
     */
    public static Tensor run(String operator, Tensor input) {
        Checkpoint checkpoint = OpForge.operator(operator).create(Map.of(), 42).toCheckpoint();
        NeuralOperator trained = OpForge.load(checkpoint);
        try (StepScope s = StepScope.inference(); GradMode.Scope g = GradMode.noGrad()) {
            return s.keep(trained.apply(input));
        }
    }

    private static float[] parse(String[] args) {
        float[] v = new float[args.length];
        for (int i = 0; i < args.length; i++) v[i] = Float.parseFloat(args[i]);
        return v;
    }
}
