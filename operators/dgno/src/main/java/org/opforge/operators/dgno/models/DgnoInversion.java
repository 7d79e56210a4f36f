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
 * <p>{@code restarts = K} (default 1, the reference's single start; MLP parametrisation only) solves
 * each sample K times from K independent initialisations of its latent network, restart 0 being
 * exactly the single-start problem, and keeps per sample the restart {@code r*} that minimises the same
 * loss averaged over {@code selection_draws} (10) draws of the residual's points and relaxation noise,
 * common to all restarts:
 * <pre>  r*_i = argmin_r  w_obs ||u(x_m; beta_ir) - u_obs,i|| / ||u_obs,i|| + w_pde (1/Q) sum_q Residual_q(beta_ir)</pre>
 * (the non-convex search lands in different local minima; the loss, not the unknown truth, chooses).
 * The chosen restarts' mean loss is the diagnostic {@code selected_loss}.
 *
 * <p>All samples (and restarts) are solved together: each decoder's trunk is evaluated once per
 * iteration (without a graph; {@code redraw_points = false} evaluates it once in all) and an iteration
 * costs the branches and one product per decoder.
 */
final class DgnoInversion {
    private DgnoInversion() {}

    /** Hidden width of each sample's latent network (two SiLU layers, as the reference's [1, 64, 64, d]). */
    static final int HIDDEN = 64;

    static final Set<String> OPTIONS = new TreeSet<>(List.of("iterations", "lr", "lr_step", "lr_gamma", "weight_decay", "observation_weight",
            "pde_weight", "temperature", "noise_draws", "parametrisation", "redraw_points", "estimate", "restarts", "selection_draws", "seed"));

    private record Settings(int iterations, double lr, int lrStep, double lrGamma, double weightDecay, double wObs, double wPde, double tau,
                            int draws, boolean mlp, boolean redraw, boolean mean, int restarts, int selectionDraws, long seed) {
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
                    Integer.parseInt(o.getOrDefault("restarts", "1")), Integer.parseInt(o.getOrDefault("selection_draws", "10")),
                    Long.parseLong(o.getOrDefault("seed", "0")));
            if (s.iterations < 1 || !(s.lr > 0) || s.lrStep < 1 || !(s.lrGamma > 0) || !(s.weightDecay >= 0) || !(s.wObs >= 0) || !(s.wPde >= 0)
                    || !(s.tau > 0) || s.draws < 1 || s.restarts < 1 || s.selectionDraws < 1) {
                throw new IllegalArgumentException("dgno inversion: need iterations, lr_step, noise_draws, restarts, selection_draws >= 1, lr, lr_gamma, "
                        + "temperature > 0, weights and weight_decay >= 0; found " + o);
            }
            if (s.restarts > 1 && !s.mlp) {
                throw new IllegalArgumentException("dgno inversion: restarts > 1 needs parametrisation = mlp (the direct search starts every restart "
                        + "from beta = 0, so they would all be the same); found " + o);
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
        Tensor obsPts = points.to(dt);
        int n = net.spec().grid(), b = observations.size(0), k = set.restarts;
        // restart r of sample i is row r * b + i: row i of restart 0 is exactly the single-start problem
        Tensor[] copies = new Tensor[k];
        java.util.Arrays.fill(copies, observations.to(dt));
        Tensor obs = k == 1 ? copies[0] : Tensor.cat(0, copies);
        Tensor obsNorm = obs.square().sum(1, false).sqrt();
        for (float v : obsNorm.toFloatArray()) {
            if (!(v > 0)) throw new IllegalArgumentException("dgno inversion: a sample's observations are all zero");
        }
        Rng rng = new Rng(set.seed);
        Objective f = new Objective(net, residual, input, obsPts, obs, obsNorm, set);
        ResidualTrunks trunks = set.wPde > 0 ? ResidualTrunks.at(net, residual, residual.samplePoints(rng.fork(1).fork(0), dt)) : null;
        LatentNets nets = set.mlp ? new LatentNets(b * k, net.spec().latent(), rng.fork(2), dt) : null;
        Map<String, Tensor> params = set.mlp ? nets.params : Map.of("w", Tensor.zeros(dt, Device.CPU, b, net.spec().latent()).requiresGrad(true));
        Adam opt = new Adam(params, set.lr, 0.9, 0.999, 1e-8, set.weightDecay, false);
        double misfit = Double.NaN, pde = Double.NaN;
        for (int it = 0; it < set.iterations; it++) {
            opt.setLr(set.lr * Math.pow(set.lrGamma, it / set.lrStep));
            Tensor beta = set.mlp ? nets.beta() : params.get("w").tanh();
            Tensor mis = f.misfit(beta);
            Tensor loss = mis.sum().mul(set.wObs);
            if (set.wPde > 0) {
                if (set.redraw && it > 0) trunks = ResidualTrunks.at(net, residual, residual.samplePoints(rng.fork(1).fork(it), dt));
                // the residual is a mean over the samples: times B, the sum of each sample's residual
                Tensor r = f.residual(beta, trunks, rng.fork(3).fork(it));
                loss = loss.add(r.mul(set.wPde * beta.size(0)));
                pde = r.item();
            }
            misfit = mis.slice(0, 0, b).mean().item();
            List<Tensor> ps = List.copyOf(params.values());
            Tensor[] grads = Autograd.grad(loss, null, false, ps.toArray(new Tensor[0]));
            opt.zeroGrad();
            for (int j = 0; j < grads.length; j++) ps.get(j).setGrad(grads[j]);
            opt.step();
        }
        Tensor inputs, outputs;
        double[] chosenLoss = null;
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor beta = set.mlp ? nets.beta() : params.get("w").tanh();
            if (k > 1) {
                double[] l = f.sampleLosses(beta, rng.fork(4), set.selectionDraws);
                int[] pick = new int[b];
                chosenLoss = new double[b];
                for (int i = 0; i < b; i++) {
                    pick[i] = i;
                    for (int r = 1; r < k; r++) if (l[r * b + i] < l[pick[i]]) pick[i] = r * b + i;
                    chosenLoss[i] = l[pick[i]];
                }
                beta = beta.indexSelect(0, pick);
            }
            Tensor nodes = Dgno.gridPoints(n, dt, Device.CPU);
            Tensor logits = net.coefficientLogits(nodes, beta);
            inputs = (set.mean ? input.mean(logits) : input.mostProbable(logits)).reshape(b, n, n);
            outputs = net.solution(nodes, beta).reshape(b, n, n);
        }
        Map<String, Double> diag = new LinkedHashMap<>();
        diag.put("relative_misfit", misfit);
        diag.put("residual", pde);
        diag.put("iterations", (double) set.iterations);
        if (chosenLoss != null) diag.put("selected_loss", java.util.Arrays.stream(chosenLoss).average().orElse(Double.NaN));
        return new InvertibleOperator.Inversion(inputs, outputs, (System.nanoTime() - t0) / 1e9, diag);
    }

    /**
     * The loss of the latent vectors {@code beta (B, d)}: {@code w_obs} times each sample's relative
     * misfit plus {@code w_pde} times its residual with the relaxed coefficient.
     */
    private static final class Objective {
        final Dgno net;
        final Residual residual;
        final InputModel input;
        final Settings set;
        final Tensor obs, obsNorm, mObs;
        final Tensor[] uObsF;

        Objective(Dgno net, Residual residual, InputModel input, Tensor obsPts, Tensor obs, Tensor obsNorm, Settings set) {
            this.net = net;
            this.residual = residual;
            this.input = input;
            this.set = set;
            this.obs = obs;
            this.obsNorm = obsNorm;
            try (GradMode.Scope g = GradMode.noGrad()) {
                uObsF = net.solutionDecoder().trunkFeatures(obsPts);
                mObs = Dgno.mollifier(obsPts)[0];
            }
        }

        /** {@code ||u(x_m; beta_i) - u_obs,i|| / ||u_obs,i||}, (B). */
        Tensor misfit(Tensor beta) {
            MultiONet u = net.solutionDecoder();
            Tensor uo = u.combine(uObsF, beta).add(u.param("b")).mul(mObs);
            int b = beta.size(0);
            return uo.sub(obs.slice(0, 0, b)).square().sum(1, false).sqrt().div(obsNorm.slice(0, 0, b));
        }

        /** The residual of the samples at the trunks' points (its mean over the samples). */
        Tensor residual(Tensor beta, ResidualTrunks t, Rng noise) {
            MultiONet u = net.solutionDecoder(), a = net.coefficientDecoder();
            MultiONet[] s = net.fluxDecoders();
            Tensor[] ug = u.splitTangents(u.combine(t.u(), beta), t.points());
            Tensor value = ug[0].mul(t.mollifier());
            Tensor grad = ug[1].mul(t.mollifier().unsqueeze(1)).add(ug[0].unsqueeze(2).mul(t.mollifierGrad()));
            Tensor flux = residual.needsFlux() ? Tensor.stack(2, s[0].combine(t.s1(), beta).add(s[0].param("b")),
                    s[1].combine(t.s2(), beta).add(s[1].param("b"))) : null;
            Tensor logits = a.combine(t.a(), beta).add(a.param("b"));
            Tensor relaxed = input.relaxedSample(logits, noise, set.tau, set.draws);
            return residual.loss(new Residual.Fields(relaxed, value, grad, flux));
        }

        /**
         * Each sample's loss averaged over {@code draws} draws of the residual's points and relaxation
         * noise, the same draws for every sample (so the losses of restarts compare), without a graph.
         */
        double[] sampleLosses(Tensor beta, Rng rng, int draws) {
            int b = beta.size(0);
            double[] out = new double[b];
            float[] mis = misfit(beta).toFloatArray();
            for (int i = 0; i < b; i++) out[i] = set.wObs * mis[i];
            if (set.wPde == 0) return out;
            for (int q = 0; q < draws; q++) {
                ResidualTrunks t = ResidualTrunks.at(net, residual, residual.samplePoints(rng.fork(q), DType.FLOAT32));
                for (int i = 0; i < b; i++) {
                    out[i] += set.wPde * residual(beta.slice(0, i, i + 1), t, rng.fork(draws + q)).item() / draws;
                }
            }
            return out;
        }
    }
}
