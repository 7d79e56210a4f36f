"""PyTorch's side of a paired comparison (paired.py): the peers' cases, timed in windows on request.

Run by paired.py with PYTHONPATH=../shared/peers (the DeepONet is the peer's own class from
deeponet_torch.py, its step the peer's). Protocol, one line each way on stdin / stdout:
  case NAME        prepare and warm up (10 calls and half a second) -> "ready NAME"
  window SECONDS   time calls for that long (at least 3)            -> {"ms": [...]}
  quit                                                              -> "bye"
Cases: sgemm_N (torch.mm of two N x N float32 matrices under no_grad, as gemm_fft_torch.py),
deeponet_train and deeponet_infer (deeponet_torch.py's step and forward pass, batch 10,000).
Threads: --threads (default 2), as the peers.
"""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn


def make_case(name, state):
    if name.startswith("sgemm_"):
        n = int(name[len("sgemm_"):])
        x, y = torch.randn(n, n), torch.randn(n, n)

        def mm():
            with torch.no_grad():
                torch.mm(x, y)
        return mm
    if name in ("deeponet_train", "deeponet_infer"):
        if "deeponet" not in state:
            from deeponet_torch import DeepONet
            torch.manual_seed(0)
            model = DeepONet()
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            u, y, g = torch.randn(10000, 100), torch.rand(10000, 1), torch.randn(10000, 1)
            lossf = nn.MSELoss()

            def train_step():
                opt.zero_grad(set_to_none=True)
                lossf(model(u, y), g).backward()
                opt.step()

            def infer():
                with torch.no_grad():
                    model(u, y)
            state["deeponet"] = (train_step, infer)
        train_step, infer = state["deeponet"]
        return train_step if name == "deeponet_train" else infer
    raise ValueError(f"unknown case '{name}' (sgemm_N, deeponet_train, deeponet_infer)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    state, fn = {}, None
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        try:
            if w[0] == "case":
                fn = make_case(w[1], state)
                end, calls = time.perf_counter() + 0.5, 0
                while calls < 10 or time.perf_counter() < end:
                    fn()
                    calls += 1
                reply = "ready " + w[1]
            elif w[0] == "window":
                if fn is None:
                    raise ValueError("window before a case")
                span, ms = float(w[1]), []
                w0 = time.perf_counter()
                while len(ms) < 3 or time.perf_counter() - w0 < span:
                    t = time.perf_counter()
                    fn()
                    ms.append((time.perf_counter() - t) * 1e3)
                reply = json.dumps({"ms": [round(v, 4) for v in ms]})
            elif w[0] == "quit":
                print("bye", flush=True)
                return
            else:
                raise ValueError(f"unknown command '{line.strip()}' (case NAME, window SECONDS, quit)")
        except Exception as e:  # the driver reads the reason; the server stays up
            reply = f"error {e}"
        print(reply, flush=True)


if __name__ == "__main__":
    main()
