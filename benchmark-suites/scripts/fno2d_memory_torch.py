"""The PyTorch side of FnoStepBench --memory: the resident memory an FNO-2D training run needs.

Usage: PYTHONPATH=../shared/peers /usr/bin/python3 fno2d_memory_torch.py [RES] [STEPS]
       PYTHONPATH=../shared/peers /usr/bin/python3 fno2d_memory_torch.py --live [RES]
The peer's FNO2d (shared/peers/fno2d_torch.py), batch 20, Adam; prints one JSON line: the process's
peak resident set (VmHWM) over 3 warm-up and STEPS training steps at RES x RES, minus its resident set
once torch is imported but before the model and the data exist (the engine's bench subtracts the
same: the runtime and the engine loaded, nothing else).

With --live: the peak bytes of tensor storage live during one step after 3 warm-up steps, from the
profiler's memory records (each op's own allocations minus frees, summed in time order from the step's
start), the measure FnoStepBench --live takes of the engine's step.
"""
import gc
import json
import sys

import torch

from fno2d_torch import FNO2d, rel_l2


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def live(s):
    from torch.profiler import profile, ProfilerActivity
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = FNO2d()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    x = torch.rand(20, s, s, 1)
    y = torch.rand(20, s, s, 1)

    def step():
        opt.zero_grad(set_to_none=True)
        rel_l2(model(x), y).backward()
        opt.step()

    for _ in range(3):
        step()
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        step()
    events = sorted((e for e in prof.events() if e.self_cpu_memory_usage != 0), key=lambda e: e.time_range.start)
    live_bytes = peak = 0
    for e in events:
        live_bytes += e.self_cpu_memory_usage
        peak = max(peak, live_bytes)
    print(json.dumps({"bench": "fno2d_torch_live", "res": s, "peak_live_mb": round(peak / 2 ** 20, 1),
                      "end_live_mb": round(live_bytes / 2 ** 20, 1), "torch": torch.__version__}))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--live":
        live(int(sys.argv[2]) if len(sys.argv) > 2 else 64)
        return
    s = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    torch.set_num_threads(2)
    (torch.zeros(4) + torch.zeros(4)).sum().item()
    gc.collect()
    base = status_kb("VmRSS")
    torch.manual_seed(0)
    model = FNO2d()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    x = torch.rand(20, s, s, 1)
    y = torch.rand(20, s, s, 1)
    for _ in range(3 + steps):
        opt.zero_grad(set_to_none=True)
        rel_l2(model(x), y).backward()
        opt.step()
    peak = status_kb("VmHWM")
    print(json.dumps({"bench": "fno2d_torch_memory", "res": s, "steps": steps, "rss_base_mb": round(base / 1024, 1),
                      "rss_peak_mb": round(peak / 1024, 1), "peak_over_base_mb": round((peak - base) / 1024, 1),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
