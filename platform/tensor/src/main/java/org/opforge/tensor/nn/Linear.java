package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;
import org.opforge.tensor.nn.init.Initializer;

/**
 * {@code y = x W^T + b} on the last axis, as torch.nn.Linear: weight (out, in), bias (out). A
 * tensor (..., in) is flattened to (M, in) and multiplied in one GEMM. Default init is PyTorch's:
 * weight and bias U(-1/sqrt(in), 1/sqrt(in)).
 */
public class Linear extends Layer {
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        this(inFeatures, outFeatures, bias, Init.defaultWeight(), Init.defaultBias(inFeatures), rng);
    }

    /** With explicit initializers for the weight (drawn first) and the bias. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Initializer weightInit, Initializer biasInit, Rng rng) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be positive, found " + inFeatures + ", " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", weightInit.create(rng, outFeatures, inFeatures));
        if (bias) registerParameter("bias", biasInit.create(rng, outFeatures));
    }

    public int inFeatures() { return inFeatures; }

    public int outFeatures() { return outFeatures; }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, param("weight"), hasParam("bias") ? param("bias") : null);
    }

    /**
     * {@code then.forward(forward(x))}, as one op where {@link Functional#fusesWithLinear} allows
     * (the bias and the activation applied inside the layer's kernel); the same values either way.
     */
    public Tensor forward(Tensor x, Activation then) {
        if (!Functional.fusesWithLinear(then.kind())) return then.forward(forward(x));
        return Functional.linear(x, param("weight"), hasParam("bias") ? param("bias") : null, then.kind());
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (hasParam("bias") ? "True" : "False");
    }
}
