package org.opforge.operators.fno.models;

import java.util.Arrays;
import org.opforge.meshes.RadiusSearch;
import org.opforge.operators.fno.layers.FnoBlock;
import org.opforge.operators.fno.layers.GraphIntegral;
import org.opforge.tensor.nn.ModuleList;
import org.opforge.operators.fno.layers.SpectralConvolution;
import org.opforge.operators.fno.layers.SpectralWeights;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Activation;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.MLP;
import org.opforge.tensor.nn.Module;

/**
 * Geometry-informed neural operator (Li et al. 2023, a small GINO as the WoS-NO peer's): point
 * clouds in, values at query points out, through an FNO on a latent grid.
 * <pre>
 *   a = lift(features)                              Linear(F, c), pointwise at the input points y
 *   v(z) = GNO_in(a)(z)                             latent grid z ∈ [-b, b]², n x n, radius r (see {@link GraphIntegral})
 *   v = fc0([v, z])                                 Linear(c + 2, width)
 *   v = block_l(v), l = 1..L                        the FNO family's Fourier blocks: act(K_l v + W_l v), none after the last
 *   h(q) = GNO_out(v)(q)                            from the latent grid to the queries q, radius r
 *   u(q) = projection(h(q))                         Linear(width, P) -> GELU -> Linear(P, 1)
 * </pre>
 * Neighbours come from a {@link RadiusSearch} grid, not all pairs. When every instance of a batch has
 * the same points (a fixed geometry), one graph and one kernel evaluation serve the whole batch;
 * otherwise the instances' graphs are joined into one. Queries that require a gradient get their own
 * graph per instance, so {@code ∂u/∂q} and {@code Δ_q u} follow by (double) backward.
 *
 * <p>State-dict keys: {@code lift.*}, {@code gno_in.kernel.*}, {@code fc0.*}, {@code blocks.l.spectral.*},
 * {@code blocks.l.skip.*}, {@code gno_out.kernel.*}, {@code projection.*}.
 */
public final class Gino extends Module {
    private final GinoSpec spec;
    private final Linear lift;
    private final GraphIntegral gnoIn;
    private final Linear fc0;
    private final ModuleList<FnoBlock> blocks;
    private final GraphIntegral gnoOut;
    private final MLP projection;
    private final double[] latentXY;
    private final Tensor latent;
    private final RadiusSearch latentSearch;

    public Gino(GinoSpec spec, Rng rng) {
        this.spec = spec;
        lift = registerModule("lift", new Linear(spec.features(), spec.gnoChannels(), rng));
        gnoIn = registerModule("gno_in", new GraphIntegral(spec.gnoChannels(), spec.kernelHidden(), spec.radius(), rng));
        fc0 = registerModule("fc0", new Linear(spec.gnoChannels() + 2, spec.width(), rng));
        blocks = registerModule("blocks", new ModuleList<>());
        for (int l = 0; l < spec.layers(); l++) {
            SpectralConvolution k = new SpectralConvolution(spec.width(), spec.width(), new int[] {spec.modes(), spec.modes()},
                    SpectralWeights.dense(), rng);
            blocks.add(new FnoBlock(k, spec.width(), false, 0, Activation.Kind.GELU, rng));
        }
        gnoOut = registerModule("gno_out", new GraphIntegral(spec.width(), spec.kernelHidden(), spec.radius(), rng));
        projection = registerModule("projection", new MLP(new int[] {spec.width(), spec.projectionChannels(), 1}, "gelu", rng));
        int n = spec.latent();
        latentXY = new double[2 * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                latentXY[2 * (i * n + j)] = coordinate(i);
                latentXY[2 * (i * n + j) + 1] = coordinate(j);
            }
        }
        latent = Tensor.of(latentXY, n * n, 2);
        latentSearch = new RadiusSearch(latentXY, spec.radius());
    }

    /** Latent grid coordinate {@code i}: {@code linspace(-b, b, n)}. */
    private double coordinate(int i) {
        int n = spec.latent();
        return -spec.latentBox() + 2 * spec.latentBox() * i / (n - 1);
    }

    public GinoSpec spec() { return spec; }

    /**
     * @param points input point coordinates {@code (B, P, 2)} (constants)
     * @param features input features at those points {@code (B, P, F)}
     * @param queries output points {@code (B, Q, 2)}; may require a gradient
     * @return {@code u (B, Q)}
     */
    public Tensor forward(Tensor points, Tensor features, Tensor queries) {
        int b = points.size(0);
        int p = points.size(1);
        if (points.dim() != 3 || points.size(2) != 2 || features.dim() != 3 || features.size(0) != b || features.size(1) != p
                || features.size(2) != spec.features() || queries.dim() != 3 || queries.size(0) != b || queries.size(2) != 2) {
            throw new IllegalArgumentException("GINO: expected points (B, P, 2), features (B, P, " + spec.features() + ") and queries (B, Q, 2),"
                    + " found " + Arrays.toString(points.shape()) + ", " + Arrays.toString(features.shape()) + ", "
                    + Arrays.toString(queries.shape()));
        }
        int n = spec.latent();
        int g = n * n;
        // input GNO: points -> latent grid
        Tensor a = lift.forward(features);
        double[] xy = points.detach().toDoubleArray();
        Tensor v;
        if (sameAcrossBatch(xy, b)) {
            double[] first = Arrays.copyOf(xy, 2 * p);
            int[][] e = edges(new RadiusSearch(first, spec.radius()), latentXY, 0, 0);
            v = gnoIn.forward(a, Tensor.of(first, p, 2).to(a.dtype()), latent.to(a.dtype()), e[0], e[1]);
        } else {
            int[][] e = batchedEdges(b, inst -> new RadiusSearch(Arrays.copyOfRange(xy, 2 * p * inst, 2 * p * (inst + 1)), spec.radius()),
                    inst -> latentXY, p, g);
            Tensor src = points.detach().reshape(b * p, 2).to(a.dtype());
            v = gnoIn.forward(a.reshape(1, b * p, -1), src, tile(latent, b).to(a.dtype()), e[0], e[1]).reshape(b, g, -1);
        }
        // latent FNO
        v = fc0.forward(Tensor.cat(2, v, latent.to(a.dtype()).unsqueeze(0).expand(b, g, 2)));
        v = v.permute(0, 2, 1).reshape(b, spec.width(), n, n);
        for (int l = 0; l < blocks.size(); l++) v = blocks.get(l).forward(v, l == blocks.size() - 1);
        Tensor h = v.reshape(b, spec.width(), g).permute(0, 2, 1);
        // output GNO: latent grid -> queries
        int q = queries.size(1);
        Tensor out;
        double[] qxy = queries.detach().toDoubleArray();
        if (!queries.requiresGrad() && sameAcrossBatch(qxy, b)) {
            double[] first = Arrays.copyOf(qxy, 2 * q);
            int[][] e = edges(latentSearch, first, 0, 0);
            out = gnoOut.forward(h, latent.to(h.dtype()), queries.slice(0, 0, 1).reshape(q, 2).to(h.dtype()), e[0], e[1]);
        } else {
            int[][] e = batchedEdges(b, inst -> latentSearch, inst -> Arrays.copyOfRange(qxy, 2 * q * inst, 2 * q * (inst + 1)), g, q);
            out = gnoOut.forward(h.reshape(1, b * g, -1), tile(latent, b).to(h.dtype()), queries.reshape(b * q, 2).to(h.dtype()), e[0], e[1])
                    .reshape(b, q, -1);
        }
        return projection.forward(out).reshape(b, q);
    }

    private static Tensor tile(Tensor t, int times) {
        return t.unsqueeze(0).expand(times, t.size(0), t.size(1)).reshape(times * t.size(0), t.size(1));
    }

    private static boolean sameAcrossBatch(double[] xy, int b) {
        int per = xy.length / b;
        for (int k = per; k < xy.length; k++) {
            if (xy[k] != xy[k % per]) return false;
        }
        return true;
    }

    /** {src, dst} of the edges from the searched points to each target, rows offset by the given amounts. */
    private int[][] edges(RadiusSearch sources, double[] targets, int srcOffset, int dstOffset) {
        IntList src = new IntList();
        IntList dst = new IntList();
        int nt = targets.length / 2;
        for (int t = 0; t < nt; t++) {
            int row = dstOffset + t;
            sources.forEachNeighbour(targets[2 * t], targets[2 * t + 1], (s, d2) -> {
                src.add(srcOffset + s);
                dst.add(row);
            });
            if (dst.size == 0 || dst.data[dst.size - 1] != row) {
                if (sources == latentSearch) {
                    throw new IllegalArgumentException("GINO: query (" + targets[2 * t] + ", " + targets[2 * t + 1]
                            + ") has no latent node within radius " + spec.radius() + ": it lies outside the latent box [-"
                            + spec.latentBox() + ", " + spec.latentBox() + "]^2 extended by the radius");
                }
            }
        }
        return new int[][] {src.toArray(), dst.toArray()};
    }

    private int[][] batchedEdges(int b, java.util.function.IntFunction<RadiusSearch> sources, java.util.function.IntFunction<double[]> targets,
                                 int sourcesPer, int targetsPer) {
        IntList src = new IntList();
        IntList dst = new IntList();
        for (int inst = 0; inst < b; inst++) {
            int[][] e = edges(sources.apply(inst), targets.apply(inst), inst * sourcesPer, inst * targetsPer);
            src.addAll(e[0]);
            dst.addAll(e[1]);
        }
        return new int[][] {src.toArray(), dst.toArray()};
    }

    /** A growable int array (edge lists are built once per forward, a few thousand entries). */
    private static final class IntList {
        int[] data = new int[256];
        int size;

        void add(int v) {
            if (size == data.length) data = Arrays.copyOf(data, 2 * size);
            data[size++] = v;
        }

        void addAll(int[] v) {
            for (int x : v) add(x);
        }

        int[] toArray() { return Arrays.copyOf(data, size); }
    }
}
