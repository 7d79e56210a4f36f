package org.opforge.operators.fno.layers;

import java.util.Arrays;
import org.opforge.tensor.Tensor;

/**
 * Positional embedding of the FNO reference code and neuralop's {@code GridEmbeddingND}: appends one
 * channel per spatial axis holding that axis' coordinate {@code linspace(0, 1, n)[i]} (both ends
 * included), computed at the input's own resolution, after the input channels:
 * {@code (B, C, n_1..n_d) -> (B, C + d, n_1..n_d)} with channels (x, g_1, .., g_d).
 */
public final class GridEmbedding {
    private GridEmbedding() {}

    public static Tensor append(Tensor x, int dims) {
        int[] s = x.shape();
        if (s.length != dims + 2) throw new IllegalArgumentException("grid embedding: expected (B, C, " + dims + " grid axes), found " + Arrays.toString(s));
        Tensor[] parts = new Tensor[dims + 1];
        parts[0] = x;
        int[] target = s.clone();
        target[1] = 1;
        for (int k = 0; k < dims; k++) {
            int n = s[2 + k];
            int[] view = new int[s.length];
            Arrays.fill(view, 1);
            view[2 + k] = n;
            parts[k + 1] = Tensor.linspace(0, 1, n).to(x.device()).to(x.dtype()).reshape(view).expand(target);
        }
        return Tensor.cat(1, parts);
    }
}
