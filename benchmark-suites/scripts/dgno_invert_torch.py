"""The DGNO reference's inverse method in PyTorch, run on an OpForge DGNO checkpoint and the observations
of an `opforge invert` run: an outside check of `opforge invert` with the same model and the same data.

Usage: PYTHONPATH=../shared/peers /usr/bin/python3 dgno_invert_torch.py MODEL.h5 INV.h5 TRUTH.h5 [--first K]
  MODEL.h5  an OpForge DGNO checkpoint (piecewise-constant recipe: latent 128, encoder [512, 256],
            MultiONets depth 5 summing 4 layers, width 100, a-decoder 256; its weights are loaded
            into the peer's DGNO class, shared/peers/train_dgno_torch.py, whose parameter names match)
  INV.h5    an `opforge invert` output: its `observations` (N, M) and `coords/points` (M, 2)
  TRUTH.h5  the fields the observations were made from (`a`, `u` or `x`, `y`), N of them from --first K

The method is the reference notebook's (DGenNO, Example_DarcyFlow_piecewise/Inverse_DGenNO_piecewise_N100):
per field beta = tanh(MLP_SiLU[1, 64, 64, 128](1)), Adam(lr 1e-2, weight decay 1e-4) for 500 steps with
the rate halved every 50, loss 25 ||u(x_m) - u_obs|| / ||u_obs|| + the mixed weak residual (100 centres
redrawn each step, R 1e-4, f = 10) with the coefficient relaxed by the mean of 25 logistic draws. The
fields are solved together (one MLP each, batched; Adam is elementwise, so this is the same as solving
them one by one). Reported: the relative L2 of the decoded mean lo + (hi - lo) sigmoid(logit), the
estimate `opforge invert` returns, and of the reference's own figure (one averaged logistic sample),
per field and their mean, as one JSON line.
"""
import argparse
import json
import math
import time
import types

import h5py
import numpy as np
import torch

import train_dgno_torch as peer


def load_checkpoint(path):
    """An OpForge DGNO checkpoint as the peer's DGNO module: (model, config, input mean, input std)."""
    with h5py.File(path, "r") as f:
        raw = f.attrs["config"]
        cfg = json.loads(raw if isinstance(raw, str) else raw.decode())
        arch = types.SimpleNamespace(enc=cfg["encoder"], beta=cfg["latent"], depth=cfg["depth"], sum_layers=cfg["sum_layers"],
                                     width=cfg["width"], width_a=cfg["width_a"])
        model = peer.DGNO(cfg["grid"] ** 2, arch)
        model.load_state_dict({k: torch.tensor(np.array(f["model"][k]), dtype=torch.float32) for k in f["model"].keys()}, strict=True)
        norm = [torch.tensor(np.array(f["normalizer/input/" + k]), dtype=torch.float32).reshape(1, -1) for k in ("mean", "std")]
    for p in model.parameters():
        p.requires_grad_(False)
    return model, cfg, norm[0], norm[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model"); ap.add_argument("inv"); ap.add_argument("truth")
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--iterations", type=int, default=500)
    ap.add_argument("--observation-weight", type=float, default=25.0)
    ap.add_argument("--source", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2)
    c = ap.parse_args()
    torch.set_num_threads(c.threads)
    torch.manual_seed(c.seed)

    model, cfg, _, _ = load_checkpoint(c.model)
    lo, hi = cfg["coefficient_values"]
    n, R, nc = cfg["grid"], cfg["radius"], cfg["centres"]
    with h5py.File(c.inv, "r") as f:
        pts = torch.tensor(np.array(f["coords/points"]), dtype=torch.float32)
        obs = torch.tensor(np.array(f["observations"]), dtype=torch.float32)
    b = obs.shape[0]
    with h5py.File(c.truth, "r") as f:
        ka, ku = ("a", "u") if "a" in f else ("x", "y")
        a_true = torch.tensor(np.array(f[ka][c.first:c.first + b]), dtype=torch.float32)
        u_true = torch.tensor(np.array(f[ku][c.first:c.first + b]), dtype=torch.float32)

    g = torch.linspace(0, 1, n)
    grid = torch.stack(torch.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    quad = peer.wendland_quadrature(cfg["quadrature_grid"])
    mo_obs, _ = peer.mollifier(pts)

    def relaxed(logit, draws=25):
        eps = torch.rand((draws,) + logit.shape).clamp(1e-7, 1 - 1e-7)
        return lo + (hi - lo) * torch.sigmoid(logit + (torch.log(eps) - torch.log1p(-eps)).mean(0))

    def residual(beta):                                               # (B): each field's residual
        P, v, dv = quad
        xc = R + (1 - 2 * R) * torch.rand(nc, 2)
        x = (xc[:, None, :] + R * P[None]).reshape(-1, 2)
        mo, dmo = peer.mollifier(x)
        ur, dur = model.u.forward_dx(x, beta)
        du = dur * mo[None, :, None] + ur[..., None] * dmo[None]
        s = torch.stack([model.s1(x, beta), model.s2(x, beta)], -1)
        a = relaxed(model.a(x, beta))
        res1 = ((s - a[..., None] * du) ** 2).sum(-1).mean(-1)
        left = (s * (dv / R).repeat(nc, 1)[None]).sum(-1).reshape(b, nc, -1).mean(-1)
        return res1 + math.sqrt(nc) * ((left - c.source * v.mean()) ** 2).mean(-1)

    def misfit(beta):
        return (model.u(pts, beta) * mo_obs - obs).norm(dim=1) / obs.norm(dim=1)

    # one [1, 64, 64, d] SiLU network per field, PyTorch's default Linear initialisation
    def layer(fan_in, fan_out):
        bound = 1 / math.sqrt(fan_in)
        return [torch.empty(b, fan_in, fan_out).uniform_(-bound, bound).requires_grad_(True),
                torch.empty(b, 1, fan_out).uniform_(-bound, bound).requires_grad_(True)]
    params = layer(1, 64) + layer(64, 64) + layer(64, cfg["latent"])

    def beta_of():
        h = torch.nn.functional.silu(params[0] + params[1])
        h = torch.nn.functional.silu(torch.baddbmm(params[3], h, params[2]))
        return torch.tanh(torch.baddbmm(params[5], h, params[4])).squeeze(1)

    opt = torch.optim.Adam(params, lr=1e-2, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, c.iterations // 10), gamma=0.5)
    t0 = time.time()
    for _ in range(c.iterations):
        beta = beta_of()
        loss = (c.observation_weight * misfit(beta) + residual(beta)).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    seconds = time.time() - t0

    rel = lambda e, t: ((e - t).flatten(1).norm(dim=1) / t.flatten(1).norm(dim=1))
    with torch.no_grad():
        beta = beta_of()
        logit = model.a(grid, beta).reshape(b, n, n)
        e_mean = rel(lo + (hi - lo) * torch.sigmoid(logit), a_true)
        e_sample = rel(relaxed(logit, 50), a_true)
        mo_grid, _ = peer.mollifier(grid)
        e_u = rel((model.u(grid, beta) * mo_grid).reshape(b, n, n), u_true)
    print(json.dumps({"model": c.model, "observations": c.inv, "fields": b, "first": c.first,
                      "relative_l2_a": round(e_mean.mean().item(), 4), "relative_l2_a_max": round(e_mean.max().item(), 4),
                      "relative_l2_a_reference_sample": round(e_sample.mean().item(), 4),
                      "relative_l2_u": round(e_u.mean().item(), 4), "seconds": round(seconds, 1),
                      "per_field_a": [round(x, 4) for x in e_mean.tolist()]}))


if __name__ == "__main__":
    main()
