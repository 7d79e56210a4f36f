package org.opforge.tensor;

/** A recorded op in the autodiff graph: its name (for errors), its inputs and its gradient rule. */
final class Node {
    final String op;
    final Tensor[] inputs;
    final Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }
}
