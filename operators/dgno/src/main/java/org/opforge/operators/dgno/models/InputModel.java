package org.opforge.operators.dgno.models;

import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * DGNO's generative model of its input: the likelihood p(a(x) | beta) whose parameter the input
 * decoder outputs at each point. Its negative log-likelihood is the reconstruction term of training;
 * its most probable value is the recovered input; a differentiable sample of it is the coefficient the
 * residual sees in the inverse problem. Immutable.
 */
public sealed interface InputModel permits InputModel.Bernoulli, InputModel.LogNormal {

    /** Mean negative log-likelihood (up to constants) of raw input values {@code a} given decoder outputs, both {@code (B, P)}. */
    Tensor nll(Tensor out, Tensor a);

    /** The most probable input given the decoder outputs. */
    Tensor mostProbable(Tensor out);

    /**
     * The mean of the input given the decoder outputs (the posterior-predictive point estimate that
     * minimises the expected squared error under the decoded likelihood).
     */
    Tensor mean(Tensor out);

    /**
     * A sample differentiable in {@code out}, for the residual of the inverse problem; its noise is the
     * mean of {@code draws} independent draws (fewer draws, more noise).
     */
    Tensor relaxedSample(Tensor out, Rng rng, double temperature, int draws);

    /**
     * A two-valued coefficient: {@code p(a = hi) = sigmoid(out)}; the likelihood is the binary
     * cross-entropy on logits, {@code softplus(l) - t l} with {@code t = (a - lo)/(hi - lo)}; the mean is
     * {@code lo + (hi - lo) sigmoid(l)}; the relaxed sample is the binary Concrete
     * {@code lo + (hi - lo) sigmoid((l + L)/tau)}, L the mean of {@code draws} standard logistic variables
     * (the reference averages 25 with tau = 1).
     */
    record Bernoulli(double lo, double hi) implements InputModel {
        public Bernoulli {
            if (!(hi > lo)) throw new IllegalArgumentException("dgno: the coefficient's two values must satisfy lo < hi, found " + lo + ", " + hi);
        }

        @Override public Tensor nll(Tensor out, Tensor a) {
            Tensor t = a.detach().sub(lo).div(hi - lo);
            return out.softplus().sub(out.mul(t)).mean();
        }

        @Override public Tensor mostProbable(Tensor out) {
            return out.gt(Tensor.scalar(0, out.dtype(), out.device())).mul(hi - lo).add(lo);
        }

        @Override public Tensor mean(Tensor out) {
            return out.sigmoid().mul(hi - lo).add(lo);
        }

        @Override public Tensor relaxedSample(Tensor out, Rng rng, double temperature, int draws) {
            if (draws < 1) throw new IllegalArgumentException("dgno: the relaxed sample needs at least one noise draw, found " + draws);
            Tensor noise = null;
            try (GradMode.Scope g = GradMode.noGrad()) {
                for (int k = 0; k < draws; k++) {
                    // L = log U - log(1 - U), U uniform in [1e-7, 1 - 1e-7]
                    Tensor u = Tensor.rand(rng.fork(k), out.dtype(), out.device(), 1e-7, 1 - 1e-7, out.shape());
                    Tensor l = u.log().sub(u.rsub(1).log());
                    noise = noise == null ? l : noise.add(l);
                }
                noise = noise.div(draws);
            }
            return out.add(noise).div(temperature).sigmoid().mul(hi - lo).add(lo);
        }
    }

    /**
     * A positive smooth coefficient (log-normal fields): {@code log a ~ N(m + s out, s^2)}, with m, s the
     * mean and standard deviation of log a over the training fields; the likelihood is half the mean
     * squared error of the standardised log; the most probable input, the mean and the sample are the
     * decoded field {@code exp(m + s out)} (the likelihood's spread is that of the training fields, not a
     * posterior's, so it does not widen the estimate).
     */
    record LogNormal(double mean, double std) implements InputModel {
        public LogNormal {
            if (!(std > 0)) throw new IllegalArgumentException("dgno: the standard deviation of log a must be positive, found " + std);
        }

        @Override public Tensor nll(Tensor out, Tensor a) {
            Tensor t = a.detach().log().sub(mean).div(std);
            return out.sub(t).square().mean().mul(0.5);
        }

        @Override public Tensor mostProbable(Tensor out) {
            return out.mul(std).add(mean).exp();
        }

        @Override public Tensor mean(Tensor out) {
            return mostProbable(out);
        }

        @Override public Tensor relaxedSample(Tensor out, Rng rng, double temperature, int draws) {
            return mostProbable(out);
        }
    }
}
