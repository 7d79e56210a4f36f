package org.opforge.operators.fno.layers;

import java.util.Arrays;
import org.opforge.decomp.RankSpec;
import org.opforge.decomp.factorized.FactorizedTensor;
import org.opforge.decomp.factorized.FactorizedTensors;
import org.opforge.decomp.factorized.TensorFormat;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Layer;
import org.opforge.tensor.nn.init.Init;

/**
 * Fourier layer of Li et al. (2020) in d = 1, 2 or 3 dimensions, with dense or factorized (TFNO)
 * weights. For x {@code (B, C_in, n_1..n_d)}:
 * <pre>
 *   y = irfftn( P( W · K(rfftn(x)) ), s = (n_1..n_d) ),   (W · z)[b, o, k] = sum_i z[b, i, k] W[i, o, k]
 * </pre>
 * where K keeps the frequencies {@code {0..m_j-1} ∪ {n_j-m_j..n_j-1}} on the first d-1 axes and
 * {@code 0..m_d-1} on the last (one-sided) axis, and P puts the mixed block back with zeros elsewhere.
 * FFT norm 'backward', as the reference code. The kept block has shape
 * {@code (2m_1, .., 2m_{d-1}, m_d)}; the weight {@code W (C_in, C_out, 2m_1, .., m_d)} is
 * <ul>
 * <li>dense: {@code 2^(d-1)} corner leaves {@code weights1..} of shape {@code (C_in, C_out, m_1..m_d)}
 * in the reference code's order (weights1 = all low corners, weights2 = high on axis 1, weights3 =
 * high on axis 2, ...), initialized {@code scale U[0,1) (1 + i)}-style with
 * {@code scale = 1 / (C_in C_out)} for real and imaginary parts, so PyTorch checkpoints of the
 * reference code load as they are;</li>
 * <li>CP / Tucker / TT: one {@link FactorizedWeight} {@code weight} over the whole block, with a rank
 * given as a fraction of the block's entries, initialized as neuralop's TFNO (full-tensor entries of
 * mean 0 and standard deviation {@code sqrt(2 / (C_in + C_out))}), and applied reconstructed or
 * factor by factor.</li>
 * </ul>
 * Only the kept block is transformed (see {@link Spectral}), so the cost is O(n log n) in the grid and
 * O(modes) in the channel mixing. The layer works at any resolution whose grid holds the kept modes.
 */
public final class SpectralConvolution extends Layer {
    private final int in;
    private final int out;
    private final int[] modes;
    private final SpectralWeights weights;

    public SpectralConvolution(int in, int out, int[] modes, SpectralWeights weights, Rng rng) {
        this(in, out, modes, weights, null, rng);
    }

    /**
     * With a given factorized block (post-hoc compression, checkpoint loading); {@code initial} may
     * be null to draw one.
     */
    public SpectralConvolution(int in, int out, int[] modes, SpectralWeights weights, FactorizedTensor initial, Rng rng) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("SpectralConvolution: channels must be positive, found in=" + in + ", out=" + out);
        if (modes.length < 1 || modes.length > 3) {
            throw new IllegalArgumentException("SpectralConvolution: 1 to 3 spatial dimensions, found modes " + Arrays.toString(modes));
        }
        for (int m : modes) if (m < 1) throw new IllegalArgumentException("modes must be >= 1, found " + Arrays.toString(modes));
        this.in = in;
        this.out = out;
        this.modes = modes.clone();
        this.weights = weights;
        double scale = 1.0 / ((double) in * out);
        if (weights.format() == TensorFormat.DENSE) {
            int[] corner = concat(new int[] {in, out}, modes);
            for (int k = 1; k <= corners(); k++) registerParameter("weights" + k, Init.spectral(scale).create(rng, corner));
        } else {
            FactorizedTensor t = initial;
            if (t == null) {
                // neuralop's init_std "auto" (TFNO): entries of W with standard deviation sqrt(2 / (C_in + C_out))
                double std = Math.sqrt(2.0 / (in + out));
                t = FactorizedTensors.random(weights.format(), blockShape(), RankSpec.fraction(weights.rank()), DType.COMPLEX64,
                        Device.CPU, std, rng);
            }
            if (t.format() != weights.format() || !Arrays.equals(t.shape(), blockShape())) {
                throw new IllegalArgumentException("SpectralConvolution: the given " + t.format().label() + " weight has shape "
                        + Arrays.toString(t.shape()) + ", the layer needs a " + weights.format().label() + " weight of shape "
                        + Arrays.toString(blockShape()));
            }
            registerModule("weight", new FactorizedWeight(t));
        }
    }

    public int[] modes() { return modes.clone(); }

    public SpectralWeights weights() { return weights; }

    /** Shape {@code (C_in, C_out, 2m_1, .., 2m_{d-1}, m_d)} of the kept block's weight. */
    public int[] blockShape() {
        int[] s = concat(new int[] {in, out}, modes);
        for (int k = 0; k + 1 < modes.length; k++) s[2 + k] = 2 * modes[k];
        return s;
    }

    private int corners() { return 1 << (modes.length - 1); }

    /** The factorized weight, or null for a dense layer. */
    public FactorizedTensor factorized() {
        return weights.format() == TensorFormat.DENSE ? null : ((FactorizedWeight) children().get("weight")).tensor();
    }

    /** The whole kept block's weight {@code W} (differentiable; reconstructed for factorized layers). */
    public Tensor block() {
        if (weights.format() != TensorFormat.DENSE) return factorized().reconstruct();
        // corner k-1 has bit j set when it is the high corner along spatial axis j; pair along axis 2, then 3
        Tensor[] parts = new Tensor[corners()];
        for (int k = 0; k < parts.length; k++) parts[k] = param("weights" + (k + 1));
        for (int j = 0; parts.length > 1; j++) {
            Tensor[] next = new Tensor[parts.length / 2];
            for (int k = 0; k < next.length; k++) next[k] = Tensor.cat(2 + j, parts[2 * k], parts[2 * k + 1]);
            parts = next;
        }
        return parts[0];
    }

    /** Checks that a grid holds the kept frequencies; the message names the modes and the grid. */
    public void checkResolution(int[] grid, String where) {
        int d = modes.length;
        boolean ok = grid.length == d;
        for (int k = 0; ok && k < d; k++) ok = k < d - 1 ? 2 * modes[k] <= grid[k] : modes[k] <= grid[k] / 2 + 1;
        if (!ok) {
            StringBuilder need = new StringBuilder();
            for (int k = 0; k < d; k++) need.append(k == 0 ? "" : " x ").append(k < d - 1 ? 2 * modes[k] : Math.max(1, 2 * modes[k] - 2));
            throw new IllegalArgumentException("modes " + Arrays.toString(modes) + " do not fit the resolution " + Arrays.toString(grid)
                    + (where.isEmpty() ? "" : " (" + where + ")") + ": a spectral layer keeps 2*modes frequencies along each axis but the last"
                    + " and modes along the last (at most n/2+1), so it needs a grid of at least " + need
                    + "; lower 'modes' or evaluate on a finer grid");
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int d = modes.length;
        if (x.dim() != d + 2 || x.size(1) != in) {
            throw new IllegalArgumentException("SpectralConvolution: expected x of shape (B, " + in + ", " + d + " grid axes), found "
                    + Arrays.toString(x.shape()));
        }
        int[] n = Arrays.copyOfRange(x.shape(), 2, d + 2);
        checkResolution(n, "");
        Tensor xf = Spectral.r2c(x, d + 1, modes[d - 1], false, 1.0);
        for (int k = d - 2; k >= 0; k--) xf = Spectral.c2c(xf, 2 + k, n[k], modes[k], modes[k], false, false, 1.0);
        Tensor yf;
        if (weights.format() == TensorFormat.DENSE || weights.implementation() == SpectralWeights.Implementation.RECONSTRUCTED) {
            yf = Spectral.complexMulChannels(xf, block());
        } else {
            yf = factorized().contract(xf.to(factorized().dtype()));
        }
        for (int k = 0; k < d - 1; k++) yf = Spectral.c2c(yf, 2 + k, n[k], modes[k], modes[k], true, true, 1.0 / n[k]);
        return Spectral.c2r(yf, d + 1, n[d - 1], true, 1.0 / n[d - 1]);
    }

    /** The dense block without a graph (for compression and inspection). */
    public Tensor denseBlock() {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return block().detach();
        }
    }

    @Override
    protected String extraRepr() {
        return in + ", " + out + ", modes=" + Arrays.toString(modes) + ", " + weights.format().label()
                + (weights.format() == TensorFormat.DENSE ? "" : ", rank=" + weights.rank() + ", " + weights.implementation().label());
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
