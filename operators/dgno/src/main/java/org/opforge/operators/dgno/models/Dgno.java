package org.opforge.operators.dgno.models;

import java.util.Arrays;
import java.util.Locale;
import org.opforge.operators.dgno.layers.DgnoActivation;
import org.opforge.operators.dgno.layers.MultiONet;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Conv2d;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.Sequential;
import org.opforge.training.physics.Residual;

/**
 * The DGNO network (Zang and Koutsourelakis 2025) for a scalar input field on the unit square:
 * <ul>
 * <li>encoder {@code beta = tanh(MLP_SiLU[n*n, enc..., latent](a_normalised))} in {@code (-1, 1)^latent}, or for
 *     smooth fields the reference's small CNN before that MLP (stride-2 3x3 convolutions with SiLU, keys
 *     {@code conv.i.*}; e.g. 64, 64, 64 channels take 29x29 to 2x2);</li>
 * <li>decoders, each a {@link MultiONet} on (x, beta): the solution
 *     {@code u = NN_u(x, beta) sin(pi x1) sin(pi x2)} (zero Dirichlet data built in), the flux
 *     {@code s = (NN_s1, NN_s2)} of the mixed form, and the logits of the input,
 *     {@code p(a = hi | x, beta) = sigmoid(NN_a(x, beta))} (its generative model, Bernoulli for a
 *     two-valued coefficient).</li>
 * </ul>
 * u, s1, s2 use tanh_sin in trunk and branch; the a-decoder silu_sin in the trunk and silu_id in the
 * branch, as the reference. Keys: {@code enc.i.*}, {@code u.*}, {@code s1.*}, {@code s2.*}, {@code a.*}.
 *
 * <p>Grid convention: the input is {@code (B, n, n)} on the nodes {@code x1 = i/(n-1)} (axis 1),
 * {@code x2 = j/(n-1)} (axis 2), boundary included; with a source field, {@code (B, 2, n, n)}: the
 * coefficient a, then f, both read by the encoder (the decoders model a alone).
 */
public final class Dgno extends Module {

    /** How {@code grad_x u} is computed in training. */
    public enum GradientMode {
        /** Trunk evaluated once per step at the shared points with forward-mode tangents. */
        SHARED,
        /** The reference's computation: points copied per sample, {@code grad u} by reverse mode with a graph (double backward). */
        REPEAT;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static GradientMode parse(String s) {
            for (GradientMode m : values()) if (m.label().equals(s.trim().toLowerCase(Locale.ROOT))) return m;
            throw new IllegalArgumentException("trunk_mode: expected shared or repeat, found '" + s + "'");
        }
    }

    /**
     * @param grid       nodes per side n of the input field
     * @param latent     size of beta
     * @param encoder    hidden widths of the encoder MLP
     * @param width      width of the u, s1, s2 MultiONets
     * @param widthA     width of the a-decoder
     * @param depth      layers per trunk and branch
     * @param sumLayers  last hidden layers summed
     * @param channels   input fields per sample the encoder reads: 1 (the coefficient a) or 2 (a and the source f)
     * @param conv       output channels of the encoder's convolutions (kernel 3, stride 2, no padding, SiLU), which then
     *                   precede the MLP of widths {@code encoder}; empty for the MLP encoder on the flattened field
     */
    public record Spec(int grid, int latent, int[] encoder, int width, int widthA, int depth, int sumLayers, int channels, int[] conv) {
        public Spec {
            encoder = encoder.clone();
            conv = conv.clone();
            for (int c : conv) if (c < 1) throw new IllegalArgumentException("conv_channels: channels must be positive, found " + Arrays.toString(conv));
            if (convSide(grid, conv.length) < 1) {
                throw new IllegalArgumentException("dgno: " + conv.length + " stride-2 convolutions of kernel 3 leave nothing of a " + grid + "x" + grid
                        + " grid; use fewer conv_channels");
            }
            if (grid < 2) throw new IllegalArgumentException("dgno: the input grid needs at least 2 nodes per side, found " + grid);
            if (channels != 1 && channels != 2) throw new IllegalArgumentException("dgno: input channels must be 1 (a) or 2 (a, f), found " + channels);
            if (latent < 1) throw new IllegalArgumentException("latent: expected at least 1, found " + latent);
            for (int w : encoder) if (w < 1) throw new IllegalArgumentException("encoder: widths must be positive, found " + Arrays.toString(encoder));
        }

        /** One input field, the coefficient, and the MLP encoder. */
        public Spec(int grid, int latent, int[] encoder, int width, int widthA, int depth, int sumLayers) {
            this(grid, latent, encoder, width, widthA, depth, sumLayers, 1, new int[0]);
        }

        @Override public int[] encoder() { return encoder.clone(); }

        @Override public int[] conv() { return conv.clone(); }

        /** Nodes per side after k convolutions of kernel 3 and stride 2 without padding. */
        static int convSide(int grid, int k) {
            int side = grid;
            for (int i = 0; i < k; i++) side = side < 3 ? 0 : (side - 3) / 2 + 1;
            return side;
        }
    }

    private final Spec spec;
    private final Sequential conv;
    private final Sequential enc;
    private final MultiONet u, s1, s2, a;

    public Dgno(Spec spec, Rng rng) {
        this.spec = spec;
        int[] dims = new int[spec.encoder.length + 2];
        int side = Spec.convSide(spec.grid, spec.conv.length);
        dims[0] = spec.conv.length == 0 ? spec.channels * spec.grid * spec.grid : spec.conv[spec.conv.length - 1] * side * side;
        // registered only when used, so the MLP encoder's parameter keys stay the reference's
        conv = spec.conv.length == 0 ? null : registerModule("conv", new Sequential());
        for (int i = 0; i < spec.conv.length; i++) {
            conv.add(new Conv2d(i == 0 ? spec.channels : spec.conv[i - 1], spec.conv[i], 3, 2, 0, 1, 1, true, "zeros", rng));
        }
        System.arraycopy(spec.encoder, 0, dims, 1, spec.encoder.length);
        dims[dims.length - 1] = spec.latent;
        enc = registerModule("enc", new Sequential());
        for (int i = 0; i + 1 < dims.length; i++) enc.add(new Linear(dims[i], dims[i + 1], rng));
        u = registerModule("u", decoder(spec.width, DgnoActivation.TANH_SIN, DgnoActivation.TANH_SIN, rng));
        s1 = registerModule("s1", decoder(spec.width, DgnoActivation.TANH_SIN, DgnoActivation.TANH_SIN, rng));
        s2 = registerModule("s2", decoder(spec.width, DgnoActivation.TANH_SIN, DgnoActivation.TANH_SIN, rng));
        a = registerModule("a", decoder(spec.widthA, DgnoActivation.SILU_SIN, DgnoActivation.SILU_ID, rng));
    }

    private MultiONet decoder(int width, DgnoActivation trunk, DgnoActivation branch, Rng rng) {
        return new MultiONet(2, spec.latent, width, spec.depth, spec.sumLayers, trunk, branch, rng);
    }

    public Spec spec() { return spec; }

    public MultiONet solutionDecoder() { return u; }

    public MultiONet coefficientDecoder() { return a; }

    /** The flux decoders s1, s2. */
    public MultiONet[] fluxDecoders() { return new MultiONet[] {s1, s2}; }

    /** beta {@code (B, latent)} of normalised input fields {@code (B, [channels,] n, n)}, any layout of that many values per sample. */
    public Tensor encode(Tensor normalised) {
        int b = normalised.size(0);
        Tensor h = normalised.reshape(b, -1);
        if (h.size(1) != spec.channels * spec.grid * spec.grid) {
            throw new IllegalArgumentException("dgno: the encoder takes " + spec.channels + " field(s) of " + spec.grid + "x" + spec.grid + " nodes, found "
                    + Arrays.toString(normalised.shape()));
        }
        if (conv != null) {
            h = h.reshape(b, spec.channels, spec.grid, spec.grid);
            for (int i = 0; i < conv.size(); i++) h = conv.get(i).forward(h).silu();
            h = h.reshape(b, -1);
        }
        for (int i = 0; i < enc.size(); i++) {
            h = enc.get(i).forward(h);
            h = i + 1 < enc.size() ? h.silu() : h.tanh();
        }
        return h;
    }

    /** u at points {@code (P, 2)} shared by the batch: {@code (B, P)}. */
    public Tensor solution(Tensor points, Tensor beta) {
        return u.cartesian(points, beta).mul(mollifier(points)[0]);
    }

    /** Logits of {@code a = hi} at points {@code (P, 2)}: {@code (B, P)}. */
    public Tensor coefficientLogits(Tensor points, Tensor beta) {
        return a.cartesian(points, beta);
    }

    /**
     * The fields a residual needs at its points {@code (P, 2)}, with {@code grad u} computed the way
     * {@code mode} says (both give the same values and parameter gradients).
     *
     * @param coefficient the input at the points {@code (B, P)}
     */
    public Residual.Fields fields(Residual residual, Tensor points, Tensor beta, Tensor coefficient, GradientMode mode) {
        return fields(residual, points, beta, coefficient, null, mode);
    }

    /** As {@link #fields(Residual, Tensor, Tensor, Tensor, GradientMode)} with the source field at the points {@code (B, P)} (null: the residual's own). */
    public Residual.Fields fields(Residual residual, Tensor points, Tensor beta, Tensor coefficient, Tensor source, GradientMode mode) {
        Tensor value, grad, flux = null;
        if (mode == GradientMode.SHARED) {
            Tensor[] m = mollifier(points);
            Tensor[] ug = u.cartesianWithGradient(points, beta);
            value = ug[0].mul(m[0]);
            grad = ug[1].mul(m[0].unsqueeze(1)).add(ug[0].unsqueeze(2).mul(m[1]));
            if (residual.needsFlux()) flux = Tensor.stack(2, s1.cartesian(points, beta), s2.cartesian(points, beta));
        } else {
            int b = beta.size(0), p = points.size(0);
            Tensor xr = points.detach().unsqueeze(0).expand(b, p, 2).mul(1.0).detach().requiresGrad(true);
            value = u.perSample(xr, beta).mul(mollifier(xr)[0]);
            grad = Autograd.grad(value, null, true, xr)[0];
            if (residual.needsFlux()) flux = Tensor.stack(2, s1.perSample(xr, beta), s2.perSample(xr, beta));
        }
        return new Residual.Fields(coefficient, value, grad, flux, source);
    }

    /**
     * {@code m(x) = sin(pi x1) sin(pi x2)} and its gradient {@code pi (cos(pi x1) sin(pi x2), sin(pi x1) cos(pi x2))}
     * at points {@code (..., 2)}: {@code m (...)} and {@code grad m (..., 2)}, differentiable in x.
     */
    public static Tensor[] mollifier(Tensor x) {
        int last = x.dim() - 1;
        Tensor x1 = x.slice(last, 0, 1).mul(Math.PI), x2 = x.slice(last, 1, 2).mul(Math.PI);
        Tensor s1 = x1.sin(), s2 = x2.sin();
        Tensor m = s1.mul(s2).squeeze(last);
        Tensor grad = Tensor.cat(last, x1.cos().mul(s2), s1.mul(x2.cos())).mul(Math.PI);
        return new Tensor[] {m, grad};
    }

    /** The nodes of the n x n grid as points {@code (n*n, 2)}: row {@code i*n + j} is {@code (i/(n-1), j/(n-1))}. */
    public static Tensor gridPoints(int n, org.opforge.tensor.DType dtype, org.opforge.tensor.Device device) {
        double[] p = new double[2 * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[2 * (i * n + j)] = (double) i / (n - 1);
                p[2 * (i * n + j) + 1] = (double) j / (n - 1);
            }
        }
        return Tensor.of(p, dtype, device, n * n, 2);
    }

    @Override
    protected String extraRepr() {
        return "grid=" + spec.grid + ", latent=" + spec.latent + ", encoder=" + Arrays.toString(spec.encoder);
    }
}
