package org.opforge.operators.fno.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opforge.decomp.factorized.CpFactorizedTensor;
import org.opforge.decomp.factorized.FactorizedTensor;
import org.opforge.decomp.factorized.TensorFormat;
import org.opforge.decomp.factorized.TtFactorizedTensor;
import org.opforge.decomp.factorized.TuckerFactorizedTensor;
import org.opforge.tensor.Tensor;

/**
 * Factorized spectral weights rebuilt from state-dict tensors, so a checkpoint loads with the ranks it
 * was saved with (those of a post-hoc compression may differ from what the rank fraction gives).
 */
final class FactorizedState {
    private FactorizedState() {}

    /** The weight stored under {@code prefix} ({@code blocks.l.spectral.weight.}) with {@code order} factors. */
    static FactorizedTensor read(TensorFormat format, Map<String, Tensor> state, String prefix, int order) {
        List<Tensor> factors = new ArrayList<>();
        for (int k = 0; k < order; k++) factors.add(copy(state, prefix + "factors." + k));
        return switch (format) {
            case CP -> new CpFactorizedTensor(copy(state, prefix + "weights"), factors);
            case TUCKER -> new TuckerFactorizedTensor(copy(state, prefix + "core"), factors);
            case TT -> new TtFactorizedTensor(factors);
            case DENSE -> throw new IllegalArgumentException("dense weights are not factorized");
        };
    }

    private static Tensor copy(Map<String, Tensor> state, String key) {
        Tensor t = state.get(key);
        if (t == null) throw new IllegalArgumentException("checkpoint has no tensor 'model/" + key + "'");
        return Tensor.of(t.toDoubleArray(), t.dtype(), t.device(), t.shape());
    }
}
