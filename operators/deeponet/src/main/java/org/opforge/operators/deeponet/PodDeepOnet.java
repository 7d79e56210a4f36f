package org.opforge.operators.deeponet;

import java.util.Arrays;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Functional;
import org.opforge.tensor.nn.Layer;
import org.opforge.tensor.nn.Module;

/**
 * POD-DeepONet (Lu et al. 2022): the trunk is replaced by the proper orthogonal decomposition of the
 * training outputs. With the training targets {@code S (N, P)} on the shared points
 * {@code y_1..y_P}, mean {@code phi_0 = mean_i S_i} and the SVD {@code S - phi_0 = U Sigma V^T}, the
 * first K right singular vectors {@code phi_k = V[:, k]} (orthonormal in R^P) are the modes and
 * <pre>  G(u)(y_j) = sum_k b_k(u) phi_k(y_j) + phi_0(y_j) + b0 ,</pre>
 * with a branch MLP {@code [m, w, ..., K]}. The modes exist only at the training points: the model
 * evaluates there and nowhere else. Buffers {@code pod_basis (P, K)}, {@code pod_mean (P)},
 * {@code pod_points (P, d)}; parameters {@code branch.*} and {@code b0}.
 */
public final class PodDeepOnet extends Module {
    private final int sensors;

    /** A model around given modes (from {@link #modes}) with a fresh branch. */
    public PodDeepOnet(int sensors, int[] hiddenWidths, String activation, String initializer, Tensor basis, Tensor mean, Tensor points, Rng rng) {
        if (basis.dim() != 2 || mean.dim() != 1 || mean.size(0) != basis.size(0) || points.dim() != 2 || points.size(0) != basis.size(0)) {
            throw new IllegalArgumentException("pod-deeponet: need basis (P, K), mean (P) and points (P, d); found " + Arrays.toString(basis.shape())
                    + ", " + Arrays.toString(mean.shape()) + ", " + Arrays.toString(points.shape()));
        }
        this.sensors = sensors;
        int k = basis.size(1);
        int[] w = new int[hiddenWidths.length + 2];
        w[0] = sensors;
        System.arraycopy(hiddenWidths, 0, w, 1, hiddenWidths.length);
        w[w.length - 1] = k;
        registerModule("branch", Mlp.build(w, activation, false, initializer, rng));
        registerBuffer("pod_basis", basis.to(DType.FLOAT32));
        registerBuffer("pod_mean", mean.to(DType.FLOAT32));
        registerBuffer("pod_points", points.to(DType.FLOAT32));
        registerParameter("b0", Tensor.zeros(DType.FLOAT32, Device.CPU));
    }

    /** The modes of the training targets. */
    public record Modes(Tensor basis, Tensor mean, double[] singularValues) {}

    /**
     * POD of {@code targets (N, P)}: the mean over samples and the first {@code min(k, rank)} right singular
     * vectors of the centered data, computed in double precision with Hipparchus. Modes whose singular
     * value is below {@code 1e-6} of the largest are dropped: float32 targets carry rounding noise of
     * relative size ~1e-7, so such modes hold noise, not signal.
     */
    public static Modes modes(Tensor targets, int k) {
        if (targets.dim() != 2) throw new IllegalArgumentException("pod-deeponet: targets must be (N, P), found " + Arrays.toString(targets.shape()));
        if (k <= 0) throw new IllegalArgumentException("pod-deeponet: modes must be positive, found " + k);
        int n = targets.size(0), p = targets.size(1);
        double[] s = targets.to(DType.FLOAT64).toDoubleArray();
        double[] mean = new double[p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) mean[j] += s[i * p + j] / n;
        double[][] centered = new double[n][p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) centered[i][j] = s[i * p + j] - mean[j];
        RealMatrix a = new Array2DRowRealMatrix(centered, false);
        // Hipparchus computes the SVD of tall matrices; the right singular vectors are those of A^T for a wide one
        boolean wide = n < p;
        SingularValueDecomposition svd = new SingularValueDecomposition(wide ? a.transpose() : a);
        double[] sv = svd.getSingularValues();
        RealMatrix v = wide ? svd.getU() : svd.getV();
        int keep = 0;
        while (keep < Math.min(k, sv.length) && sv[keep] > 1e-6 * Math.max(sv[0], Double.MIN_VALUE)) keep++;
        if (keep == 0) throw new IllegalArgumentException("pod-deeponet: the training targets do not vary (all singular values are 0)");
        double[] basis = new double[p * keep];
        for (int j = 0; j < p; j++) for (int c = 0; c < keep; c++) basis[j * keep + c] = v.getEntry(j, c);
        return new Modes(Tensor.of(basis, DType.FLOAT32, Device.CPU, p, keep), Tensor.of(mean, DType.FLOAT32, Device.CPU, p),
                Arrays.copyOf(sv, keep));
    }

    public int sensors() { return sensors; }

    public int modeCount() { return buffer("pod_basis").size(1); }

    public Tensor points() { return buffer("pod_points"); }

    /**
     * {@code u (N, m)} at the training points {@code y (P, d)} to {@code (N, P)}.
     *
     * @throws IllegalArgumentException when {@code y} are not the points the modes were computed on
     */
    public Tensor cartesian(Tensor u, Tensor y) {
        if (u.dim() != 2 || u.size(1) != sensors) {
            throw new IllegalArgumentException("pod-deeponet: the input has " + (u.dim() < 1 ? 0 : u.size(-1)) + " sensor values per sample (shape "
                    + Arrays.toString(u.shape()) + "), the model expects " + sensors + " (sensors)");
        }
        checkPoints(y);
        Tensor basis = buffer("pod_basis").to(u.device()), mean = buffer("pod_mean").to(u.device());
        Tensor b = ((Layer) child("branch")).forward(u);
        return Functional.mm(b, basis, false, true).add(mean).add(param("b0"));
    }

    private void checkPoints(Tensor y) {
        Tensor pts = points();
        if (!Arrays.equals(y.shape(), pts.shape())) {
            throw new IllegalArgumentException("pod-deeponet: query points of shape " + Arrays.toString(y.shape())
                    + ", but the POD modes exist only at the " + pts.size(0) + " training points of shape " + Arrays.toString(pts.shape()));
        }
        try (GradMode.Scope g = GradMode.noGrad()) {
            double err = y.detach().to(DType.FLOAT32).to(pts.device()).sub(pts).abs().max(new int[] {0, 1}, false).item();
            if (err > 1e-6) {
                throw new IllegalArgumentException("pod-deeponet: the query points differ from the training points by up to " + err
                        + "; the POD modes exist only at the training points");
            }
        }
    }
}
