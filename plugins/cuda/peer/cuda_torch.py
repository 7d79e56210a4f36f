"""PyTorch peer of org.opforge.bench.CudaBench on the same GPU: sgemm 4096 fp32, rfft2+irfft2 on
(20, 32, 256, 256), and an FNO-2D training step (width 64, 4 layers, 12 modes, fc 128, batch 32,
256x256, relative L2 summed over the batch, Adam lr 1e-3 wd 1e-4) -- the model of
../../../shared/peers/fno2d_torch.py at these sizes. Prints one JSON line with min/median times and
peak device memory per case (max_memory_allocated ~ our peak_live, max_memory_reserved ~ our
peak_reserved). TF32 stays off (PyTorch's default for matmul), as our kernels are plain fp32.

Run:  python3 cuda_torch.py [--reps 10] [--fno-steps 10] [--skip-fno]
"""
import argparse, json, statistics, time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SpectralConv2d(nn.Module):
    def __init__(self, cin, cout, m1, m2):
        super().__init__()
        self.cout, self.m1, self.m2 = cout, m1, m2
        scale = 1 / (cin * cout)
        self.weights1 = nn.Parameter(scale * torch.rand(cin, cout, m1, m2, dtype=torch.cfloat))
        self.weights2 = nn.Parameter(scale * torch.rand(cin, cout, m1, m2, dtype=torch.cfloat))

    def forward(self, x):
        b, _, h, w = x.shape
        xf = torch.fft.rfft2(x)
        of = torch.zeros(b, self.cout, h, w // 2 + 1, dtype=torch.cfloat, device=x.device)
        of[:, :, :self.m1, :self.m2] = torch.einsum("bixy,ioxy->boxy", xf[:, :, :self.m1, :self.m2], self.weights1)
        of[:, :, -self.m1:, :self.m2] = torch.einsum("bixy,ioxy->boxy", xf[:, :, -self.m1:, :self.m2], self.weights2)
        return torch.fft.irfft2(of, s=(h, w))


class FNO2d(nn.Module):
    def __init__(self, width=64, modes=12, layers=4):
        super().__init__()
        self.fc0 = nn.Linear(3, width)
        self.convs = nn.ModuleList([SpectralConv2d(width, width, modes, modes) for _ in range(layers)])
        self.ws = nn.ModuleList([nn.Conv2d(width, width, 1) for _ in range(layers)])
        self.fc1, self.fc2 = nn.Linear(width, 128), nn.Linear(128, 1)

    def forward(self, a):
        b, h, w, _ = a.shape
        gx = torch.linspace(0, 1, h, device=a.device).reshape(1, h, 1, 1).expand(b, h, w, 1)
        gy = torch.linspace(0, 1, w, device=a.device).reshape(1, 1, w, 1).expand(b, h, w, 1)
        x = self.fc0(torch.cat((a, gx, gy), dim=-1)).permute(0, 3, 1, 2)
        for i, (c, w_) in enumerate(zip(self.convs, self.ws)):
            x = c(x) + w_(x)
            if i < len(self.convs) - 1:
                x = F.gelu(x)
        return self.fc2(F.gelu(self.fc1(x.permute(0, 2, 3, 1))))


def timed(fn, reps):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        ts.append((time.perf_counter() - t0) * 1e3)
    return min(ts), statistics.median(ts)


def peak():
    return {"peak_allocated_mib": round(torch.cuda.max_memory_allocated() / 2**20, 1),
            "peak_reserved_mib": round(torch.cuda.max_memory_reserved() / 2**20, 1)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--fno-steps", type=int, default=10)
    p.add_argument("--skip-fno", action="store_true")
    a = p.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device("cuda")
    torch.manual_seed(0)
    out = {"bench": "cuda_torch", "torch": torch.__version__, "device": torch.cuda.get_device_name(0)}

    n = 4096
    x, y = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
    torch.cuda.reset_peak_memory_stats()
    with torch.no_grad():
        mn, md = timed(lambda: torch.mm(x, y), a.reps)
    out["sgemm_4096"] = {"min_ms": round(mn, 3), "med_ms": round(md, 3), "tflops_med": round(2 * n ** 3 / (md * 1e-3) / 1e12, 2), **peak()}
    del x, y

    v = torch.randn(20, 32, 256, 256, device=dev)
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    with torch.no_grad():
        mn, md = timed(lambda: torch.fft.irfft2(torch.fft.rfft2(v), s=(256, 256)), a.reps)
    out["rfft2+irfft2_20x32x256x256"] = {"min_ms": round(mn, 3), "med_ms": round(md, 3), **peak()}
    del v

    if not a.skip_fno:
        model = FNO2d().to(dev)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
        xs, ys = torch.rand(32, 256, 256, 1, device=dev), torch.rand(32, 256, 256, 1, device=dev)

        def step():
            opt.zero_grad()
            p_ = model(xs)
            b = p_.shape[0]
            d = (p_ - ys).reshape(b, -1).norm(dim=1)
            (d / ys.reshape(b, -1).norm(dim=1)).sum().backward()
            opt.step()

        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        mn, md = timed(step, a.fno_steps)
        out["fno2d_step_w64_m12_b32_256"] = {"min_ms": round(mn, 1), "med_ms": round(md, 1),
                                             "samples_per_s_med": round(32000 / md, 1), **peak()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
