package org.opforge.decomp.factorized;

import java.util.Locale;
import org.opforge.decomp.DecompositionMethod;

/** How a weight is stored: as one dense tensor or in a low-rank format (TFNO's {@code factorization}). */
public enum TensorFormat {
    DENSE, CP, TUCKER, TT;

    /** {@code dense}, {@code cp}, {@code tucker} or {@code tt}, any case; {@code null} and {@code none} mean dense. */
    public static TensorFormat parse(String name) {
        if (name == null) return DENSE;
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("dense") || n.equals("none") || n.isEmpty()) return DENSE;
        return of(DecompositionMethod.parse(n));
    }

    public static TensorFormat of(DecompositionMethod m) {
        switch (m) {
            case CP: return CP;
            case TUCKER: return TUCKER;
            default: return TT;
        }
    }

    /** The decomposition method behind this format; DENSE has none. */
    public DecompositionMethod method() {
        switch (this) {
            case CP: return DecompositionMethod.CP;
            case TUCKER: return DecompositionMethod.TUCKER;
            case TT: return DecompositionMethod.TT;
            default: throw new IllegalStateException("the dense format has no decomposition method");
        }
    }

    public String label() { return name().toLowerCase(Locale.ROOT); }
}
