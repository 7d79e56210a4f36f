"""A short training run of the WoS-NO peer's TinyGINO with its recipe, for the GINO recipe test:
standardised features [g at the nearest boundary point, distance to it, f] of the peer's problem
family on a small point cloud in the unit disc, targets the exact u, the relative L2 loss (per
instance ||p - y|| / ||y||, mean over the batch), Adam with L2 weight decay 1e-6 (lr 1e-2, five times
the peer's, so that a wrong step shows sooner), fixed batches over three epochs, ReduceLROnPlateau
stepped on each epoch's mean training loss (the loss falls every epoch here, so the lr stays; the
cutting rule is ReduceLROnPlateau's own test). The peer's classes are imported from
shared/peers/train_wosno_torch.py; only its spectral layer's output buffer is made complex128, so
that the whole run is float64.

Golden format 1 (../shared/golden/README.md), case `gino_train`: inputs points (P, 2), features
(N, P, 3), targets (N, P); params = the initial weights under the Java model's keys; outputs `loss`
(one per step), `lr` (one per epoch, after the scheduler's step) and `final.<key>`, the weights after
the run. Inputs and initial weights are float32 (rounded before the run, so both sides start from the
same values), the losses and final weights float64.

Run:  /usr/bin/python3 gino_train_steps.py PEER_DIR ../golden/gino_train_steps.h5
"""
import json, sys

import h5py
import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
import train_wosno_torch as peer  # noqa: E402


def spectral_forward(self, x):   # the peer's SpectralConv2d.forward with a complex128 output buffer
    b, c, n1, n2 = x.shape
    m = self.m
    xf = torch.fft.rfft2(x)
    of = torch.zeros(b, c, n1, n2 // 2 + 1, dtype=xf.dtype)
    of[:, :, :m, :m] = torch.einsum("bixy,ioxy->boxy", xf[:, :, :m, :m], self.w1)
    of[:, :, -m:, :m] = torch.einsum("bixy,ioxy->boxy", xf[:, :, -m:, :m], self.w2)
    return torch.fft.irfft2(of, s=(n1, n2))


peer.SpectralConv2d.forward = spectral_forward
torch.manual_seed(3)
rng = np.random.default_rng(3)
nb, ni, N = 16, 32, 12
dom = peer.DiscDomain()
pts = np.concatenate([dom.sample_boundary(nb, rng), dom.sample_interior(ni, rng)]).astype(np.float32).astype(np.float64)
fam = peer.Family(N, rng)
inst = np.arange(N)
U = fam.on_points(fam.u, pts, inst)
Fv = fam.on_points(fam.f, pts, inst)
near = np.hypot(pts[:, None, 0] - pts[None, :nb, 0], pts[:, None, 1] - pts[None, :nb, 1])
X = np.stack([U[:, :nb][:, near.argmin(1)], np.broadcast_to(near.min(1), U.shape), Fv], 2)
X = ((X - X.reshape(-1, 3).mean(0)) / (X.reshape(-1, 3).std(0) + 1e-6)).astype(np.float32).astype(np.float64)
U = U.astype(np.float32).astype(np.float64)
spec = dict(lat_n=12, lat_box=1.1, radius=0.4, c_in=4, width=8, modes=3, layers=2, kh=8, lr=1e-2, weight_decay=1e-6,
            plateau_factor=0.9, plateau_patience=0, epochs=3, batches=[[3, 7, 0, 9], [1, 11, 5, 2], [10, 4, 8, 6]])
model = peer.TinyGINO(pts, spec["lat_n"], spec["lat_box"], spec["radius"], spec["radius"], feat=3, c_in=spec["c_in"],
                      width=spec["width"], modes=spec["modes"], layers=spec["layers"], kh=spec["kh"])
with torch.no_grad():
    for p in model.parameters():
        p.copy_(p.to(torch.complex64 if p.is_complex() else torch.float32))
init = {k: v.detach().clone() for k, v in model.named_parameters()}
torch.set_default_dtype(torch.float64)   # the peer's index_add_ buffers follow the default dtype
model = model.double()
for i in range(spec["layers"]):           # .double() leaves complex parameters complex64
    for name in ("w1", "w2"):
        w = getattr(model.convs[i], name)
        setattr(model.convs[i], name, torch.nn.Parameter(w.detach().to(torch.complex128)))
opt = torch.optim.Adam(model.parameters(), lr=spec["lr"], weight_decay=spec["weight_decay"])
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=spec["plateau_factor"], patience=spec["plateau_patience"])
Xt, Ut = torch.tensor(X), torch.tensor(U)
losses, lrs = [], []
for ep in range(spec["epochs"]):
    tot = 0.0
    for b in spec["batches"]:
        opt.zero_grad()
        loss = peer.rel_l2(model(Xt[b]), Ut[b]).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        tot += loss.item() * len(b)
    sched.step(tot / N)
    lrs.append(opt.param_groups[0]["lr"])


def java_name(k):
    k = k.replace("lift_in.", "lift.").replace("k_in.", "gno_in.kernel.").replace("k_out.", "gno_out.kernel.").replace("proj.", "projection.")
    if k.startswith("convs."):
        i, w = k.split(".")[1:]
        return "blocks.%s.spectral.weights%s" % (i, w[1])
    if k.startswith("ws."):
        i, w = k.split(".")[1:]
        return "blocks.%s.skip.%s" % (i, w)
    return k


def put(f, name, k, v):
    v = v.detach()
    if k.startswith("ws.") and k.endswith("weight"):
        v = v[:, :, 0, 0]
    if v.is_complex():
        f[name + ".re"] = v.real.numpy().astype(np.float32 if name.startswith("params") else np.float64)
        f[name + ".im"] = v.imag.numpy().astype(np.float32 if name.startswith("params") else np.float64)
    else:
        f[name] = v.numpy().astype(np.float32 if name.startswith("params") else np.float64)


with h5py.File(sys.argv[2], "w") as f:
    f.attrs["case"] = "gino_train"
    f.attrs["format"] = 1
    f.attrs["spec"] = json.dumps(spec)
    f.create_group("upstream")
    f.create_group("grads/inputs")
    f.create_group("grads/params")
    f["inputs/points"] = pts.astype(np.float32)
    f["inputs/features"] = X.astype(np.float32)
    f["inputs/targets"] = U.astype(np.float32)
    for k, v in init.items():
        put(f, "params/" + java_name(k), k, v)
    for k, v in model.named_parameters():
        put(f, "outputs/final." + java_name(k), k, v)
    f["outputs/loss"] = np.array(losses)
    f["outputs/lr"] = np.array(lrs)
print("losses", losses, "lr", lrs)
