"""The WoS-NO peer's own data draw, written as OpForge star-poisson files (point layout).

The peer (../shared/peers/train_wosno_torch.py) draws its point cloud and instances from numpy's
default_rng(seed); OpForge's generator draws other ones at the same seed. To compare the two trainings
on the same instances, this script repeats the peer's draw call for call (its own classes, imported from
the peers' folder) and writes the training and test instances in the layout of
`opforge generate star-poisson` (pde-solvers/README.md): x = [x, y, g at the nearest boundary point,
distance to it, f], the exact u, the star's (c1, c2) and the 12 coefficients per instance.

Run:  PYTHONPATH=../shared/peers /usr/bin/python3 wosno_peer_data.py --seed 0 --out-train TRAIN.h5 --out-test TEST.h5
Then: WosNoExperiment --train-file TRAIN.h5 --test-file TEST.h5 --seed 0 --modes wos,exact
"""
import argparse
import os

import h5py
import numpy as np

import train_wosno_torch as peer


def write(path, pts, nb, fam, inst, X, U, c1, c2):
    n, p = len(inst), len(pts)
    x = np.concatenate([np.broadcast_to(pts, (n, p, 2)), X[inst]], axis=2).astype(np.float32)
    coef = np.concatenate([fam.b[inst], fam.beta[inst], fam.mu[inst].reshape(n, 4), np.full((n, 1), fam.s)], axis=1)
    tmp = path + ".tmp"
    with h5py.File(tmp, "w") as f:
        f["x"] = x
        f["u"] = U[inst].astype(np.float32)
        f["domain"] = np.tile([c1, c2], (n, 1)).astype(np.float32)
        f["coefficients"] = coef.astype(np.float32)
        for k, v in {"problem": "star-poisson", "opforge_format": "dataset", "opforge_version": 1, "layout": "points",
                     "geometry": "fixed", "c1": c1, "c2": c2, "samples": n, "n_boundary": nb, "n_interior": p - nb,
                     "boundary_points": nb, "interior_points": p - nb, "input": "x", "target": "u", "width": fam.s,
                     "x_channels": "x, y, g at the nearest boundary point, distance to it, f",
                     "coefficients_layout": "b0 b1 b2 b3 b4 beta1 beta2 mu1x mu1y mu2x mu2y s", "domain_layout": "c1 c2",
                     "generator": "benchmark-suites/scripts/wosno_peer_data.py (the peer's draw)"}.items():
            f.attrs[k] = v
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--c1", type=float, default=0.1)
    p.add_argument("--c2", type=float, default=0.05)
    p.add_argument("--ntrain", type=int, default=256)
    p.add_argument("--ntest", type=int, default=64)
    p.add_argument("--nb", type=int, default=96)
    p.add_argument("--ni", type=int, default=256)
    p.add_argument("--out-train", required=True)
    p.add_argument("--out-test", required=True)
    a = p.parse_args()
    # the peer's main(), draw for draw (star domain)
    rng = np.random.default_rng(a.seed)
    dom = peer.StarDomain(a.c1, a.c2)
    pts_b, pts_i = dom.sample_boundary(a.nb, rng), dom.sample_interior(a.ni, rng)
    pts = np.concatenate([pts_b, pts_i])
    fam = peer.Family(a.ntrain + a.ntest, rng)
    inst = np.arange(a.ntrain + a.ntest)
    U = fam.on_points(fam.u, pts, inst)
    Fv = fam.on_points(fam.f, pts, inst)
    near = np.hypot(pts[:, None, 0] - pts_b[None, :, 0], pts[:, None, 1] - pts_b[None, :, 1])
    jn, dn = near.argmin(1), near.min(1)
    X = np.stack([U[:, :a.nb][:, jn], np.broadcast_to(dn, U.shape), Fv], 2)
    write(a.out_train, pts, a.nb, fam, inst[:a.ntrain], X, U, a.c1, a.c2)
    write(a.out_test, pts, a.nb, fam, inst[a.ntrain:], X, U, a.c1, a.c2)
    print(f"wrote {a.out_train} ({a.ntrain}) and {a.out_test} ({a.ntest}): the peer's draw at seed {a.seed}")


if __name__ == "__main__":
    main()
