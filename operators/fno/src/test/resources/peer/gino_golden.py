"""Golden vectors for the GINO of the fno bundle from the WoS-NO peer's TinyGINO (imported from
shared/peers/train_wosno_torch.py, so it is the peer's code, not a copy).

A small TinyGINO (latent 12, width 8, modes 3, 2 layers, c_in 4, kernel hidden 8, radius 0.45, box
1.2) over 40 fixed points in the unit disc, parameters rounded to float32 and then run in float64:
its outputs at the points, and the Laplacian with respect to the query points by double autograd
(the physics-informed residual's operator). Written in the format of shared/golden/README.md
(case "gino"), parameters renamed to the Java model's state-dict keys:

    /usr/bin/python3 gino_golden.py ../../../../../../shared/peers ../golden/gino.h5
"""
import json, sys

import h5py
import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
from train_wosno_torch import TinyGINO  # noqa: E402

torch.manual_seed(0)
rng = np.random.default_rng(0)
P, B = 40, 2
r, t = 0.95 * np.sqrt(rng.uniform(0, 1, P)), rng.uniform(0, 2 * np.pi, P)
pts = np.stack([r * np.cos(t), r * np.sin(t)], 1).astype(np.float32).astype(np.float64)
spec = dict(lat_n=12, lat_box=1.2, r_in=0.45, r_out=0.45, feat=3, c_in=4, width=8, modes=3, layers=2, kh=8)
model = TinyGINO(pts, spec["lat_n"], spec["lat_box"], spec["r_in"], spec["r_out"], feat=3, c_in=spec["c_in"], width=spec["width"],
                 modes=spec["modes"], layers=spec["layers"], kh=spec["kh"])
with torch.no_grad():
    for p in model.parameters():
        p.copy_(p.to(torch.complex64 if p.is_complex() else torch.float32))
model = model.double()
for i in range(spec["layers"]):   # complex parameters: .double() leaves them complex64
    for name in ("w1", "w2"):
        w = getattr(model.convs[i], name)
        setattr(model.convs[i], name, torch.nn.Parameter(w.detach().to(torch.complex128)))
torch.set_default_dtype(torch.float64)   # the peer's buffers (torch.zeros) follow the default; its spectral
                                          # output buffer stays complex64, so agreement is to float32 precision there
a = torch.tensor(rng.normal(0, 1, (B, P, 3)).astype(np.float32), dtype=torch.float64)
u = model(a)
q = torch.tensor(pts)[None].expand(B, -1, -1).clone().requires_grad_(True)
uq = model(a, q)
g1 = torch.autograd.grad(uq.sum(), q, create_graph=True)[0]
lap = sum(torch.autograd.grad(g1[..., d].sum(), q, create_graph=True)[0][..., d] for d in range(2))


def java_name(k):
    k = k.replace("lift_in.", "lift.").replace("k_in.", "gno_in.kernel.").replace("k_out.", "gno_out.kernel.").replace("proj.", "projection.")
    if k.startswith("convs."):
        i, w = k.split(".")[1:]
        return "blocks.%s.spectral.weights%s" % (i, w[1])
    if k.startswith("ws."):
        i, w = k.split(".")[1:]
        return "blocks.%s.skip.%s" % (i, w)
    return k


with h5py.File(sys.argv[2], "w") as f:
    f.attrs["case"] = "gino"
    f.attrs["format"] = 1
    f.attrs["spec"] = json.dumps(spec)
    f.create_group("upstream")
    f.create_group("grads/inputs")
    f.create_group("grads/params")
    f["inputs/points"] = pts.astype(np.float32)
    f["inputs/features"] = a.numpy().astype(np.float32)
    for k, v in model.named_parameters():
        v = v.detach()
        if k.startswith("ws.") and k.endswith("weight"):
            v = v[:, :, 0, 0]
        if v.is_complex():
            f["params/" + java_name(k) + ".re"] = v.real.numpy().astype(np.float32)
            f["params/" + java_name(k) + ".im"] = v.imag.numpy().astype(np.float32)
        else:
            f["params/" + java_name(k)] = v.numpy().astype(np.float32)
    f["outputs/u"] = u.detach().numpy().astype(np.float32)
    f["outputs/laplacian"] = lap.detach().numpy().astype(np.float32)
print("u", float(u.abs().max()), "laplacian", float(lap.abs().max()))
