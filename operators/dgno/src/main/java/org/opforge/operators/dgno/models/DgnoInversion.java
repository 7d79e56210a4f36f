package org.opforge.operators.dgno.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.opforge.api.InvertibleOperator;
import org.opforge.operators.dgno.Residual;
import org.opforge.operators.dgno.layers.MultiONet;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.optim.Adam;

/**
 * The DGNO inverse problem: with the trained decoders frozen, find latent vectors beta = tanh(w) whose
 * solution matches sparse noisy observations of u and whose fields satisfy the PDE, minimising over w
 * (Adam)
 * <pre>  L(w) = w_obs mean_m (u(x_m; beta) - u_obs,m)^2 / mean(u_obs^2) + w_pde Residual(u, grad u, s, a~) ,</pre>
 * where the coefficient in the residual is the input model's differentiable sample
 * ({@link InputModel#relaxedSample}: for a two-valued input the binary Concrete relaxation
 * {@code lo + (hi - lo) sigmoid((logit(x; beta) + L) / tau)}, L standard logistic noise drawn each
 * iteration, as the reference). The result is the most probable input on the nodes and its u.
 *
 * <p>The residual's points are drawn once, so every decoder's trunk is evaluated once (no graph) and
 * an iteration costs only the branches and one product per decoder; all samples are solved together.
 * Unlike the reference, beta is optimised directly through tanh rather than through a small MLP.
 */
final class DgnoInversion {
    private DgnoInversion() {}

    static final Set<String> OPTIONS = Set.of("iterations", "lr", "observation_weight", "pde_weight", "temperature", "seed");

    static InvertibleOperator.Inversion run(Dgno net, Residual residual, InputModel input, Tensor points, Tensor observations,
                                            Map<String, String> options) {
        for (String k : options.keySet()) {
            if (!OPTIONS.contains(k)) throw new IllegalArgumentException("dgno inversion: unknown option '" + k + "'; known: " + OPTIONS);
        }
        int iterations = Integer.parseInt(options.getOrDefault("iterations", "600"));
        double lr = Double.parseDouble(options.getOrDefault("lr", "0.05"));
        double wObs = Double.parseDouble(options.getOrDefault("observation_weight", "1000"));
        double wPde = Double.parseDouble(options.getOrDefault("pde_weight", "1"));
        double tau = Double.parseDouble(options.getOrDefault("temperature", "0.5"));
        long seed = Long.parseLong(options.getOrDefault("seed", "0"));
        if (iterations < 1 || !(lr > 0) || !(wObs >= 0) || !(wPde >= 0) || !(tau > 0)) {
            throw new IllegalArgumentException("dgno inversion: need iterations >= 1, lr > 0, weights >= 0, temperature > 0; found " + options);
        }
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
        Rng rng = new Rng(seed);
        Tensor resPts = residual.samplePoints(rng.fork(1), dt);
        int p = resPts.size(0);
        MultiONet u = net.solutionDecoder(), a = net.coefficientDecoder();
        MultiONet[] s = net.fluxDecoders();
        Tensor[] uObsF, uResF, aResF, s1F, s2F;
        Tensor mObs, mRes, gmRes;
        try (GradMode.Scope g = GradMode.noGrad()) {
            uObsF = u.trunkFeatures(obsPts);
            uResF = u.trunkFeaturesWithTangents(resPts);
            aResF = a.trunkFeatures(resPts);
            s1F = residual.needsFlux() ? s[0].trunkFeatures(resPts) : null;
            s2F = residual.needsFlux() ? s[1].trunkFeatures(resPts) : null;
            mObs = Dgno.mollifier(obsPts)[0];
            Tensor[] m = Dgno.mollifier(resPts);
            mRes = m[0];
            gmRes = m[1];
        }
        double obsScale = obs.square().mean().item();
        if (!(obsScale > 0)) throw new IllegalArgumentException("dgno inversion: the observations are all zero");
        Tensor w = Tensor.zeros(dt, Device.CPU, b, net.spec().latent()).requiresGrad(true);
        Adam opt = new Adam(Map.of("w", w), lr);
        double misfit = Double.NaN, pde = Double.NaN;
        for (int it = 0; it < iterations; it++) {
            Tensor beta = w.tanh();
            Tensor uo = u.combine(uObsF, beta).add(u.param("b")).mul(mObs);
            Tensor mis = uo.sub(obs).square().mean().div(obsScale);
            Tensor loss = mis.mul(wObs);
            if (wPde > 0) {
                Tensor[] ug = u.splitTangents(u.combine(uResF, beta), p);
                Tensor value = ug[0].mul(mRes);
                Tensor grad = ug[1].mul(mRes.unsqueeze(1)).add(ug[0].unsqueeze(2).mul(gmRes));
                Tensor flux = residual.needsFlux() ? Tensor.stack(2, s[0].combine(s1F, beta).add(s[0].param("b")),
                        s[1].combine(s2F, beta).add(s[1].param("b"))) : null;
                Tensor logits = a.combine(aResF, beta).add(a.param("b"));
                Tensor relaxed = input.relaxedSample(logits, rng.fork(100 + it), tau);
                Tensor r = residual.loss(new Residual.Fields(relaxed, value, grad, flux));
                loss = loss.add(r.mul(wPde));
                pde = r.item();
            }
            misfit = mis.item();
            Tensor gw = Autograd.grad(loss, null, false, w)[0];
            opt.zeroGrad();
            w.setGrad(gw);
            opt.step();
        }
        Tensor inputs, outputs;
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor beta = w.detach().tanh();
            Tensor nodes = Dgno.gridPoints(n, dt, Device.CPU);
            Tensor logits = net.coefficientLogits(nodes, beta);
            inputs = input.mostProbable(logits).reshape(b, n, n);
            outputs = net.solution(nodes, beta).reshape(b, n, n);
        }
        Map<String, Double> diag = new LinkedHashMap<>();
        diag.put("relative_misfit", misfit);
        diag.put("residual", pde);
        diag.put("iterations", (double) iterations);
        return new InvertibleOperator.Inversion(inputs, outputs, (System.nanoTime() - t0) / 1e9, diag);
    }
}
