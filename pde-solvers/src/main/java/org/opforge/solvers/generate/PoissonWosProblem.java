package org.opforge.solvers.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;
import org.opforge.meshes.Box2D;
import org.opforge.meshes.Disc;
import org.opforge.meshes.Geometry2D;
import org.opforge.meshes.Rectangle;
import org.opforge.meshes.Star;
import org.opforge.solvers.grf.GaussianRandomField;
import org.opforge.solvers.wos.Field2D;
import org.opforge.solvers.wos.WalkOnSpheres;

/**
 * Noisy Walk-on-Spheres labels for {@code -Δu = f} with {@code u = 0} on the boundary of a 2-D
 * domain (the WoS-NO setting): {@code f} is a GRF on an {@code R x R} grid over the domain's
 * bounding box, bilinearly interpolated between grid points; the target is the WoS estimate at
 * the grid points inside the domain (0 outside), with its standard error.
 */
final class PoissonWosProblem implements Problem {
    @Override
    public String name() {
        return "poisson-wos";
    }

    @Override
    public String description() {
        return "Walk-on-Spheres estimates of -Laplacian u = f, u = 0 on the boundary of a 2-D SDF domain";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("resolution", 32, 2, 4096, "grid points per side over the domain's bounding box"),
                ParameterSpec.choice("domain", "star", List.of("star", "disc", "square"), "star: r = 1 + c1 cos 4t + c2 cos 8t"),
                ParameterSpec.real("c1", 0.1, -10, false, 10, "star coefficient of cos 4t"),
                ParameterSpec.real("c2", 0.05, -10, false, 10, "star coefficient of cos 8t"),
                ParameterSpec.integer("walks", 64, 2, 100000000, "walks per grid point"),
                ParameterSpec.real("epsilon", 1e-4, 0, true, 0.1, "boundary shell width"),
                ParameterSpec.real("alpha", 2, 0, true, 100, "source GRF smoothness"),
                ParameterSpec.real("tau", 3, 0, false, 1e6, "source GRF inverse length scale"),
                ParameterSpec.real("sigma", 100, 0, true, 1e9, "source GRF amplitude"));
    }

    @Override
    public Prepared prepare(Parameters p) {
        Geometry2D domain = switch (p.getString("domain")) {
            case "star" -> Star.of(p.getDouble("c1"), p.getDouble("c2"));
            case "disc" -> Disc.unit();
            default -> Rectangle.square(0, 0, 2);
        };
        double eps = p.getDouble("epsilon");
        new WalkOnSpheres(domain, null, (x, y) -> 0, eps, 100_000); // rejects a domain that encloses nothing
        int r = p.getInt("resolution");
        int walks = p.getInt("walks");
        double alpha = p.getDouble("alpha");
        double tau = p.getDouble("tau");
        double sigma = p.getDouble("sigma");
        Box2D b = domain.bounds();
        double[] x = new double[r];
        double[] y = new double[r];
        double[] ux = new double[r];
        for (int i = 0; i < r; i++) {
            ux[i] = (double) i / (r - 1);
            x[i] = b.xmin() + b.width() * ux[i];
            y[i] = b.ymin() + b.height() * ux[i];
        }
        double[] mask = new double[r * r];
        int count = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                if (domain.contains(x[i], y[j]) && domain.sdf(x[i], y[j]) < 0) {
                    mask[i * r + j] = 1;
                    count++;
                }
            }
        }
        int inside = count;
        if (inside == 0) {
            throw new IllegalArgumentException("no grid point of the " + r + "x" + r + " grid lies inside the domain: raise 'resolution'");
        }
        double[] points = new double[2 * inside];
        int[] where = new int[inside];
        for (int i = 0, k = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                if (mask[i * r + j] == 1) {
                    points[2 * k] = x[i];
                    points[2 * k + 1] = y[j];
                    where[k++] = i * r + j;
                }
            }
        }
        return new Prepared() {
            @Override
            public List<FieldSpec> fields() {
                return List.of(new FieldSpec("f", new int[] {r, r}, FieldSpec.Role.INPUT),
                        new FieldSpec("u", new int[] {r, r}, FieldSpec.Role.TARGET),
                        new FieldSpec("u_stderr", new int[] {r, r}, FieldSpec.Role.AUXILIARY));
            }

            @Override
            public Map<String, double[]> coordinates() {
                Map<String, double[]> c = new LinkedHashMap<>();
                c.put("x", x);
                c.put("y", y);
                c.put("mask", mask);
                return c;
            }

            @Override
            public Map<String, Object> attributes() {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("equation", "-Laplacian u = f in the domain, u = 0 on its boundary");
                a.put("domain_description", domain.toString());
                a.put("method", "Walk-on-Spheres, Green's-function source sampling, epsilon shell; u = 0 outside (see coords/mask)");
                return a;
            }

            @Override
            public void sample(int index, long seed, SampleOutput out) {
                Well19937c rng = new Well19937c(seed);
                double[] f = GaussianRandomField.neumann2d(ux, ux, alpha, tau, sigma, rng);
                Field2D source = (px, py) -> bilinear(f, r, (px - b.xmin()) / b.width() * (r - 1), (py - b.ymin()) / b.height() * (r - 1));
                WalkOnSpheres wos = new WalkOnSpheres(domain, source, (px, py) -> 0, eps, 100_000);
                double[] mean = new double[inside];
                double[] se = new double[inside];
                // one thread per sample already: keep the point loop sequential for fair sharing of cores
                for (int k = 0; k < inside; k++) {
                    var e = wos.estimate(points[2 * k], points[2 * k + 1], walks, org.opforge.solvers.Seeds.derive(rng.nextLong(), k));
                    mean[k] = e.mean();
                    se[k] = e.standardError();
                }
                double[] u = new double[r * r];
                double[] s = new double[r * r];
                for (int k = 0; k < inside; k++) {
                    u[where[k]] = mean[k];
                    s[where[k]] = se[k];
                }
                out.put("f", f);
                out.put("u", u);
                out.put("u_stderr", s);
            }
        };
    }

    private static double bilinear(double[] f, int r, double gi, double gj) {
        int i = Math.max(0, Math.min(r - 2, (int) Math.floor(gi)));
        int j = Math.max(0, Math.min(r - 2, (int) Math.floor(gj)));
        double a = Math.max(0, Math.min(1, gi - i));
        double c = Math.max(0, Math.min(1, gj - j));
        return (1 - a) * ((1 - c) * f[i * r + j] + c * f[i * r + j + 1]) + a * ((1 - c) * f[(i + 1) * r + j] + c * f[(i + 1) * r + j + 1]);
    }
}
