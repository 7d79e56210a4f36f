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
}
