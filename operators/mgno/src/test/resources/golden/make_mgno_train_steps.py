"""A short training run of the peer's MgNO with the reference's Darcy recipe, for the bundle's recipe test:
target normalised by one scalar mean/std (torch's unbiased std, eps 1e-5) and the input left raw, the
spectral H1 loss (rel_h1_spec, |k| < 20) on decoded predictions summed over the batch, Adam (L2 weight
decay) under OneCycleLR (div 2, final div 100, cos, beta1 cycled 0.95 -> 0.85 -> 0.95) stepped once per
epoch, with fixed batches. Golden format 1 (../shared/golden/README.md) with case `mgno2d_train`:
inputs x, y (N, n, n); params = the initial weights; outputs `loss` (one per step) and `final.<key>`,
the weights after the run. Float64 throughout, stored as float32 once.

Run:  /usr/bin/python3 make_mgno_train_steps.py PEER_DIR OUT_DIR
"""
import json, sys

import h5py
import torch

sys.path.insert(0, sys.argv[1])
from train_mgno_torch import MgNO, level_sizes, rel_h1_spec  # noqa: E402

torch.manual_seed(97)
n, width, layers, levels = 12, 4, 2, 3
sizes = level_sizes(n, levels)
pre, post = [1, 1, 2], [0, 1, 0]
net = MgNO(width, layers, pre, post, sizes, "zeros")
x = (torch.rand(6, n, n) * 9 + 3).float()
y = torch.randn(6, n, n).float() * 0.01 + 0.02
init = {k: v.detach().clone() for k, v in net.state_dict().items()}
net = net.double()
xd, yd = x.double(), y.double()
mean, std = yd.mean(), yd.std()
lr, wd, epochs = 1e-2, 1e-4, 3
batches = [[0, 1, 2], [3, 4, 5]]
opt = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=wd)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs, div_factor=2, final_div_factor=100, pct_start=0.5)
losses = []
for ep in range(epochs):
    for b in batches:
        opt.zero_grad()
        p = net(xd[b]) * (std + 1e-5) + mean
        loss = rel_h1_spec(p, yd[b]).sum()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    sched.step()
spec = {"n": n, "width": width, "layers": layers, "levels": levels, "level_sizes": sizes, "pre": pre, "post": post,
        "padding_mode": "zeros", "in_channels": 1, "out_channels": 1, "lr": lr, "weight_decay": wd, "epochs": epochs,
        "batches": batches, "scheduler": "onecycle:2:100:0.5", "loss": "h1_spec sum", "normalize": "target, channel, eps 1e-5"}
with h5py.File(f"{sys.argv[2]}/mgno2d_train_steps.h5", "w") as h:
    h.attrs.update({"case": "mgno2d_train", "spec": json.dumps(spec, sort_keys=True),
                    "description": "peer MgNO trained with the reference's Darcy recipe on fixed batches (make_mgno_train_steps.py)",
                    "torch_version": str(torch.__version__), "variant": "public", "seed": 97, "format_version": 1})
    for g in ("inputs", "params", "outputs", "upstream", "grads/inputs", "grads/params"):
        h.require_group(g)
    h["inputs/x"], h["inputs/y"] = x.numpy(), y.numpy()
    for k, v in init.items():
        h[f"params/{k}"] = v.numpy()
    h["outputs/loss"] = torch.tensor(losses).float().numpy()
    for k, v in net.state_dict().items():
        h[f"outputs/final.{k}"] = v.float().numpy()
print(losses)
