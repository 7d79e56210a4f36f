package org.opforge.solvers.grf;

import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.random.RandomGenerator;
import org.opforge.solvers.spectral.Fft;

/**
 * Zero-mean Gaussian random fields.
 *
 * <ul>
 *   <li>{@link #neumann2d}: covariance {@code σ² (-Δ + τ² I)^{-α}} on the unit square with Neumann
 *       boundary conditions, sampled spectrally in the cosine eigenbasis
 *       {@code φ_k(x) = c_k cos(π k x)} ({@code c_0 = 1}, {@code c_k = √2}), eigenvalues
 *       {@code π²(k₁² + k₂²) + τ²}, the constant mode removed. This is the field of the FNO paper's
 *       Darcy data (their MATLAB {@code GRF(alpha, tau, s)} uses {@code σ = τ^{α-1}}).</li>
 *   <li>{@link #periodic1d} / {@link #periodic2d}: covariance {@code σ² (-Δ + τ² I)^{-α}} on the unit
 *       torus, Fourier eigenvalues {@code 4π²|k|² + τ²}, zero mean mode, sampled by an inverse FFT
 *       of Hermitian-symmetric complex normals (Burgers and Navier-Stokes initial conditions).</li>
 *   <li>{@link #rbf}: covariance {@code k(x, x') = σ² exp(-|x - x'|² / (2 l²))} on arbitrary 1-D points,
 *       sampled through a Cholesky factor (the DeepONet paper's input functions).</li>
 * </ul>
 *
 * All samplers consume normals from the given generator in a fixed order, so a seeded generator
 * gives a reproducible field.
 */
public final class GaussianRandomField {
    private GaussianRandomField() {
    }

    private static void checkSpectral(double alpha, double tau, double sigma) {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("GRF smoothness alpha must be positive, got " + alpha);
        }
        if (!(tau >= 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("GRF inverse length scale tau must be non-negative, got " + tau);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("GRF amplitude sigma must be positive, got " + sigma);
        }
    }

    /**
     * Samples the Neumann field at the points {@code x[i], y[j]} of a tensor grid (any points in [0,1]),
     * keeping wavenumbers {@code 0 <= k₁ < x.length}, {@code 0 <= k₂ < y.length}.
     *
     * @return row-major {@code x.length x y.length} values
     */
    public static double[] neumann2d(double[] x, double[] y, double alpha, double tau, double sigma, RandomGenerator rng) {
        checkSpectral(alpha, tau, sigma);
        int nx = x.length;
        int ny = y.length;
        // coefficient matrix C[k1][k2] = σ λ^{-α/2} ξ
        double[] c = new double[nx * ny];
        for (int k1 = 0; k1 < nx; k1++) {
            for (int k2 = 0; k2 < ny; k2++) {
                double xi = rng.nextGaussian();
                if (k1 == 0 && k2 == 0) {
                    continue;
                }
                double lambda = Math.PI * Math.PI * ((double) k1 * k1 + (double) k2 * k2) + tau * tau;
                c[k1 * ny + k2] = sigma * Math.pow(lambda, -alpha / 2) * xi;
            }
        }
        double[] phiX = cosineBasis(x, nx);
        double[] phiY = cosineBasis(y, ny);
        // U = Φx C Φyᵀ, done as two dense products: O(n³), a few ms at 128², no DCT needed
        double[] t = new double[nx * ny]; // t = C Φyᵀ : t[k1][j] = Σ_k2 C[k1][k2] φ_k2(y_j)
        for (int k1 = 0; k1 < nx; k1++) {
            for (int k2 = 0; k2 < ny; k2++) {
                double ck = c[k1 * ny + k2];
                if (ck == 0) {
                    continue;
                }
                int pb = k2 * ny;
                int tb = k1 * ny;
                for (int j = 0; j < ny; j++) {
                    t[tb + j] += ck * phiY[pb + j];
                }
            }
        }
        double[] u = new double[nx * ny];
        for (int k1 = 0; k1 < nx; k1++) {
            int tb = k1 * ny;
            for (int i = 0; i < nx; i++) {
                double p = phiX[k1 * nx + i];
                int ub = i * ny;
                for (int j = 0; j < ny; j++) {
                    u[ub + j] += p * t[tb + j];
                }
            }
        }
        return u;
    }

    /** {@code phi[k * n + i] = c_k cos(π k x_i)}. */
    private static double[] cosineBasis(double[] x, int modes) {
        int n = x.length;
        double[] phi = new double[modes * n];
        for (int k = 0; k < modes; k++) {
            double ck = k == 0 ? 1 : Math.sqrt(2);
            for (int i = 0; i < n; i++) {
                phi[k * n + i] = ck * Math.cos(Math.PI * k * x[i]);
            }
        }
        return phi;
    }

    /** Periodic field at the {@code n} points {@code i/n} of the unit circle ({@code n} a power of two). */
    public static double[] periodic1d(int n, double alpha, double tau, double sigma, RandomGenerator rng) {
        checkSpectral(alpha, tau, sigma);
        Fft fft = new Fft(n);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int k = 1; k <= n / 2; k++) {
            double amp = sigma * Math.pow(4 * Math.PI * Math.PI * k * k + tau * tau, -alpha / 2);
            if (k == n / 2) {
                re[k] = amp * rng.nextGaussian(); // the Nyquist mode is its own conjugate
            } else {
                double a = rng.nextGaussian() * amp / Math.sqrt(2);
                double b = rng.nextGaussian() * amp / Math.sqrt(2);
                re[k] = a;
                im[k] = b;
                re[n - k] = a;
                im[n - k] = -b;
            }
        }
        // u(x_j) = Σ_k û_k e^{2πi k j/n}: the unnormalised inverse transform
        fft.inverse(re, im, 0);
        for (int j = 0; j < n; j++) {
            re[j] *= n;
        }
        return re;
    }

    /** Periodic field on the {@code n x n} points {@code (i/n, j/n)} of the unit torus, row-major. */
    public static double[] periodic2d(int n, double alpha, double tau, double sigma, RandomGenerator rng) {
        checkSpectral(alpha, tau, sigma);
        Fft fft = new Fft(n);
        double[] re = new double[n * n];
        double[] im = new double[n * n];
        // visit each conjugate pair {k, -k} once: its representative is the first one met in row-major order
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int ci = (n - i) % n;
                int cj = (n - j) % n;
                int self = i * n + j;
                int conj = ci * n + cj;
                if (conj < self || self == 0) {
                    continue;
                }
                int k1 = Fft.wavenumber(i, n);
                int k2 = Fft.wavenumber(j, n);
                double amp = sigma * Math.pow(4 * Math.PI * Math.PI * ((double) k1 * k1 + (double) k2 * k2) + tau * tau, -alpha / 2);
                if (conj == self) {
                    re[self] = amp * rng.nextGaussian();
                } else {
                    double a = rng.nextGaussian() * amp / Math.sqrt(2);
                    double b = rng.nextGaussian() * amp / Math.sqrt(2);
                    re[self] = a;
                    im[self] = b;
                    re[conj] = a;
                    im[conj] = -b;
                }
            }
        }
        fft.inverse2d(re, im, new double[2 * n]);
        double s = (double) n * n;
        for (int p = 0; p < re.length; p++) {
            re[p] *= s;
        }
        return re;
    }

    /**
     * A sampler of the RBF-kernel field at fixed 1-D points. The Cholesky factor of
     * {@code K + jitter I} is computed once; each {@link #sample} costs one triangular product.
     */
    public static RbfSampler rbf(double[] points, double lengthScale, double sigma) {
        return new RbfSampler(points, lengthScale, sigma);
    }

    /** Samples of {@code k(x, x') = σ² exp(-|x - x'|² / (2 l²))} at fixed points. */
    public static final class RbfSampler {
        private final double[][] lower;

        private RbfSampler(double[] x, double l, double sigma) {
            if (!(l > 0) || !Double.isFinite(l)) {
                throw new IllegalArgumentException("RBF length scale must be positive, got " + l);
            }
            if (!(sigma > 0) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException("RBF amplitude sigma must be positive, got " + sigma);
            }
            if (x.length < 1) {
                throw new IllegalArgumentException("RBF field needs at least one point");
            }
            int n = x.length;
            RealMatrix k = MatrixUtils.createRealMatrix(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double d = x[i] - x[j];
                    k.setEntry(i, j, sigma * sigma * Math.exp(-d * d / (2 * l * l)));
                }
            }
            // the smooth kernel is numerically singular on dense points: a small nugget makes it factorable
            double jitter = 1e-10 * sigma * sigma;
            RealMatrix l0 = null;
            for (int attempt = 0; attempt < 8 && l0 == null; attempt++) {
                RealMatrix kj = k.copy();
                for (int i = 0; i < n; i++) {
                    kj.addToEntry(i, i, jitter);
                }
                try {
                    l0 = new CholeskyDecomposition(kj, 1e-8, 0).getL();
                } catch (RuntimeException notPositive) {
                    jitter *= 10;
                }
            }
            if (l0 == null) {
                throw new IllegalStateException("RBF covariance on " + n + " points could not be factored even with jitter " + jitter);
            }
            lower = l0.getData();
        }

        /** One field sample at the points, {@code L ξ} with {@code ξ} standard normal. */
        public double[] sample(RandomGenerator rng) {
            int n = lower.length;
            double[] xi = new double[n];
            for (int i = 0; i < n; i++) {
                xi[i] = rng.nextGaussian();
            }
            double[] u = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                double[] row = lower[i];
                for (int j = 0; j <= i; j++) {
                    s += row[j] * xi[j];
                }
                u[i] = s;
            }
            return u;
        }
    }
}
