"""The Bayes posterior mean of a piecewise-constant Darcy coefficient from sparse noisy observations of u,
under the data's own prior, by pCN MCMC: what the observations allow any estimator to recover.

Usage: PYTHONPATH=../shared/peers /usr/bin/python3 darcy_pcn_posterior.py INV.h5 TRUTH.h5 [--first K]
           [--forward fd | --forward dgno --model MODEL.h5] [--chains 8 --steps 40000 --burn 10000]
  INV.h5    an `opforge invert` output: `observations` (N, M) at the nodes `coords/points` (M, 2)
  TRUTH.h5  the fields they were made from (`a`, `u` or `x`, `y`), N of them from --first K

Prior: a = hi where g >= 0, else lo, g ~ GRF(alpha 2, tau 3) on the n x n nodes (the recipe of
darcy_pwc_*_29.h5 and of train_dgno_torch.py --gen: g = idctn(n coef xi), xi ~ N(0, I)). Likelihood:
Gaussian, standard deviation rms(observations) sqrt(10^(-snr/10) + model_err^2) (the noise of `opforge
invert --from`, plus the forward model's own error). Forward model: `fd` is the data's finite-difference
solve (5-point, harmonic face means, f = 10) on the n x n nodes, 0.3 % from the data's 4x refined
solve; `dgno` is a DGNO checkpoint's encoder and u-decoder, u = U(x; Enc(a)). pCN (Cotter et al. 2013):
xi' = sqrt(1 - s^2) xi + s w, accepted with probability min(1, exp(Phi(xi) - Phi(xi'))), s adapted
during burn-in towards 25 % acceptance; the estimate is the mean of the thresholded fields after burn-in
over all chains. Prints progress and one JSON line: the relative L2 of the posterior mean per field;
--out writes the posterior mean.
"""
import argparse
import json
import math
import os
import time

import h5py
import numpy as np
from scipy.linalg import solveh_banded


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inv"); ap.add_argument("truth")
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--forward", choices=["fd", "dgno"], default="fd")
    ap.add_argument("--model", help="with --forward dgno: the DGNO checkpoint")
    ap.add_argument("--chains", type=int, default=8)
    ap.add_argument("--steps", type=int, default=40000)
    ap.add_argument("--burn", type=int, default=10000)
    ap.add_argument("--snr", type=float, default=25.0)
    ap.add_argument("--model-err", type=float, default=None, help="relative error of the forward model (fd 0.005, dgno 0.03)")
    ap.add_argument("--source", type=float, default=10.0)
    ap.add_argument("--values", default="5,10", help="LO,HI")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="also write the posterior mean (N, n, n) as field `a` of this HDF5 file")
    c = ap.parse_args()
    lo, hi = map(float, c.values.split(","))
    rng = np.random.default_rng(c.seed)
    with h5py.File(c.inv, "r") as f:
        pts = np.array(f["coords/points"], dtype=np.float64)
        obs = np.array(f["observations"], dtype=np.float64)
    b = obs.shape[0]
    with h5py.File(c.truth, "r") as f:
        ka = "a" if "a" in f else "x"
        a_true = np.array(f[ka][c.first:c.first + b], dtype=np.float64)
    n = a_true.shape[-1]
    oi, oj = np.rint(pts[:, 0] * (n - 1)).astype(int), np.rint(pts[:, 1] * (n - 1)).astype(int)

    k = np.arange(n)
    dct = np.sqrt(2 / n) * np.cos(np.pi * np.outer(k, 2 * k + 1) / (2 * n))
    dct[0] /= np.sqrt(2)
    k1, k2 = np.meshgrid(k, k, indexing="ij")
    scale = n * 3.0 * (np.pi ** 2 * (k1 ** 2 + k2 ** 2) + 9.0) ** -1.0       # n tau^(alpha-1) (pi^2 |k|^2 + tau^2)^(-alpha/2)
    scale[0, 0] = 0.0
    coefficient = lambda xi: np.where(dct.T @ (scale * xi) @ dct >= 0, hi, lo)     # (..., n, n) -> the fields

    if c.forward == "fd":
        model_err = 0.005 if c.model_err is None else c.model_err
        m, h = n - 2, 1.0 / (n - 1)
        hm = lambda p, q: 2 * p * q / (p + q)

        def observe(fields):
            out = np.empty((len(fields), len(oi)))
            for r, a in enumerate(fields):
                cc = a[1:-1, 1:-1]
                ae, aw, an, as_ = hm(cc, a[2:, 1:-1]), hm(cc, a[:-2, 1:-1]), hm(cc, a[1:-1, 2:]), hm(cc, a[1:-1, :-2])
                ab = np.zeros((m + 1, m * m))                           # lower band storage: ab[m + i - j, j] = A[i, j]
                ab[m] = (ae + aw + an + as_).ravel()
                along = -an
                along[:, -1] = 0.0                                       # no coupling across rows of the grid
                ab[m - 1, 1:] = along.ravel()[:-1]
                ab[0, m:] = (-ae).ravel()[:-m]
                u = np.zeros((n, n))
                u[1:-1, 1:-1] = solveh_banded(ab, np.full(m * m, c.source * h * h)).reshape(m, m)
                out[r] = u[oi, oj]
            return out
    else:
        import torch
        import train_dgno_torch as peer
        from dgno_invert_torch import load_checkpoint
        torch.set_num_threads(1)
        model_err = 0.03 if c.model_err is None else c.model_err
        net, _, mean, std = load_checkpoint(c.model)
        xo = torch.tensor(pts, dtype=torch.float32)
        mo, _ = peer.mollifier(xo)

        def observe(fields):
            with torch.no_grad():
                a = torch.tensor(fields.reshape(len(fields), -1), dtype=torch.float32)
                return (net.u(xo, net.encode((a - mean) / (std + 1e-5))) * mo).double().numpy()

    chains = c.chains
    tot = b * chains
    target = np.repeat(obs, chains, 0)
    sigma = np.repeat(np.sqrt((obs ** 2).mean(1)) * math.sqrt(10 ** (-c.snr / 10) + model_err ** 2), chains)
    phi = lambda fields: (((observe(fields) - target) / sigma[:, None]) ** 2).sum(1) / 2
    rel = lambda e, t: np.linalg.norm((e - t).reshape(len(t), -1), axis=1) / np.linalg.norm(t.reshape(len(t), -1), axis=1)

    xi = rng.standard_normal((tot, n, n))
    fields = coefficient(xi)
    ph = phi(fields)
    step = np.full(tot, 0.1)
    rate = np.zeros(tot)
    total = np.zeros((tot, n, n))
    count = 0
    t0 = time.time()
    for it in range(c.steps):
        prop = np.sqrt(1 - step[:, None, None] ** 2) * xi + step[:, None, None] * rng.standard_normal(xi.shape)
        proposed = coefficient(prop)
        pp = phi(proposed)
        accept = rng.random(tot) < np.exp(np.minimum(0.0, ph - pp))
        xi[accept], fields[accept], ph[accept] = prop[accept], proposed[accept], pp[accept]
        rate = 0.99 * rate + 0.01 * accept
        if it < c.burn and it % 50 == 49:
            step = np.clip(step * np.exp(rate - 0.25), 1e-3, 1.0)
        if it >= c.burn:
            total += fields
            count += 1
        if it % 1000 == 999:
            msg = ""
            if count:
                msg = " posterior mean a %.4f, one chain's %.4f" % (rel((total / count).reshape(b, chains, n, n).mean(1), a_true).mean(),
                                                                     rel(total / count, np.repeat(a_true, chains, 0)).mean())
            print("step %d: Phi %.1f, acceptance %.2f, s %.3f;%s (%.0f s)" % (it + 1, ph.mean(), rate.mean(), step.mean(), msg, time.time() - t0),
                  flush=True)
    estimate = (total / count).reshape(b, chains, n, n).mean(1)
    e = rel(estimate, a_true)
    if c.out:
        with h5py.File(c.out + ".tmp", "w") as f:
            f["a"] = estimate.astype(np.float32)
        os.replace(c.out + ".tmp", c.out)
    print(json.dumps({"observations": c.inv, "forward": c.forward, "model": c.model, "first": c.first, "fields": b, "chains": chains,
                      "steps": c.steps, "burn": c.burn, "relative_l2_a": round(float(e.mean()), 4),
                      "per_field_a": [round(float(x), 4) for x in e], "seconds": round(time.time() - t0, 1)}))


if __name__ == "__main__":
    main()
