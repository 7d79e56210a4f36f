package org.opforge.operators.fno.layers;

import java.util.Locale;
import org.opforge.decomp.factorized.TensorFormat;

/**
 * How a spectral layer stores and applies its complex weight {@code W (C_in, C_out, kept modes...)}.
 *
 * @param format         dense (one leaf per kept corner, as Li et al.) or a CP / Tucker / TT factorization
 *                       of the whole kept block (TFNO, Kossaifi et al.)
 * @param rank           for factorized formats, the fraction of the dense block's entries the factors hold
 * @param implementation for factorized formats, whether the layer contracts the input with the
 *                       reconstructed block or factor by factor
 */
public record SpectralWeights(TensorFormat format, double rank, Implementation implementation) {

    /** neuralop's {@code implementation} of factorized spectral convolutions. */
    public enum Implementation {
        /** Form W from its factors, then mix channels with it. */
        RECONSTRUCTED,
        /** Contract the input with one factor at a time, never forming W. */
        FACTORIZED;

        public static Implementation parse(String s) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            return switch (n) {
                case "reconstructed" -> RECONSTRUCTED;
                case "factorized" -> FACTORIZED;
                default -> throw new IllegalArgumentException("implementation: expected 'reconstructed' or 'factorized', found '" + s + "'");
            };
        }

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    public SpectralWeights {
        if (format == null || implementation == null) throw new IllegalArgumentException("format and implementation must not be null");
        if (format != TensorFormat.DENSE && !(rank > 0 && Double.isFinite(rank))) {
            throw new IllegalArgumentException("rank: a " + format.label() + " factorization needs a positive fraction of the dense parameter count, found " + rank);
        }
    }

    /** Dense weights as in the original FNO. */
    public static SpectralWeights dense() {
        return new SpectralWeights(TensorFormat.DENSE, 1.0, Implementation.RECONSTRUCTED);
    }
}
