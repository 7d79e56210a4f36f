package org.opforge.operators.fno;

import java.util.ArrayList;
import java.util.List;
import org.opforge.api.NeuralOperator;
import org.opforge.decomp.DecompositionOptions;
import org.opforge.decomp.RankSpec;
import org.opforge.decomp.factorized.CompressionReport;
import org.opforge.decomp.factorized.FactorizedTensor;
import org.opforge.decomp.factorized.FactorizedTensors;
import org.opforge.decomp.factorized.TensorFormat;
import org.opforge.operators.fno.models.FnoOperator;
import org.opforge.tensor.Tensor;
import org.opforge.training.Metrics;

/**
 * Post-hoc compression of a trained FNO: the spectral weight block {@code W_l (C, C, 2m_1, .., m_d)}
 * of every layer is decomposed (CP-ALS, Tucker-HOOI or TT-SVD through the tensor-decompositions
 * bundle) at a rank given as a fraction of its dense entries, and the result is a TFNO whose other
 * weights and normalizers are those of the trained model. {@link #errorChange} measures what the
 * approximation costs on data.
 */
public final class SpectralCompression {
    private SpectralCompression() {}

    /** One layer's decomposition: {@code ||W - W_hat||_F / ||W||_F} and the entries before and after. */
    public record LayerReport(int layer, double relativeError, long denseEntries, long factorizedEntries) {}

    /**
     * The compressed operator ("tfno", same layout as the source) with the per-layer reports and the
     * operators' total parameter counts (real scalars; a complex weight counts 2).
     */
    public record Result(NeuralOperator compressed, TensorFormat format, double rank, List<LayerReport> layers,
                         long originalParameters, long compressedParameters) {
        public Result {
            layers = List.copyOf(layers);
        }

        public double compressionRatio() { return (double) originalParameters / compressedParameters; }
    }

    /** Mean relative L2 error on a data set before and after compression. */
    public record ErrorChange(double before, double after) {
        public double ratio() { return after / before; }
    }

    /**
     * Decomposes the spectral weights of {@code trained} (an "fno" or "tfno" operator of this bundle;
     * factorized weights are reconstructed first).
     *
     * @param format "cp", "tucker" or "tt"
     * @param rank   fraction of each layer's dense spectral entries the factors may hold
     */
    public static Result compress(NeuralOperator trained, String format, double rank) {
        return compress(trained, format, rank, DecompositionOptions.defaults());
    }

    public static Result compress(NeuralOperator trained, String format, double rank, DecompositionOptions options) {
        if (!(trained instanceof FnoOperator fno)) {
            throw new IllegalArgumentException("post-hoc compression needs an fno or tfno operator of the FNO bundle, found '"
                    + trained.name() + "' (" + trained.getClass().getName() + ")");
        }
        TensorFormat f = TensorFormat.parse(format);
        if (f == TensorFormat.DENSE) throw new IllegalArgumentException("format: expected cp, tucker or tt, found '" + format + "'");
        int layers = fno.network().spec().layers();
        List<LayerReport> reports = new ArrayList<>();
        FactorizedTensor[] weights = new FactorizedTensor[layers];
        for (int l = 0; l < layers; l++) {
            Tensor w = fno.network().spectral(l).denseBlock();
            CompressionReport r = FactorizedTensors.compress(f.method(), w, RankSpec.fraction(rank), options);
            weights[l] = r.factorized();
            reports.add(new LayerReport(l, r.relativeError(), r.denseParameters(), r.factorizedParameters()));
        }
        FnoOperator compressed = fno.withSpectralWeights(f, rank, l -> weights[l]);
        return new Result(compressed, f, rank, reports, fno.parameterCount(), compressed.parameterCount());
    }

    /** Mean relative L2 error of both operators' predictions against {@code targets}. */
    public static ErrorChange errorChange(NeuralOperator original, NeuralOperator compressed, Tensor inputs, Tensor targets) {
        double before = Metrics.mean(Metrics.relativeL2(original.apply(inputs), targets));
        double after = Metrics.mean(Metrics.relativeL2(compressed.apply(inputs), targets));
        return new ErrorChange(before, after);
    }
}
