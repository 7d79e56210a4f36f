package org.opforge.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;

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
        if (GradMode.isEnabled()) {
            for (Tensor t : inputs) {
                if (t != null && t.requiresGrad()) {
                    out.attach(new Node(op, inputs, backward));
                    StepScope.noteOutput(out);
                    return out;
                }
            }
        }
        StepScope.noteOutputWithoutGraph(out);
        return out;
    }

    /**
     * Accumulates dL/dx into {@code x.grad()} of every leaf x that requires a gradient. The graph is
     * released as the pass goes, unless {@code createGraph} (PyTorch's default for {@code retain_graph}).
     */
    public static void backward(Tensor root, Tensor gradRoot, boolean createGraph) {
        backward(root, gradRoot, createGraph, createGraph);
    }

    /**
     * As {@link #backward(Tensor, Tensor, boolean)}; with {@code retainGraph} false every node's saved
     * tensors are dropped as soon as its rule has run, so the activations of the forward pass are freed
     * while the gradients of the layers below them are computed, and a second pass through the same
     * graph is an error.
     */
    public static void backward(Tensor root, Tensor gradRoot, boolean createGraph, boolean retainGraph) {
        Map<Object, Tensor> grads = run(new Tensor[] {root}, new Tensor[] {gradRoot}, createGraph, !retainGraph, null);
        for (Map.Entry<Object, Tensor> e : grads.entrySet()) {
            if (e.getKey() instanceof Tensor leaf && leaf.isLeaf() && leaf.requiresGrad()) {
                leaf.accumulateGrad(createGraph ? e.getValue() : e.getValue().detach());
            }
        }
    }

    /**
     * Gradients of {@code sum_k <outputs[k], gradOutputs[k]>} with respect to {@code inputs}, without
     * touching any {@code .grad}. With {@code createGraph} the results are themselves differentiable.
     * An input the outputs do not depend on gets zeros when {@code allowUnused}, else an error. The
     * graph is retained: a later {@code backward} may go through it again.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean createGraph,
                                boolean allowUnused) {
        Set<Object> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor in : inputs) wanted.add(Node.key(in));
        Map<Object, Tensor> grads = run(outputs, gradOutputs, createGraph, false, wanted);
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = grads.get(Node.key(inputs[i]));
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

    /**
     * The gradient at every vertex (node or leaf) reached from the roots, in reverse topological order;
     * a node's gradient is dropped once consumed unless it is in {@code keep}. With {@code release}
     * (a pass that does not keep the graph), each node's saved tensors are dropped once its rule has
     * run, and a gradient this pass made goes back to its backend ({@link Backend#release}) as soon as
     * it is consumed, unless a root gradient, a pending gradient or a kept one shares its storage.
     */
    private static Map<Object, Tensor> run(Tensor[] roots, Tensor[] rootGrads, boolean createGraph, boolean release, Set<Object> keep) {
        // what a pass makes is not the forward pass's: a step scope notes nothing while it runs
        StepScope scope = StepScope.suspend();
        try {
            return pass(roots, rootGrads, createGraph, release, keep);
        } finally {
            StepScope.resume(scope);
        }
    }

    private static Map<Object, Tensor> pass(Tensor[] roots, Tensor[] rootGrads, boolean createGraph, boolean release, Set<Object> keep) {
        List<Object> order = topologicalOrder(roots);
        Gradients grads = new Gradients(release && !createGraph, roots[0].backend());
        for (int i = 0; i < roots.length; i++) {
            Tensor g = rootGrads[i] != null ? rootGrads[i] : Tensor.onesLike(roots[i]);
            if (!java.util.Arrays.equals(g.shape(), roots[i].shape())) {
                throw new IllegalArgumentException("backward: gradient of shape " + Shapes.str(g.shape())
                        + " given for an output of shape " + Shapes.str(roots[i].shape()));
            }
            grads.root(Node.key(roots[i]), g);
        }
        try (GradMode.Scope ignored = GradMode.set(createGraph)) {
            for (int idx = order.size() - 1; idx >= 0; idx--) {
                if (!(order.get(idx) instanceof Node node)) continue;
                Tensor g = grads.get(node);
                if (g == null) continue;
                Tensor[] gs = node.apply(g, release);
                for (int i = 0; i < node.next.length; i++) {
                    Object in = node.next[i];
                    if (in == null || gs[i] == null) continue;
                    if (!java.util.Arrays.equals(gs[i].shape(), node.inputShapes[i])) {
                        throw new IllegalStateException("backward of " + node.op + ": gradient for input " + i
                                + " has shape " + Shapes.str(gs[i].shape()) + " but the input has shape "
                                + Shapes.str(node.inputShapes[i]));
                    }
                    grads.merge(in, gs[i].dtype() == node.inputDtypes[i] ? gs[i] : gs[i].to(node.inputDtypes[i]));
                }
                // the node's gradient is complete and consumed: drop it (unless asked for) so it can be freed during the pass
                if (keep == null || !keep.contains(node)) grads.consume(node);
                grads.releaseDead();
            }
        }
        return grads.values;
    }

    /**
     * The gradients of one pass, and which storage they hold: a gradient tensor that left the map
     * (consumed, or summed into another) is released when the pass made its buffer and no gradient
     * still in the map, nor a root gradient, shares it.
     */
    private static final class Gradients {
        final Map<Object, Tensor> values = new IdentityHashMap<>();
        private final Map<Buffer, Integer> holders = new IdentityHashMap<>();
        private final List<Tensor> dead = new ArrayList<>();
        /** Storage never to release: the root gradients (the caller's) and what was released already. */
        private final Set<Buffer> spared = Collections.newSetFromMap(new IdentityHashMap<>());
        private final boolean recycle;
        private final Backend backend;
        private final long stamp;

        Gradients(boolean recycle, Backend backend) {
            this.recycle = recycle;
            this.backend = backend;
            this.stamp = backend.allocationStamp();
        }

        Tensor get(Object key) { return values.get(key); }

        /** A gradient the caller gave: merged like any other, its storage never released. */
        void root(Object key, Tensor g) {
            if (recycle) spared.add(g.buffer());
            merge(key, g);
        }

        void merge(Object key, Tensor g) {
            Tensor old = values.get(key);
            put(key, old == null ? g : old.add(g));
            if (old != null && recycle) {
                dead.add(old);
                dead.add(g);
            }
        }

        void consume(Object key) {
            Tensor g = values.remove(key);
            if (g == null || !recycle) return;
            unhold(g.buffer());
            dead.add(g);
        }

        private void put(Object key, Tensor g) {
            Tensor previous = values.put(key, g);
            if (!recycle) return;
            holders.merge(g.buffer(), 1, Integer::sum);
            if (previous != null) unhold(previous.buffer());
        }

        private void unhold(Buffer b) {
            holders.computeIfPresent(b, (k, n) -> n == 1 ? null : n - 1);
        }

        /** Releases the storage of the gradients that left the map, where nothing pending shares it. */
        void releaseDead() {
            for (Tensor t : dead) {
                Buffer b = t.buffer();
                if (!holders.containsKey(b) && backend.allocatedSince(b, stamp) && spared.add(b)) backend.release(b);
            }
            dead.clear();
        }
    }

    private static List<Object> topologicalOrder(Tensor[] roots) {
        List<Object> order = new ArrayList<>();
        Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Tensor r : roots) {
            Object root = Node.key(r);
            if (!visited.add(root)) continue;
            stack.push(new Object[] {root, 0});
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                int next = (Integer) frame[1];
                if (frame[0] instanceof Node node && next < node.next.length) {
                    frame[1] = next + 1;
                    Object child = node.next[next];
                    if (child != null && visited.add(child)) stack.push(new Object[] {child, 0});
                } else {
                    stack.pop();
                    order.add(frame[0]);
                }
            }
        }
        return order;
    }
}
