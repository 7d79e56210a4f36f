package org.opforge.operators.deeponet;

import java.util.Arrays;
import java.util.Locale;
import org.opforge.tensor.Rng;
import org.opforge.tensor.nn.Activation;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.Sequential;
import org.opforge.tensor.nn.init.Init;
import org.opforge.tensor.nn.init.Initializer;

/**
 * Fully connected nets for the branch and trunk: {@code Linear(w0, w1), act, Linear(w1, w2), act, ...}
 * with the activation after the last layer only when asked. Being a {@link Sequential}, the Linear
 * layers sit at indices 0, 2, 4, ... and the state-dict keys are those of PyTorch's
 * {@code nn.Sequential} ({@code 0.weight}, {@code 2.bias}, ...), so weights move between the two.
 *
 * <p>Initializers (weights; biases are zero except for {@code torch_default}):
 * <ul>
 * <li>{@code glorot_normal}: N(0, 2 / (fan_in + fan_out)), DeepXDE's and the DeepONet paper's choice;</li>
 * <li>{@code glorot_uniform}: U(-a, a), a = sqrt(6 / (fan_in + fan_out));</li>
 * <li>{@code he_normal}: N(0, 2 / fan_in); {@code he_uniform}: U(-b, b), b = sqrt(6 / fan_in);</li>
 * <li>{@code lecun_normal}: N(0, 1 / fan_in);</li>
 * <li>{@code torch_default}: PyTorch's Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.</li>
 * </ul>
 */
public final class Mlp {
    /** The initializer names {@link #build} accepts. */
    public static final String[] INITIALIZERS = {"glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "lecun_normal", "torch_default"};

    /** The activation names accepted (see {@link Activation.Kind#parse}). */
    public static final String[] ACTIVATIONS = {"relu", "tanh", "gelu", "silu", "sigmoid", "softplus", "elu", "identity"};

    private Mlp() {}

    /**
     * A net with layer sizes {@code widths = [in, hidden..., out]} (at least two entries), weights drawn
     * from {@code rng} layer by layer (weight, then bias).
     */
    public static Sequential build(int[] widths, String activation, boolean lastActivation, String initializer, Rng rng) {
        if (widths.length < 2) throw new IllegalArgumentException("MLP: widths need at least [in, out], found " + Arrays.toString(widths));
        for (int w : widths) {
            if (w <= 0) throw new IllegalArgumentException("MLP: every width must be positive, found " + Arrays.toString(widths));
        }
        Activation.Kind kind = Activation.Kind.parse(activation);
        Initializer weight = weightInit(initializer);
        boolean torchDefault = initializer.toLowerCase(Locale.ROOT).equals("torch_default");
        Sequential net = new Sequential();
        for (int i = 0; i + 1 < widths.length; i++) {
            Initializer bias = torchDefault ? Init.defaultBias(widths[i]) : Init.zeros();
            net.add(new Linear(widths[i], widths[i + 1], true, weight, bias, rng));
            if (i + 2 < widths.length || lastActivation) net.add(new Activation(kind, 1.0));
        }
        return net;
    }

    /** The weight initializer called {@code name} (case-insensitive). */
    public static Initializer weightInit(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "glorot_normal", "xavier_normal" -> Init.xavierNormal(1.0);
            case "glorot_uniform", "xavier_uniform" -> Init.xavierUniform(1.0);
            case "he_normal", "kaiming_normal" -> Init.kaimingNormal(0, Init.FanMode.FAN_IN, "relu");
            case "he_uniform", "kaiming_uniform" -> Init.kaimingUniform(0, Init.FanMode.FAN_IN, "relu");
            case "lecun_normal" -> Init.kaimingNormal(0, Init.FanMode.FAN_IN, "linear");
            case "torch_default" -> Init.defaultWeight();
            default -> throw new IllegalArgumentException("initializer: expected one of " + Arrays.toString(INITIALIZERS) + ", found '" + name + "'");
        };
    }

    /** {@code [in, widths...]}. */
    static int[] widths(int in, java.util.List<Integer> hidden) {
        int[] w = new int[hidden.size() + 1];
        w[0] = in;
        for (int i = 0; i < hidden.size(); i++) w[i + 1] = hidden.get(i);
        return w;
    }
}
