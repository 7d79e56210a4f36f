package org.opforge.operators.dgno.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opforge.api.InvertibleOperator;
import org.opforge.operators.dgno.layers.MultiONet;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.optim.Adam;
import org.opforge.training.physics.Residual;

/**
 * The DGNO inverse problem, as the reference solves it: with the trained decoders frozen, each
 * sample's latent vector is the output of its own small network {@code beta = tanh(MLP_SiLU[1, 64, 64,
 * d](1))} (the reference's re-parametrisation; {@code parametrisation = direct} searches
 * {@code beta = tanh(w)} instead), whose weights minimise (Adam with weight decay, the learning rate
 * halved every {@code iterations / 10} steps)
 * <pre>  L_i = w_obs ||u(x_m; beta_i) - u_obs,i|| / ||u_obs,i|| + w_pde Residual_i(u, grad u, s, a~)</pre>
 * summed over the samples (so each sample's weights follow their own loss, as if solved alone). The
 * coefficient in the residual is the input model's differentiable sample
 * ({@link InputModel#relaxedSample}: for a two-valued input {@code lo + (hi - lo) sigmoid((l + L) / tau)},
 * L the mean of 25 standard logistic draws, tau = 1), and the residual's points (test-function centres)
 * are drawn anew each iteration. The result is the input model's {@link InputModel#mean mean} on the
 * nodes ({@code estimate = mode}: the most probable input) and its u.
 *
 * <p>All samples are solved together: each decoder's trunk is evaluated once per iteration (without a
 * graph; {@code redraw_points = false} evaluates it once in all) and an iteration costs the branches
 * and one product per decoder.
 */
final class DgnoInversion {
    private DgnoInversion() {}

    /** Hidden width of each sample's latent network (two SiLU layers, as the reference's [1, 64, 64, d]). */
    static final int HIDDEN = 64;

    static final Set<String> OPTIONS = new TreeSet<>(List.of("iterations", "lr", "lr_step", "lr_gamma", "weight_decay", "observation_weight",
            "pde_weight", "temperature", "noise_draws", "parametrisation", "redraw_points", "estimate", "seed"));

    private record Settings(int iterations, double lr, int lrStep, double lrGamma, double weightDecay, double wObs, double wPde, double tau,
                            int draws, boolean mlp, boolean redraw, boolean mean, long seed) {
        static Settings of(Map<String, String> o) {
            for (String k : o.keySet()) {
                if (!OPTIONS.contains(k)) throw new IllegalArgumentException("dgno inversion: unknown option '" + k + "'; known: " + OPTIONS);
            }
            int iterations = Integer.parseInt(o.getOrDefault("iterations", "500"));
            Settings s = new Settings(iterations, Double.parseDouble(o.getOrDefault("lr", "0.01")),
                    Integer.parseInt(o.getOrDefault("lr_step", Integer.toString(Math.max(1, iterations / 10)))),
                    Double.parseDouble(o.getOrDefault("lr_gamma", "0.5")), Double.parseDouble(o.getOrDefault("weight_decay", "1e-4")),
                    Double.parseDouble(o.getOrDefault("observation_weight", "25")), Double.parseDouble(o.getOrDefault("pde_weight", "1")),
                    Double.parseDouble(o.getOrDefault("temperature", "1")), Integer.parseInt(o.getOrDefault("noise_draws", "25")),
                    choice(o, "parametrisation", "mlp", "direct"), bool(o, "redraw_points"), choice(o, "estimate", "mean", "mode"),
                    Long.parseLong(o.getOrDefault("seed", "0")));
            if (s.iterations < 1 || !(s.lr > 0) || s.lrStep < 1 || !(s.lrGamma > 0) || !(s.weightDecay >= 0) || !(s.wObs >= 0) || !(s.wPde >= 0)
                    || !(s.tau > 0) || s.draws < 1) {
                throw new IllegalArgumentException("dgno inversion: need iterations, lr_step, noise_draws >= 1, lr, lr_gamma, temperature > 0, "
                        + "weights and weight_decay >= 0; found " + o);
            }
            return s;
        }

        /** Whether the option is its first value (the default) rather than its second. */
        private static boolean choice(Map<String, String> o, String key, String first, String second) {
            String v = o.getOrDefault(key, first);
            if (!v.equals(first) && !v.equals(second)) {
                throw new IllegalArgumentException("dgno inversion: " + key + " must be " + first + " or " + second + ", found '" + v + "'");
            }
            return v.equals(first);
        }

        private static boolean bool(Map<String, String> o, String key) {
            return choice(o, key, "true", "false");
        }
    }

    /** Each sample's latent network {@code tanh(W3 silu(W2 silu(W1 1 + b1) + b2) + b3)}, PyTorch's default initialisation. */
    private static final class LatentNets {
        final Map<String, Tensor> params = new LinkedHashMap<>();

        LatentNets(int samples, int latent, Rng rng, DType dt) {
            add("w1", rng.fork(1), dt, 1, samples, 1, HIDDEN);
            add("b1", rng.fork(2), dt, 1, samples, 1, HIDDEN);
            add("w2", rng.fork(3), dt, HIDDEN, samples, HIDDEN, HIDDEN);
            add("b2", rng.fork(4), dt, HIDDEN, samples, 1, HIDDEN);
            add("w3", rng.fork(5), dt, HIDDEN, samples, HIDDEN, latent);
            add("b3", rng.fork(6), dt, HIDDEN, samples, 1, latent);
        }

        private void add(String name, Rng rng, DType dt, int fanIn, int... shape) {
            double bound = 1 / Math.sqrt(fanIn);
            params.put(name, Tensor.rand(rng, dt, Device.CPU, -bound, bound, shape).requiresGrad(true));
        }

        Tensor beta() {
            Tensor h = params.get("w1").add(params.get("b1")).silu();     // the input is the constant 1
            h = h.matmul(params.get("w2")).add(params.get("b2")).silu();
            Tensor z = h.matmul(params.get("w3")).add(params.get("b3"));
            return z.tanh().reshape(z.size(0), z.size(2));
        }
    }

    /** The trunk features of the residual's decoders at one set of points. */
    private record ResidualTrunks(int points, Tensor[] u, Tensor[] a, Tensor[] s1, Tensor[] s2, Tensor mollifier, Tensor mollifierGrad) {
        static ResidualTrunks at(Dgno net, Residual residual, Tensor pts) {
            try (GradMode.Scope g = GradMode.noGrad()) {
                MultiONet[] s = net.fluxDecoders();
                Tensor[] m = Dgno.mollifier(pts);
                return new ResidualTrunks(pts.size(0), net.solutionDecoder().trunkFeaturesWithTangents(pts), net.coefficientDecoder().trunkFeatures(pts),
                        residual.needsFlux() ? s[0].trunkFeatures(pts) : null, residual.needsFlux() ? s[1].trunkFeatures(pts) : null, m[0], m[1]);
            }
        }
    }

    static InvertibleOperator.Inversion run(Dgno net, Residual residual, InputModel input, Tensor points, Tensor observations,
                                            Map<String, String> options) {
        Settings set = Settings.of(options);
        if (points.dim() != 2 || points.size(1) != 2) {
            throw new IllegalArgumentException("dgno inversion: observation points must be (M, 2), found " + java.util.Arrays.toString(points.shape()));
        }
        if (observations.dim() != 2 || observations.size(1) != points.size(0)) {
            throw new IllegalArgumentException("dgno inversion: observations must be (N, M) with M = " + points.size(0) + " points, found "
                    + java.util.Arrays.toString(observations.shape()));
        }
        long t0 = System.nanoTime();
        DType dt = DType.FLOAT32;
        Tensor obsPts = points.to(dt), obs = observations.to(dt);
        int n = net.spec().grid(), b = obs.size(0);
        Tensor obsNorm = obs.square().sum(1, false).sqrt();
        for (float v : obsNorm.toFloatArray()) {
            if (!(v > 0)) throw new IllegalArgumentException("dgno inversion: a sample's observations are all zero");
        }
        Rng rng = new Rng(set.seed);
        MultiONet u = net.solutionDecoder(), a = net.coefficientDecoder();
        MultiONet[] s = net.fluxDecoders();
        Tensor[] uObsF;
        Tensor mObs;
        try (GradMode.Scope g = GradMode.noGrad()) {
            uObsF = u.trunkFeatures(obsPts);
            mObs = Dgno.mollifier(obsPts)[0];
        }
        ResidualTrunks trunks = set.wPde > 0 ? ResidualTrunks.at(net, residual, residual.samplePoints(rng.fork(1).fork(0), dt)) : null;
        LatentNets nets = set.mlp ? new LatentNets(b, net.spec().latent(), rng.fork(2), dt) : null;
        Map<String, Tensor> params = set.mlp ? nets.params : Map.of("w", Tensor.zeros(dt, Device.CPU, b, net.spec().latent()).requiresGrad(true));
        Adam opt = new Adam(params, set.lr, 0.9, 0.999, 1e-8, set.weightDecay, false);
        double misfit = Double.NaN, pde = Double.NaN;
        for (int it = 0; it < set.iterations; it++) {
            opt.setLr(set.lr * Math.pow(set.lrGamma, it / set.lrStep));
            Tensor beta = set.mlp ? nets.beta() : params.get("w").tanh();
            Tensor uo = u.combine(uObsF, beta).add(u.param("b")).mul(mObs);
            Tensor mis = uo.sub(obs).square().sum(1, false).sqrt().div(obsNorm);      // (B) relative misfit of each sample
            Tensor loss = mis.sum().mul(set.wObs);
            if (set.wPde > 0) {
                if (set.redraw && it > 0) trunks = ResidualTrunks.at(net, residual, residual.samplePoints(rng.fork(1).fork(it), dt));
                int p = trunks.points();
                Tensor[] ug = u.splitTangents(u.combine(trunks.u(), beta), p);
                Tensor value = ug[0].mul(trunks.mollifier());
                Tensor grad = ug[1].mul(trunks.mollifier().unsqueeze(1)).add(ug[0].unsqueeze(2).mul(trunks.mollifierGrad()));
                Tensor flux = residual.needsFlux() ? Tensor.stack(2, s[0].combine(trunks.s1(), beta).add(s[0].param("b")),
                        s[1].combine(trunks.s2(), beta).add(s[1].param("b"))) : null;
                Tensor logits = a.combine(trunks.a(), beta).add(a.param("b"));
                Tensor relaxed = input.relaxedSample(logits, rng.fork(3).fork(it), set.tau, set.draws);
                // the residual is a mean over the samples: times B, the sum of each sample's residual
                Tensor r = residual.loss(new Residual.Fields(relaxed, value, grad, flux));
                loss = loss.add(r.mul(set.wPde * b));
                pde = r.item();
            }
            misfit = mis.mean().item();
            List<Tensor> ps = List.copyOf(params.values());
            Tensor[] grads = Autograd.grad(loss, null, false, ps.toArray(new Tensor[0]));
            opt.zeroGrad();
            for (int k = 0; k < grads.length; k++) ps.get(k).setGrad(grads[k]);
            opt.step();
        }
        Tensor inputs, outputs;
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor beta = set.mlp ? nets.beta() : params.get("w").tanh();
            Tensor nodes = Dgno.gridPoints(n, dt, Device.CPU);
            Tensor logits = net.coefficientLogits(nodes, beta);
            inputs = (set.mean ? input.mean(logits) : input.mostProbable(logits)).reshape(b, n, n);
            outputs = net.solution(nodes, beta).reshape(b, n, n);
        }
        Map<String, Double> diag = new LinkedHashMap<>();
        diag.put("relative_misfit", misfit);
        diag.put("residual", pde);
        diag.put("iterations", (double) set.iterations);
        return new InvertibleOperator.Inversion(inputs, outputs, (System.nanoTime() - t0) / 1e9, diag);
    }
}
