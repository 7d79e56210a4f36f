package org.opforge.operators.fno.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opforge.decomp.factorized.CpFactorizedTensor;
import org.opforge.decomp.factorized.FactorizedTensor;
import org.opforge.decomp.factorized.TensorFormat;
import org.opforge.decomp.factorized.TtFactorizedTensor;
import org.opforge.decomp.factorized.TuckerFactorizedTensor;
import org.opforge.tensor.nn.Module;

/**
 * A CP, Tucker or TT weight as module parameters, named as tltorch's state-dict keys (CP
 * {@code weights}, {@code factors.k}; Tucker {@code core}, {@code factors.k}; TT {@code factors.k}).
 * {@link #tensor()} rebuilds the {@link FactorizedTensor} view from the current parameter tensors at
 * each call, so device moves and state-dict loads are always seen.
 */
public final class FactorizedWeight extends Module {
    private final TensorFormat format;
    private final int order;
    private final ParamGroup params = new ParamGroup();

    /** Takes over the leaves of {@code initial} as this module's parameters. */
    public FactorizedWeight(FactorizedTensor initial) {
        if (initial.format() == TensorFormat.DENSE) throw new IllegalArgumentException("FactorizedWeight holds CP, Tucker or TT weights, not dense ones");
        this.format = initial.format();
        this.order = initial.shape().length;
        for (Map.Entry<String, org.opforge.tensor.Tensor> e : initial.parameters().entrySet()) put(e.getKey(), e.getValue());
    }

    private void put(String name, org.opforge.tensor.Tensor t) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            registerParameter(name, t);
            return;
        }
        String group = name.substring(0, dot);
        if (!children().containsKey(group)) registerModule(group, params);
        params.put(name.substring(dot + 1), t);
    }

    public TensorFormat format() { return format; }

    /** The factorized tensor over the current parameters. */
    public FactorizedTensor tensor() {
        List<org.opforge.tensor.Tensor> factors = new ArrayList<>(order);
        for (int k = 0; k < order; k++) factors.add(params.get(Integer.toString(k)));
        return switch (format) {
            case CP -> new CpFactorizedTensor(param("weights"), factors);
            case TUCKER -> new TuckerFactorizedTensor(param("core"), factors);
            case TT -> new TtFactorizedTensor(factors);
            case DENSE -> throw new IllegalStateException("dense");
        };
    }

    @Override
    protected String extraRepr() {
        FactorizedTensor t = tensor();
        return format.label() + ", shape=" + java.util.Arrays.toString(t.shape()) + ", ranks=" + java.util.Arrays.toString(t.ranks());
    }
}
