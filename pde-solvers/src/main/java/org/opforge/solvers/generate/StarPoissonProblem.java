package org.opforge.solvers.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;
import org.opforge.meshes.Box2D;
import org.opforge.meshes.Star;
import org.opforge.solvers.Seeds;
import org.opforge.solvers.wos.ManufacturedPoisson;
import org.opforge.solvers.wos.WalkOnSpheres;

/**
 * The WoS-NO benchmark family: {@code -Δu = f} in the star {@code r < 1 + c1 cos 4t + c2 cos 8t},
 * {@code u = g} on its boundary, with the closed-form solutions of {@link ManufacturedPoisson}, on
 * point clouds. Each sample holds {@code nb} boundary points (first) and {@code ni} interior points,
 * and per point the GINO input {@code [x, y, g at the nearest boundary point, distance to it, f]}
 * (the reference's three features after the coordinates), the exact {@code u}, optionally static
 * Walk-on-Spheres labels, the star coefficients and the instance's parameters. With a fixed
 * geometry every sample shares one point cloud, drawn from {@code point_seed}; with a varying one
 * each sample draws {@code c1, c2 ~ U(-c_range, c_range)} and its own points.
 *
 * <p>With {@code layout = grid} the samples are fields on an {@code n x n} grid of nodes over the box
 * {@code [-b, b]^2} with {@code b = 1 + |c1| + |c2|} (fixed geometry) or {@code 1 + 2 c_range}
 * (varying), which holds every star of the family since its radius is at most {@code 1 + |c1| + |c2|}:
 * node {@code (i, j)} sits at {@code (x_j, y_i)}, {@code x_j = -b + 2 b j / (n - 1)}. Per node the input
 * channels are {@code [g at the nearest boundary point, distance to it, f, mask]} (the point layout's
 * three features, defined at every node, then {@code mask = 1} inside the star, {@code 0} outside), the
 * target is the exact {@code u} inside and {@code 0} outside, and the mask is a field of its own; the
 * boundary points serve the features only.
 */
final class StarPoissonProblem implements Problem {
    /** Interior points keep at least this distance from the boundary, so float32 coordinates stay inside. */
    private static final double MARGIN = 1e-5;
    /** Input channels of the grid layout: g at the nearest boundary point, distance to it, f, mask. */
    static final int GRID_CHANNELS = 4;

    @Override
    public String name() {
        return "star-poisson";
    }

    @Override
    public String description() {
        return "-Laplacian u = f in a star domain with closed-form solutions (harmonic polynomial + Gaussian bumps), point clouds";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.choice("geometry", "fixed", List.of("fixed", "varying"), "fixed: one star (c1, c2) for all samples; "
                        + "varying: c1, c2 ~ U(-c_range, c_range) per sample"),
                ParameterSpec.real("c1", 0.1, -0.3, false, 0.3, "star coefficient of cos 4t (fixed geometry)"),
                ParameterSpec.real("c2", 0.05, -0.3, false, 0.3, "star coefficient of cos 8t (fixed geometry)"),
                ParameterSpec.real("c_range", 0.2, 0, false, 0.3, "half-width of the uniform law of c1 and c2 (varying geometry)"),
                ParameterSpec.integer("boundary_points", 96, 3, 1_000_000, "boundary points per sample (the first points)"),
                ParameterSpec.integer("interior_points", 256, 1, 1_000_000, "interior points per sample"),
                ParameterSpec.integer("point_seed", 0, 0, Integer.MAX_VALUE, "seed of the shared point cloud (fixed geometry)"),
                ParameterSpec.real("mu_std", 0.5, 0, false, 10, "standard deviation of the bump centres"),
                ParameterSpec.real("width", 0.5, 0, true, 10, "bump width s in exp(-|x - mu|^2 / s^2)"),
                ParameterSpec.integer("walks", 0, 0, 100_000_000, "static Walk-on-Spheres labels u_wos with this many walks per "
                        + "interior point (0: none)"),
                ParameterSpec.real("epsilon", 1e-3, 0, true, 0.1, "Walk-on-Spheres boundary shell width"),
                ParameterSpec.choice("layout", "points", List.of("points", "grid"), "points: point clouds [P, 5]; grid: fields on a "
                        + "resolution x resolution grid over the bounding box of the family's stars, with an inside/outside mask"),
                ParameterSpec.integer("resolution", 32, 2, 4096, "grid nodes per axis (layout grid)"),
                ParameterSpec.choice("first_step", "stratified-antithetic", List.of("independent", "stratified", "antithetic", "stratified-antithetic"),
                        "how the first steps of the walks from one point are drawn"));
    }

    @Override
    public Prepared prepare(Parameters p) {
        boolean varying = p.getString("geometry").equals("varying");
        double cRange = p.getDouble("c_range");
        if (varying && 2 * cRange >= 0.7) {
            throw new IllegalArgumentException("c_range " + cRange + " lets the star radius 1 - |c1| - |c2| fall below 0.3; use c_range < 0.35");
        }
        int nb = p.getInt("boundary_points");
        int ni = p.getInt("interior_points");
        int np = nb + ni;
        double muStd = p.getDouble("mu_std");
        double width = p.getDouble("width");
        int walks = p.getInt("walks");
        double eps = p.getDouble("epsilon");
        WalkOnSpheres.FirstStep first = switch (p.getString("first_step")) {
            case "independent" -> WalkOnSpheres.FirstStep.INDEPENDENT;
            case "antithetic" -> WalkOnSpheres.FirstStep.ANTITHETIC;
            case "stratified" -> WalkOnSpheres.FirstStep.STRATIFIED;
            default -> WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC;
        };
        if (walks == 1 || (walks > 0 && first.paired() && (walks % 2 != 0 || walks < 4))) {
            throw new IllegalArgumentException("walks must be 0, or at least 2 (even and at least 4 with first_step "
                    + p.getString("first_step") + "), got " + walks);
        }
        boolean grid = p.getString("layout").equals("grid");
        int res = p.getInt("resolution");
        // every star of the family lies in r <= 1 + |c1| + |c2|
        double box = varying ? 1 + 2 * cRange : 1 + Math.abs(p.getDouble("c1")) + Math.abs(p.getDouble("c2"));
        int drawn = grid ? 0 : ni;
        Star fixedStar = varying ? null : Star.of(p.getDouble("c1"), p.getDouble("c2"));
        double[] fixedPoints = varying ? null : pointCloud(fixedStar, nb, drawn, new Well19937c(Seeds.derive(p.getInt("point_seed"), 0x57a7L)));
        double[] axis = new double[res];
        for (int j = 0; j < res; j++) axis[j] = -box + 2 * box * j / (res - 1);
        // the values of one sample: per point (point layout) or per node (grid layout, row-major, y along axis 0)
        int values = grid ? res * res : np;
        int[] field = grid ? new int[] {res, res} : new int[] {np};
        return new Prepared() {
            @Override
            public List<FieldSpec> fields() {
                List<FieldSpec> f = new java.util.ArrayList<>(List.of(
                        new FieldSpec("x", grid ? new int[] {GRID_CHANNELS, res, res} : new int[] {np, 5}, FieldSpec.Role.INPUT),
                        new FieldSpec("u", field, FieldSpec.Role.TARGET)));
                if (grid) f.add(new FieldSpec("mask", field, FieldSpec.Role.AUXILIARY));
                if (walks > 0) {
                    f.add(new FieldSpec("u_wos", field, FieldSpec.Role.AUXILIARY));
                    f.add(new FieldSpec("u_wos_stderr", field, FieldSpec.Role.AUXILIARY));
                }
                f.add(new FieldSpec("domain", new int[] {2}, FieldSpec.Role.AUXILIARY));
                f.add(new FieldSpec("coefficients", new int[] {ManufacturedPoisson.PARAMETERS}, FieldSpec.Role.AUXILIARY));
                return f;
            }

            @Override
            public Map<String, double[]> coordinates() {
                return grid ? Map.of("x", axis.clone(), "y", axis.clone()) : Map.of();
            }

            @Override
            public Map<String, Object> attributes() {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("equation", "-Laplacian u = f in r < 1 + c1 cos 4t + c2 cos 8t, u = g on the boundary");
                a.put("solution", "u = b0 + (b1 x + b2 y + b3 (x^2 - y^2) + 2 b4 x y) / 4 + sum_j beta_j exp(-|x - mu_j|^2 / s^2), "
                        + "b ~ U(-1,1)^5, beta ~ N(0,1)^2, mu ~ N(0, mu_std^2 I)");
                a.put("layout", grid ? "grid" : "points");
                if (grid) {
                    a.put("x_channels", "g at the nearest boundary point, distance to it, f, mask (1 inside, 0 outside)");
                    a.put("resolution", res);
                    a.put("box", box);
                    a.put("grid_layout", "node (i, j) at (x_j, y_i), x_j = y_j = -box + 2 box j / (resolution - 1); u = 0 outside");
                } else {
                    a.put("x_channels", "x, y, g at the nearest boundary point, distance to it, f");
                }
                a.put("coefficients_layout", "b0 b1 b2 b3 b4 beta1 beta2 mu1x mu1y mu2x mu2y s");
                a.put("domain_layout", "c1 c2");
                a.put("n_boundary", nb);
                if (!grid) a.put("n_interior", ni);
                return a;
            }

            @Override
            public void sample(int index, long seed, SampleOutput out) {
                Well19937c rng = new Well19937c(seed);
                Star star = fixedStar;
                double[] xy = fixedPoints;
                if (varying) {
                    star = Star.of(cRange * (2 * rng.nextDouble() - 1), cRange * (2 * rng.nextDouble() - 1));
                    xy = pointCloud(star, nb, drawn, rng);
                }
                ManufacturedPoisson m = ManufacturedPoisson.draw(rng::nextDouble, rng::nextGaussian, muStd, width);
                // where the values live: the cloud's points, or the grid's nodes; inside[q] says whether u is defined there
                double[] at = grid ? new double[2 * values] : xy;
                boolean[] inside = new boolean[values];
                for (int q = 0; q < values; q++) {
                    if (grid) {
                        at[2 * q] = axis[q % res];
                        at[2 * q + 1] = axis[q / res];
                        inside[q] = star.sdf(at[2 * q], at[2 * q + 1]) < -MARGIN;
                    } else {
                        inside[q] = true;
                    }
                }
                double[] x = new double[grid ? GRID_CHANNELS * values : np * 5];
                double[] u = new double[values];
                for (int q = 0; q < values; q++) {
                    double px = at[2 * q];
                    double py = at[2 * q + 1];
                    int near = 0;
                    double best = Double.POSITIVE_INFINITY;
                    for (int j = 0; j < nb; j++) {
                        double d = Math.hypot(px - xy[2 * j], py - xy[2 * j + 1]);
                        if (d < best) {
                            best = d;
                            near = j;
                        }
                    }
                    double g = m.u(xy[2 * near], xy[2 * near + 1]);
                    if (grid) {
                        // channel-first [4, res, res]
                        u[q] = inside[q] ? m.u(px, py) : 0;
                        x[q] = g;
                        x[values + q] = best;
                        x[2 * values + q] = m.f(px, py);
                        x[3 * values + q] = inside[q] ? 1 : 0;
                    } else {
                        u[q] = m.u(px, py);
                        x[5 * q] = px;
                        x[5 * q + 1] = py;
                        x[5 * q + 2] = g;
                        x[5 * q + 3] = best;
                        x[5 * q + 4] = m.f(px, py);
                    }
                }
                out.put("x", x);
                out.put("u", u);
                if (grid) {
                    double[] mask = new double[values];
                    for (int q = 0; q < values; q++) mask[q] = inside[q] ? 1 : 0;
                    out.put("mask", mask);
                }
                if (walks > 0) {
                    WalkOnSpheres wos = m.walkOnSpheres(star, eps, 100_000);
                    double[] mean = u.clone();
                    double[] se = new double[values];
                    long walkSeed = rng.nextLong();
                    for (int q = grid ? 0 : nb; q < values; q++) {
                        if (!inside[q]) continue;
                        var e = wos.estimate(at[2 * q], at[2 * q + 1], walks, Seeds.derive(walkSeed, q), first);
                        mean[q] = e.mean();
                        se[q] = e.standardError();
                    }
                    out.put("u_wos", mean);
                    out.put("u_wos_stderr", se);
                }
                out.put("domain", new double[] {star.c1(), star.c2()});
                out.put("coefficients", m.toArray());
            }
        };
    }

    /** {@code nb} boundary points uniform in arc length, then {@code ni} interior points uniform in area. */
    static double[] pointCloud(Star star, int nb, int ni, Well19937c rng) {
        double[] xy = new double[2 * (nb + ni)];
        System.arraycopy(star.sampleBoundary(nb, rng::nextDouble), 0, xy, 0, 2 * nb);
        Box2D b = star.bounds();
        for (int q = nb; q < nb + ni; ) {
            double x = b.xmin() + b.width() * rng.nextDouble();
            double y = b.ymin() + b.height() * rng.nextDouble();
            if (star.sdf(x, y) < -MARGIN) {
                xy[2 * q] = x;
                xy[2 * q + 1] = y;
                q++;
            }
        }
        return xy;
    }
}
