package org.opforge.tensor.nn.loss;

import java.util.Arrays;
import org.opforge.tensor.DType;
import org.opforge.tensor.FftNorm;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/**
 * The spectral Sobolev loss of the MgNO reference code ({@code HsLoss(d=2, p=2, k, a)} of xlliu2017/MgNO,
 * inherited from the FNO utilities): the relative H^k norm measured in Fourier space. With
 * {@code E = F(x - y)} and {@code Y = F(y)} the orthonormal DFT over the last {@code d} axes, integer wave
 * numbers {@code k_j} in fftfreq layout {@code [0, 1, ..., ceil(n/2)-1, -floor(n/2), ..., -1]} taken in
 * absolute value and set to 0 where {@code |k_j| >= cutoff} (each axis separately, so the highest modes
 * are weighted as in plain L2), and the weight
 * <pre>
 *   w(k) = sqrt(1 + sum_{i=1..order} a_i^2 |k|^(2i)),   |k|^2 = sum_j k_j^2,
 * </pre>
 * the per-sample loss (axis 0, norms over every other axis) is {@code ||w E|| / ||w Y||}; the batch is
 * summed (the reference's {@code size_average=False}) or averaged. The orthonormal scaling cancels in
 * the ratio; it is kept so that the two norms are those of Parseval.
 */
public final class HsLoss implements Loss {
    /** The reference's wave-number cutoff. */
    public static final int DEFAULT_CUTOFF = 20;

    private final int d;
    private final double[] a;
    private final int cutoff;
    private final Reduction reduction;

    /** The reference's H1 loss over the last d axes: order 1, a = 1, cutoff 20, summed over the batch. */
    public HsLoss(int d) {
        this(d, new double[] {1.0}, DEFAULT_CUTOFF, Reduction.SUM);
    }

    /**
     * @param d       spatial axes (the last d of the tensor), 1 to 3
     * @param a       coefficients a_1..a_order of the derivative terms (the order is their count, at least 1)
     * @param cutoff  wave numbers with |k_j| >= cutoff count as 0 (must be positive)
     */
    public HsLoss(int d, double[] a, int cutoff, Reduction reduction) {
        if (d < 1 || d > 3) throw new IllegalArgumentException("HsLoss: d (number of spatial axes) must be 1, 2 or 3, found " + d);
        if (a.length < 1) throw new IllegalArgumentException("HsLoss: need at least one coefficient a (the order k >= 1), found none");
        if (cutoff < 1) throw new IllegalArgumentException("HsLoss: cutoff must be positive, found " + cutoff);
        this.d = d;
        this.a = a.clone();
        this.cutoff = cutoff;
        this.reduction = reduction;
    }

    public HsLoss withReduction(Reduction r) {
        return new HsLoss(d, a, cutoff, r);
    }

    /** The Sobolev order k (the number of coefficients a). */
    public int order() { return a.length; }

    @Override
    public Tensor apply(Tensor prediction, Tensor target) {
        LpLoss.checkShapes("HsLoss", prediction, target);
        if (prediction.dim() < d + 1) {
            throw new IllegalArgumentException("HsLoss: d = " + d + " spatial axes need a tensor of rank >= " + (d + 1) + " (batch first), found "
                    + Arrays.toString(prediction.shape()));
        }
        int[] grid = Arrays.copyOfRange(prediction.shape(), prediction.dim() - d, prediction.dim());
        Tensor w = weight(grid).to(prediction.device()).to(prediction.dtype());
        Tensor num = weightedNorm(prediction.sub(target), w);
        Tensor den = weightedNorm(target.detach(), w);
        return reduction.reduce(num.div(den));
    }

    /** ||w F(x)|| per sample. */
    private Tensor weightedNorm(Tensor x, Tensor w) {
        Tensor f = Spectral.fftn(x, d, FftNorm.ORTHO);
        Tensor re = f.real().mul(w), im = f.imag().mul(w);
        Tensor sq = re.square().add(im.square());
        return sq.reshape(sq.size(0), -1).sum(1, false).sqrt();
    }

    /** w over the grid (float64, shape {@code grid}). */
    Tensor weight(int[] grid) {
        int total = 1;
        for (int n : grid) total *= n;
        double[] w = new double[total];
        int[] idx = new int[grid.length];
        for (int i = 0; i < total; i++) {
            double k2 = 0;
            for (int j = 0; j < grid.length; j++) {
                double k = waveNumber(idx[j], grid[j]);
                k2 += k * k;
            }
            double s = 1, pow = 1;
            for (double c : a) {
                pow *= k2;
                s += c * c * pow;
            }
            w[i] = Math.sqrt(s);
            for (int j = grid.length - 1; j >= 0 && ++idx[j] == grid[j]; j--) idx[j] = 0;
        }
        return Tensor.of(w, DType.FLOAT64, org.opforge.tensor.Device.CPU, grid);
    }

    /** |fftfreq(n)[i] * n|, or 0 at or above the cutoff. */
    private double waveNumber(int i, int n) {
        int k = Math.abs(i < (n + 1) / 2 ? i : i - n);
        return k >= cutoff ? 0 : k;
    }

    @Override
    public String toString() {
        return "HsLoss(d=" + d + ", k=" + a.length + ", a=" + Arrays.toString(a) + ", cutoff=" + cutoff + ", reduction="
                + reduction.name().toLowerCase() + ")";
    }
}
