package org.opforge.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation over the graph that ops record while {@link GradMode} is
 * enabled. Gradients of a real scalar L with respect to a complex tensor z follow PyTorch:
 * {@code dL/dRe(z) + i dL/dIm(z)}.
 */
public final class Autograd {
    private Autograd() {}

    /**
     * Attaches a gradient rule to {@code out} when recording is on and some input requires a gradient.
     * Every differentiable op ends with this call; it is the only way a node enters the graph.
     */
    public static Tensor record(Tensor out, String op, Backward backward, Tensor... inputs) {
        if (!GradMode.isEnabled()) return out;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                out.attach(new Node(op, inputs, backward));
                return out;
            }
        }
        return out;
    }

    /** Accumulates dL/dx into {@code x.grad()} of every leaf x that requires a gradient. */
    public static void backward(Tensor root, Tensor gradRoot, boolean createGraph) {
        Map<Tensor, Tensor> grads = run(new Tensor[] {root}, new Tensor[] {gradRoot}, createGraph, null);
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            Tensor leaf = e.getKey();
            if (leaf.isLeaf() && leaf.requiresGrad()) leaf.accumulateGrad(createGraph ? e.getValue() : e.getValue().detach());
        }
    }

    /**
     * Gradients of {@code sum_k <outputs[k], gradOutputs[k]>} with respect to {@code inputs}, without
     * touching any {@code .grad}. With {@code createGraph} the results are themselves differentiable.
     * An input the outputs do not depend on gets zeros when {@code allowUnused}, else an error.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean createGraph,
                                boolean allowUnused) {
        Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        Collections.addAll(wanted, inputs);
        Map<Tensor, Tensor> grads = run(outputs, gradOutputs, createGraph, wanted);
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = grads.get(inputs[i]);
            if (g == null) {
                if (!allowUnused) {
                    throw new IllegalArgumentException("grad: input " + i + " (shape " + Shapes.str(inputs[i].shape())
                            + ") is not reached from the outputs; pass allowUnused = true to get zeros");
                }
                g = Tensor.zeros(inputs[i].dtype(), inputs[i].device(), inputs[i].shape());
            }
            result[i] = createGraph ? g : g.detach();
        }
        return result;
    }

    /** Single-output convenience: d(sum(output * gradOutput))/d inputs; gradOutput null means ones. */
    public static Tensor[] grad(Tensor output, Tensor gradOutput, boolean createGraph, Tensor... inputs) {
        Tensor go = gradOutput != null ? gradOutput : Tensor.onesLike(output);
        return grad(new Tensor[] {output}, new Tensor[] {go}, inputs, createGraph, true);
    }

    private static Map<Tensor, Tensor> run(Tensor[] roots, Tensor[] rootGrads, boolean createGraph, Set<Tensor> stopAt) {
        List<Tensor> order = topologicalOrder(roots);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < roots.length; i++) {
            Tensor g = rootGrads[i] != null ? rootGrads[i] : Tensor.onesLike(roots[i]);
            if (!java.util.Arrays.equals(g.shape(), roots[i].shape())) {
                throw new IllegalArgumentException("backward: gradient of shape " + Shapes.str(g.shape())
                        + " given for an output of shape " + Shapes.str(roots[i].shape()));
            }
            grads.merge(roots[i], g, Tensor::add);
        }
        try (GradMode.Scope ignored = GradMode.set(createGraph)) {
            for (int idx = order.size() - 1; idx >= 0; idx--) {
                Tensor t = order.get(idx);
                Tensor g = grads.get(t);
                Node node = t.node();
                if (g == null || node == null) continue;
                if (stopAt != null && stopAt.contains(t) && !createGraph) {
                    // an intermediate asked for directly still propagates to inputs below it
                }
                Tensor[] gs = node.backward.apply(g);
                // t's gradient is complete and consumed: drop it (unless asked for) so it can be freed during the pass
                if (stopAt == null || !stopAt.contains(t)) grads.remove(t);
                for (int i = 0; i < node.inputs.length; i++) {
                    Tensor in = node.inputs[i];
                    if (in == null || !in.requiresGrad() || gs[i] == null) continue;
                    if (!java.util.Arrays.equals(gs[i].shape(), in.shape())) {
                        throw new IllegalStateException("backward of " + node.op + ": gradient for input " + i
                                + " has shape " + Shapes.str(gs[i].shape()) + " but the input has shape "
                                + Shapes.str(in.shape()));
                    }
                    Tensor gi = gs[i].dtype() == in.dtype() ? gs[i] : gs[i].to(in.dtype());
                    grads.merge(in, gi, Tensor::add);
                }
            }
        }
        return grads;
    }

    private static List<Tensor> topologicalOrder(Tensor[] roots) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Tensor r : roots) {
            if (r == null || !visited.add(r)) continue;
            stack.push(new Object[] {r, 0});
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                Tensor t = (Tensor) frame[0];
                int next = (Integer) frame[1];
                Node node = t.node();
                if (node != null && next < node.inputs.length) {
                    frame[1] = next + 1;
                    Tensor child = node.inputs[next];
                    if (child != null && child.requiresGrad() && visited.add(child)) stack.push(new Object[] {child, 0});
                } else {
                    stack.pop();
                    order.add(t);
                }
            }
        }
        return order;
    }
}
