"""MgNO timing peer: the PyTorch peer's MgNO (../shared/peers/train_mgno_torch.py, bit-identical to the
reference classes) timed on CPU with the peers' noise rules (_common.py): one training step (forward,
the reference's spectral H1 loss summed over the batch, backward, Adam lr 5e-4 wd 1e-4) and an
inference forward, batch 8, width 24, 4 layers, zero padding, levels automatic (32: 32/16/8/4), pre
1,...,1,2, post 0. Run from the peers folder (PeerRunner does), or with --peers DIR.

Run:  /usr/bin/python3 mgno_torch.py [--res 32 64] [--batch 8] [--steps 15] [--threads 2]
Prints one JSON line with med/min/max ms per case, as fno2d_torch.py, and the process CPU time per call
(all threads) as {name}_cpu_{res}.
"""
import os, sys, time

peers = os.environ.get("OPFORGE_PEERS", os.getcwd())
sys.path.insert(0, peers)

import torch  # noqa: E402

from _common import bench, emit, env_info, parse_args, wait_quiet  # noqa: E402
from train_mgno_torch import MgNO, level_sizes, rel_h1_spec  # noqa: E402


def main():
    def extra(p):
        p.add_argument("--res", type=int, nargs="+", default=[32])
        p.add_argument("--batch", type=int, default=8)
        p.add_argument("--steps", type=int, default=15)
        p.add_argument("--width", type=int, default=24)
        p.add_argument("--layers", type=int, default=4)
    a = parse_args(extra)
    torch.manual_seed(0)
    env = env_info()
    env["quiet_before"] = wait_quiet(a.quiet_wait)
    out = {"bench": "mgno_torch", "env": env, "batch": a.batch, "width": a.width, "layers": a.layers}
    reps = a.reps or a.steps
    for s in a.res:
        sizes = level_sizes(s, 0)
        j = len(sizes)
        model = MgNO(a.width, a.layers, [1] * (j - 1) + [2], [0] * j, sizes, "zeros")
        opt = torch.optim.Adam(model.parameters(), lr=5e-4, weight_decay=1e-4)
        out[f"params_{s}"] = sum(p.numel() for p in model.parameters())
        x = torch.rand(a.batch, s, s)
        y = torch.rand(a.batch, s, s)

        def train_step():
            opt.zero_grad(set_to_none=True)
            rel_h1_spec(model(x), y).sum().backward()
            opt.step()

        def infer():
            with torch.no_grad():
                model(x)

        for name, fn in (("train", train_step), ("infer", infer)):
            fn()
            c0 = time.process_time()
            for _ in range(reps):
                fn()
            out[f"{name}_cpu_{s}"] = {"med_ms": round((time.process_time() - c0) * 1e3 / reps, 2)}
            st, foreign = bench(fn, reps, warmup=3)
            out[f"{name}_{s}"] = {
                "med_ms": round(st["med"] * 1e3, 2), "min_ms": round(st["min"] * 1e3, 2),
                "max_ms": round(st["max"] * 1e3, 2), "n": st["n"],
                "samples_per_s_med": round(a.batch / st["med"], 2), "foreign_cpu": foreign}
    emit(out)


if __name__ == "__main__":
    main()
