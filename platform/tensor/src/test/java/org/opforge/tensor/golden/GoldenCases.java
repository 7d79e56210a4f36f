package org.opforge.tensor.golden;

import java.util.List;
import java.util.Map;

/**
 * Every golden-case handler. One line per handler class: add yours (or uncomment it) when its
 * class exists. {@link GoldenTest} dispatches each file to the handler whose {@link GoldenCase#cases()}
 * contains the file's {@code case}; two handlers claiming one case is an error.
 */
public final class GoldenCases {
    private GoldenCases() {}

    public static final List<GoldenCase> ALL = List.of(
            new CoreGoldenCases()
            , new ConvGoldenCases()
            , new SpectralGoldenCases()
            , new NnGoldenCases()
    );

    /**
     * Cases whose computation is a model of an operator bundle, by the test that checks them there with
     * this harness ({@link GoldenComparison}); the engine's {@link GoldenTest} reports their files as
     * skipped with that pointer instead of failing for want of a handler.
     */
    public static final Map<String, String> CHECKED_IN_BUNDLES = Map.of(
            "multionet", "operators/dgno DgnoGoldenTest",
            "weak_residual_wendland", "operators/dgno DgnoGoldenTest",
            "mgno2d", "operators/mgno MgnoGoldenTest"
    );
}
