package org.opforge.tensor.golden;

import java.util.List;

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
     * Cases whose computation lives in an operator bundle that this module cannot depend on, each with
     * the test that runs every file of that case through this harness (the bundle's tests depend on this
     * module's test jar). {@link GoldenTest} reports such files as skipped with that pointer instead of
     * failing on a case nobody here claims.
     */
    public static final java.util.Map<String, String> CHECKED_ELSEWHERE = java.util.Map.of(
            "mgno2d", "operators/mgno MgnoGoldenTest"
    );
}
