package org.opforge.tensor;

/**
 * A recorded op in the autodiff graph: its name (for errors), where each input's gradient goes, and
 * its gradient rule. A node holds the inputs' shapes and dtypes, not the inputs: only the tensors its
 * rule saved stay alive with the graph, as in PyTorch, and a backward pass that does not retain the
 * graph drops the rule (and with it the saved tensors) as soon as it has run.
 */
final class Node {
    final String op;
    /** Per input: the input's own node, the input itself when it is a leaf requiring a gradient, or null. */
    final Object[] next;
    final int[][] inputShapes;
    final DType[] inputDtypes;
    private Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.backward = backward;
        next = new Object[inputs.length];
        inputShapes = new int[inputs.length][];
        inputDtypes = new DType[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in == null || !in.requiresGrad()) continue;
            next[i] = key(in);
            inputShapes[i] = in.shape();
            inputDtypes[i] = in.dtype();
        }
    }

    /** The graph vertex a tensor's gradient accumulates at: its node, or the tensor itself for a leaf. */
    static Object key(Tensor t) {
        return t.node() != null ? t.node() : t;
    }

    /** Runs the gradient rule; with {@code release} the rule and its saved tensors are dropped afterwards. */
    Tensor[] apply(Tensor gradOutput, boolean release) {
        Backward rule = backward;
        if (rule == null) {
            throw new IllegalStateException("backward through " + op + " a second time: the first backward released the graph's saved"
                    + " tensors; pass retainGraph = true to the first (Autograd.backward) to go through it again");
        }
        if (release) backward = null;
        return rule.apply(gradOutput);
    }
}
