package org.opforge.decomp;

import java.util.Locale;

/** The three low-rank formats: canonical polyadic (CP / PARAFAC), Tucker, and tensor train (TT / MPS). */
public enum DecompositionMethod {
    CP, TUCKER, TT;

    /** Parses {@code cp}, {@code tucker} or {@code tt} (any case; {@code parafac} and {@code tensor-train} also accepted). */
    public static DecompositionMethod parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "cp": case "parafac": case "candecomp": return CP;
            case "tucker": return TUCKER;
            case "tt": case "tensor-train": case "tensor_train": case "tensortrain": return TT;
            default: throw new IllegalArgumentException("decomposition method must be one of cp, tucker, tt; found '" + name + "'");
        }
    }

    public String label() { return name().toLowerCase(Locale.ROOT); }
}
