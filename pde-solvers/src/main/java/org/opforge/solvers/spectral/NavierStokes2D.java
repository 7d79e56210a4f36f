package org.opforge.solvers.spectral;

/**
 * Incompressible Navier-Stokes in vorticity form on the periodic unit torus,
 * {@code ∂_t w + u·∇w = ν Δw + f}, {@code u = (∂_y ψ, -∂_x ψ)}, {@code -Δψ = w}, as in the FNO paper's
 * data generator ({@code ns_2d.py}): Fourier pseudo-spectral in space on an {@code n x n} grid
 * (power of two; points {@code (i/n, j/n)}, row-major with {@code x} the first index), the
 * nonlinear term evaluated in physical space and dealiased by the 2/3 rule, and in time
 * Crank-Nicolson for the viscous term with the advection and forcing explicit:
 * {@code ŵ⁺ = (ŵ + Δt (f̂ - F̂) - ½Δt ν|2πk|² ŵ) / (1 + ½Δt ν|2πk|²)}.
 *
 * <p>Unlike {@code ns_2d.py}, the Nyquist modes are left out of the derivatives (a real field's
 * {@code i k} at the Nyquist frequency is not real), which lets the four real fields
 * {@code u, v, w_x, w_y} come from two complex inverse FFTs. Not thread-safe (work arrays).
 */
public final class NavierStokes2D {
    private final int n;
    private final double viscosity;
    private final Fft fft;
    private final double[] fRe;
    private final double[] fIm;
    private final double[] kx;
    private final double[] ky;
    private final double[] lap;
    private final boolean[] dealias;
    private final double[] scratch;
    private final double[] aRe;
    private final double[] aIm;
    private final double[] bRe;
    private final double[] bIm;

    /**
     * @param n grid points per side (a power of two, at least 4)
     * @param viscosity {@code ν > 0}
     * @param forcing {@code f} at the grid points (row-major {@code n²}), or {@code null} for none
     */
    public NavierStokes2D(int n, double viscosity, double[] forcing) {
        if (n < 4 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("Navier-Stokes resolution must be a power of two >= 4, got " + n);
        }
        if (!(viscosity > 0) || !Double.isFinite(viscosity)) {
            throw new IllegalArgumentException("Navier-Stokes viscosity must be positive, got " + viscosity);
        }
        if (forcing != null && forcing.length != n * n) {
            throw new IllegalArgumentException("forcing must have " + n + "x" + n + " values, got " + forcing.length);
        }
        this.n = n;
        this.viscosity = viscosity;
        this.fft = new Fft(n);
        scratch = new double[2 * n];
        fRe = forcing == null ? new double[n * n] : forcing.clone();
        fIm = new double[n * n];
        fft.forward2d(fRe, fIm, scratch);
        kx = new double[n * n];
        ky = new double[n * n];
        lap = new double[n * n];
        dealias = new boolean[n * n];
        double kmax = n / 2.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int p = i * n + j;
                int wx = Fft.wavenumber(i, n);
                int wy = Fft.wavenumber(j, n);
                boolean nyquist = wx == -n / 2 || wy == -n / 2;
                kx[p] = nyquist ? 0 : 2 * Math.PI * wx;
                ky[p] = nyquist ? 0 : 2 * Math.PI * wy;
                lap[p] = 4 * Math.PI * Math.PI * ((double) wx * wx + (double) wy * wy);
                dealias[p] = Math.abs(wx) <= 2.0 / 3.0 * kmax && Math.abs(wy) <= 2.0 / 3.0 * kmax;
            }
        }
        lap[0] = 1.0;
        aRe = new double[n * n];
        aIm = new double[n * n];
        bRe = new double[n * n];
        bIm = new double[n * n];
    }

    /** The FNO paper's forcing {@code 0.1 (sin 2π(x+y) + cos 2π(x+y))} on the {@code n x n} grid. */
    public static double[] fnoForcing(int n) {
        double[] f = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 2 * Math.PI * ((double) i / n + (double) j / n);
                f[i * n + j] = 0.1 * (Math.sin(s) + Math.cos(s));
            }
        }
        return f;
    }

    /**
     * Integrates from {@code w0} to {@code finalTime} with {@code ceil(finalTime / dt)} steps and
     * returns {@code recordSteps} snapshots, evenly spaced, the last at the final time.
     */
    public double[][] solve(double[] w0, double finalTime, double dt, int recordSteps) {
        if (w0.length != n * n) {
            throw new IllegalArgumentException("initial vorticity has " + w0.length + " values, expected " + n * n);
        }
        if (!(finalTime > 0) || !(dt > 0)) {
            throw new IllegalArgumentException("final time and time step must be positive, got T=" + finalTime + ", dt=" + dt);
        }
        int steps = (int) Math.ceil(finalTime / dt - 1e-9);
        if (recordSteps < 1 || recordSteps > steps) {
            throw new IllegalArgumentException("record steps must be in [1, " + steps + "] (the number of time steps), got " + recordSteps);
        }
        double step = finalTime / steps;
        double[] wRe = w0.clone();
        double[] wIm = new double[n * n];
        fft.forward2d(wRe, wIm, scratch);
        double[][] out = new double[recordSteps][];
        int r = 0;
        for (int s = 1; s <= steps; s++) {
            step(wRe, wIm, step);
            // record at the steps nearest to the evenly spaced times (r+1) T / recordSteps
            if ((long) s * recordSteps >= (long) (r + 1) * steps) {
                out[r++] = toPhysical(wRe, wIm);
            }
        }
        return out;
    }

    private double[] toPhysical(double[] re, double[] im) {
        double[] r = re.clone();
        double[] i = im.clone();
        fft.inverse2d(r, i, scratch);
        return r;
    }

    /** One Crank-Nicolson / explicit step of the spectral vorticity {@code (wRe, wIm)}. */
    private void step(double[] wRe, double[] wIm, double dt) {
        advectionSpectrum(wRe, wIm);
        for (int p = 0; p < n * n; p++) {
            double a = 0.5 * dt * viscosity * lap[p];
            double fr = dealias[p] ? aRe[p] : 0;
            double fi = dealias[p] ? aIm[p] : 0;
            wRe[p] = (dt * (fRe[p] - fr) + (1 - a) * wRe[p]) / (1 + a);
            wIm[p] = (dt * (fIm[p] - fi) + (1 - a) * wIm[p]) / (1 + a);
        }
    }

    /** Leaves the spectrum of {@code u·∇w} (not yet dealiased) in {@code aRe, aIm}. */
    private void advectionSpectrum(double[] wRe, double[] wIm) {
        // ψ̂ = ŵ / |2πk|²; û = i ky ψ̂, v̂ = -i kx ψ̂; pack (û + i v̂) and (ŵx + i ŵy), each the spectrum of
        // a complex field whose real and imaginary parts are the two real fields wanted
        for (int p = 0; p < n * n; p++) {
            double pr = wRe[p] / lap[p];
            double pi = wIm[p] / lap[p];
            // û = i ky ψ̂ = (-ky pi, ky pr); v̂ = -i kx ψ̂ = (kx pi, -kx pr)
            double ur = -ky[p] * pi;
            double ui = ky[p] * pr;
            double vr = kx[p] * pi;
            double vi = -kx[p] * pr;
            aRe[p] = ur - vi;
            aIm[p] = ui + vr;
            // ŵx = i kx ŵ, ŵy = i ky ŵ
            double xr = -kx[p] * wIm[p];
            double xi = kx[p] * wRe[p];
            double yr = -ky[p] * wIm[p];
            double yi = ky[p] * wRe[p];
            bRe[p] = xr - yi;
            bIm[p] = xi + yr;
        }
        fft.inverse2d(aRe, aIm, scratch);
        fft.inverse2d(bRe, bIm, scratch);
        for (int p = 0; p < n * n; p++) {
            aRe[p] = aRe[p] * bRe[p] + aIm[p] * bIm[p];
            aIm[p] = 0;
        }
        fft.forward2d(aRe, aIm, scratch);
    }

    /** {@code u·∇w} in physical space for a physical vorticity field (exposed for tests of the nonlinear term). */
    double[] advection(double[] w) {
        double[] re = w.clone();
        double[] im = new double[n * n];
        fft.forward2d(re, im, scratch);
        advectionSpectrum(re, im);
        return toPhysical(aRe, aIm);
    }

    public int resolution() {
        return n;
    }
}
