package org.opforge.solvers.spectral;

/**
 * Viscous Burgers {@code u_t + (u²/2)_x = ν u_xx} on the periodic interval {@code [0, 1)}.
 *
 * <p>Fourier pseudo-spectral in space on {@code n} points (a power of two) with the 2/3 rule
 * removing aliasing from the quadratic term; in time the exponential time-differencing
 * fourth-order Runge-Kutta scheme ETDRK4 of Cox and Matthews, with the φ-function coefficients
 * evaluated by the contour integrals of Kassam and Trefethen (2005). The stiff viscous part
 * {@code -ν k²} is integrated exactly, so the step is limited only by advection: by default
 * {@code dt = cfl · Δx / max|u₀|} (the maximum principle keeps {@code |u| <= max|u₀|}),
 * shortened so that it divides the output interval.
 */
public final class BurgersSolver {
    private final int n;
    private final double viscosity;
    private final Fft fft;
    private final double[] k; // angular wavenumbers 2π k
    private final boolean[] keep;

    public BurgersSolver(int n, double viscosity) {
        if (n < 4 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("Burgers resolution must be a power of two >= 4, got " + n);
        }
        if (!(viscosity > 0) || !Double.isFinite(viscosity)) {
            throw new IllegalArgumentException("Burgers viscosity must be positive (the spectral scheme has no shock capturing), got "
                    + viscosity);
        }
        this.n = n;
        this.viscosity = viscosity;
        this.fft = new Fft(n);
        k = new double[n];
        keep = new boolean[n];
        for (int i = 0; i < n; i++) {
            int w = Fft.wavenumber(i, n);
            k[i] = 2 * Math.PI * w;
            keep[i] = Math.abs(w) < n / 3.0 && w != -n / 2;
        }
    }

    /**
     * Integrates from {@code u0} and returns the solution at {@code times} (increasing, the first
     * at least 0), row {@code s} of the result being {@code u(times[s])}.
     *
     * @param cfl advective Courant number for the automatic step (0.4 is safe for ETDRK4)
     */
    public double[][] solve(double[] u0, double[] times, double cfl) {
        if (u0.length != n) {
            throw new IllegalArgumentException("initial condition has " + u0.length + " points, solver resolution is " + n);
        }
        if (!(cfl > 0)) {
            throw new IllegalArgumentException("cfl must be positive, got " + cfl);
        }
        double umax = 0;
        for (double v : u0) {
            umax = Math.max(umax, Math.abs(v));
        }
        double dtMax = umax > 0 ? cfl / n / umax : Double.POSITIVE_INFINITY;
        double[][] out = new double[times.length][];
        double[] re = u0.clone();
        double[] im = new double[n];
        fft.forward(re, im, 0);
        double t = 0;
        for (int s = 0; s < times.length; s++) {
            double span = times[s] - t;
            if (span < -1e-14) {
                throw new IllegalArgumentException("output times must be increasing and non-negative, got " + java.util.Arrays.toString(times));
            }
            if (span > 0) {
                int steps = Math.max(1, (int) Math.ceil(span / Math.min(dtMax, span) - 1e-9));
                advance(re, im, span / steps, steps);
            }
            t = times[s];
            double[] r = re.clone();
            double[] i = im.clone();
            fft.inverse(r, i, 0);
            out[s] = r;
        }
        return out;
    }

    /** Advances {@code steps} steps of size {@code dt} (fixed: the φ coefficients are computed once). */
    public void advance(double[] re, double[] im, double dt, int steps) {
        Etd c = new Etd(dt);
        double[] nvR = new double[n];
        double[] nvI = new double[n];
        double[] aR = new double[n];
        double[] aI = new double[n];
        double[] naR = new double[n];
        double[] naI = new double[n];
        double[] bR = new double[n];
        double[] bI = new double[n];
        double[] nbR = new double[n];
        double[] nbI = new double[n];
        double[] cR = new double[n];
        double[] cI = new double[n];
        double[] ncR = new double[n];
        double[] ncI = new double[n];
        double[] wr = new double[n];
        double[] wi = new double[n];
        for (int s = 0; s < steps; s++) {
            nonlinear(re, im, nvR, nvI, wr, wi);
            for (int i = 0; i < n; i++) {
                aR[i] = c.e2[i] * re[i] + c.q[i] * nvR[i];
                aI[i] = c.e2[i] * im[i] + c.q[i] * nvI[i];
            }
            nonlinear(aR, aI, naR, naI, wr, wi);
            for (int i = 0; i < n; i++) {
                bR[i] = c.e2[i] * re[i] + c.q[i] * naR[i];
                bI[i] = c.e2[i] * im[i] + c.q[i] * naI[i];
            }
            nonlinear(bR, bI, nbR, nbI, wr, wi);
            for (int i = 0; i < n; i++) {
                cR[i] = c.e2[i] * aR[i] + c.q[i] * (2 * nbR[i] - nvR[i]);
                cI[i] = c.e2[i] * aI[i] + c.q[i] * (2 * nbI[i] - nvI[i]);
            }
            nonlinear(cR, cI, ncR, ncI, wr, wi);
            for (int i = 0; i < n; i++) {
                re[i] = c.e[i] * re[i] + nvR[i] * c.f1[i] + 2 * (naR[i] + nbR[i]) * c.f2[i] + ncR[i] * c.f3[i];
                im[i] = c.e[i] * im[i] + nvI[i] * c.f1[i] + 2 * (naI[i] + nbI[i]) * c.f2[i] + ncI[i] * c.f3[i];
            }
        }
    }

    /** {@code N(û) = -i k/2 · FFT(u²)} with the upper third of the spectrum of {@code û} removed first. */
    private void nonlinear(double[] uR, double[] uI, double[] outR, double[] outI, double[] wr, double[] wi) {
        for (int i = 0; i < n; i++) {
            wr[i] = keep[i] ? uR[i] : 0;
            wi[i] = keep[i] ? uI[i] : 0;
        }
        fft.inverse(wr, wi, 0);
        for (int i = 0; i < n; i++) {
            wr[i] = wr[i] * wr[i];
            wi[i] = 0;
        }
        fft.forward(wr, wi, 0);
        for (int i = 0; i < n; i++) {
            double h = keep[i] ? -0.5 * k[i] : 0;
            // (-i h')(a + i b) with h' = k/2: real part h'b, imaginary part -h'a
            outR[i] = -h * wi[i];
            outI[i] = h * wr[i];
        }
    }

    /** ETDRK4 coefficients for the diagonal linear part {@code L = -ν k²}. */
    private final class Etd {
        final double[] e = new double[n];
        final double[] e2 = new double[n];
        final double[] q = new double[n];
        final double[] f1 = new double[n];
        final double[] f2 = new double[n];
        final double[] f3 = new double[n];

        Etd(double dt) {
            int m = 32;
            for (int i = 0; i < n; i++) {
                double l = -viscosity * k[i] * k[i] * dt;
                e[i] = Math.exp(l);
                e2[i] = Math.exp(l / 2);
                double sq = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int j = 1; j <= m; j++) {
                    // contour point z = l + e^{iπ(j - 1/2)/m}; only the real parts of the means survive
                    double ang = Math.PI * (j - 0.5) / m;
                    double zr = l + Math.cos(ang);
                    double zi = Math.sin(ang);
                    double[] ez = cexp(zr, zi);
                    double[] ez2 = cexp(zr / 2, zi / 2);
                    double[] z2 = cmul(zr, zi, zr, zi);
                    double[] z3 = cmul(z2[0], z2[1], zr, zi);
                    // Q: (e^{z/2} - 1) / z
                    sq += cdivRe(ez2[0] - 1, ez2[1], zr, zi);
                    // f1: (-4 - z + e^z (4 - 3z + z²)) / z³
                    double[] t1 = cmul(ez[0], ez[1], 4 - 3 * zr + z2[0], -3 * zi + z2[1]);
                    s1 += cdivRe(-4 - zr + t1[0], -zi + t1[1], z3[0], z3[1]);
                    // f2: (2 + z + e^z (z - 2)) / z³
                    double[] t2 = cmul(ez[0], ez[1], zr - 2, zi);
                    s2 += cdivRe(2 + zr + t2[0], zi + t2[1], z3[0], z3[1]);
                    // f3: (-4 - 3z - z² + e^z (4 - z)) / z³
                    double[] t3 = cmul(ez[0], ez[1], 4 - zr, -zi);
                    s3 += cdivRe(-4 - 3 * zr - z2[0] + t3[0], -3 * zi - z2[1] + t3[1], z3[0], z3[1]);
                }
                q[i] = dt * sq / m;
                f1[i] = dt * s1 / m;
                f2[i] = dt * s2 / m;
                f3[i] = dt * s3 / m;
            }
        }
    }

    private static double[] cexp(double r, double i) {
        double m = Math.exp(r);
        return new double[] {m * Math.cos(i), m * Math.sin(i)};
    }

    private static double[] cmul(double ar, double ai, double br, double bi) {
        return new double[] {ar * br - ai * bi, ar * bi + ai * br};
    }

    private static double cdivRe(double ar, double ai, double br, double bi) {
        return (ar * br + ai * bi) / (br * br + bi * bi);
    }

    public int resolution() {
        return n;
    }
}
