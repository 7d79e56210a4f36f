package org.opforge.tensor.nn;

import java.util.Arrays;
import java.util.Locale;
import org.opforge.tensor.Tensor;

/** An element-wise activation as a layer (no parameters), chosen by name. */
public final class Activation extends Layer {

    /** The supported activations; GELU is the exact erf form. */
    public enum Kind {
        IDENTITY("identity"), RELU("relu"), TANH("tanh"), GELU("gelu"), SILU("silu"), SIGMOID("sigmoid"),
        SOFTPLUS("softplus"), ELU("elu");

        private final String label;

        Kind(String label) { this.label = label; }

        public String label() { return label; }

        /** Case-insensitive lookup; "linear" and "none" mean identity, "swish" means silu. */
        public static Kind parse(String name) {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
            switch (n) {
                case "linear", "none" -> { return IDENTITY; }
                case "swish" -> { return SILU; }
                default -> { }
            }
            for (Kind k : values()) if (k.label.equals(n)) return k;
            throw new IllegalArgumentException("unknown activation '" + name + "'; known: "
                    + Arrays.stream(values()).map(Kind::label).toList());
        }

        /** Applies this activation; {@code alpha} is ELU's alpha and ignored by the others. */
        public Tensor apply(Tensor x, double alpha) {
            return switch (this) {
                case IDENTITY -> x;
                case RELU -> x.relu();
                case TANH -> x.tanh();
                case GELU -> x.gelu();
                case SILU -> x.silu();
                case SIGMOID -> x.sigmoid();
                case SOFTPLUS -> x.softplus();
                case ELU -> x.elu(alpha);
            };
        }
    }

    private final Kind kind;
    private final double alpha;

    /** The activation called {@code name} (ELU with alpha 1). */
    public Activation(String name) {
        this(Kind.parse(name), 1.0);
    }

    public Activation(Kind kind, double alpha) {
        this.kind = kind;
        this.alpha = alpha;
    }

    public static Activation elu(double alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    public Kind kind() { return kind; }

    @Override
    public Tensor forward(Tensor x) {
        return kind.apply(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return kind == Kind.ELU ? "alpha=" + alpha : "";
    }

    @Override
    public String toString() {
        return kind.label() + "(" + extraRepr() + ")";
    }
}
