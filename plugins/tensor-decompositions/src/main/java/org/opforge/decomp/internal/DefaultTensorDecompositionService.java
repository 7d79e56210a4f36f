package org.opforge.decomp.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.opforge.api.decomp.DecompositionRequest;
import org.opforge.api.decomp.DecompositionService;
import org.opforge.api.decomp.DecompositionSummary;
import org.opforge.decomp.DecompositionMethod;
import org.opforge.decomp.DecompositionOptions;
import org.opforge.decomp.DecompositionResult;
import org.opforge.decomp.Decompositions;
import org.opforge.decomp.DenseTensor;
import org.opforge.decomp.RankSpec;
import org.opforge.decomp.factorized.CompressionReport;
import org.opforge.decomp.factorized.FactorizedTensors;
import org.opforge.tensor.Tensor;
import org.osgi.service.component.annotations.Component;

/**
 * The CPU implementation of the API's {@link DecompositionService}: a stateless Declarative
 * Services component, and the {@link java.util.ServiceLoader} provider of the same interface for use
 * without OSGi. A real tensor is decomposed in float64 ({@link Decompositions}); a complex one is
 * compressed into factorized weights of its own dtype ({@link FactorizedTensors#compress}).
 */
@Component(service = DecompositionService.class, property = {"opforge.service=tensor-decompositions", "methods=cp", "methods=tucker", "methods=tt"})
public final class DefaultTensorDecompositionService implements DecompositionService {
    private static final String TOLERANCE_PREFIX = "tol=";

    @Override
    public List<String> methods() {
        return Arrays.stream(DecompositionMethod.values()).map(DecompositionMethod::label).toList();
    }

    @Override
    public DecompositionSummary decompose(Tensor tensor, DecompositionRequest request) {
        DecompositionMethod method = DecompositionMethod.parse(request.method());
        RankSpec rank = rank(request.rank());
        DecompositionOptions options = DecompositionOptions.defaults()
                .withMaxIterations(request.maxIterations()).withTolerance(request.stopTolerance()).withSeed(request.seed())
                .withCpInit(option(DecompositionOptions.CpInit.class, "cp init", request.cpInit()))
                .withTuckerAlgorithm(option(DecompositionOptions.TuckerAlgorithm.class, "Tucker algorithm", request.tuckerAlgorithm()));
        if (tensor.dtype().isComplex()) {
            CompressionReport c = FactorizedTensors.compress(method, tensor, rank, options);
            return new DecompositionSummary(method.label(), rank.toString(), c.factorized().ranks(), c.denseParameters(),
                    c.factorizedParameters(), c.relativeError(), c.iterations());
        }
        DecompositionResult d = Decompositions.decompose(method, DenseTensor.fromTensor(tensor), rank, options);
        return new DecompositionSummary(method.label(), rank.toString(), d.factorization().ranks(), d.denseParameters(),
                d.factorizedParameters(), d.relativeError(), d.iterations());
    }

    /** {@link RankSpec#parse}, and {@code tol=EPS} for a tensor-train error tolerance. */
    static RankSpec rank(String text) {
        String t = text.trim();
        if (!t.startsWith(TOLERANCE_PREFIX)) return RankSpec.parse(t);
        try {
            return RankSpec.tolerance(Double.parseDouble(t.substring(TOLERANCE_PREFIX.length())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rank '" + text + "': expected tol=EPS with a number EPS in (0, 1)", e);
        }
    }

    private static <E extends Enum<E>> E option(Class<E> type, String what, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + value + "' is not one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList(), e);
        }
    }
}
