"""Extra golden files for the MgNO bundle, in ../shared/golden/README.md's format (format 1), for what the
shared files do not cover: an odd grid (prolongation kernel 3), reflect padding, two input channels, and
the Navier-Stokes variant (LayerNorm after each prolongation, no 1x1 skip, global residual), with the
PyTorch peer's classes (../shared/peers/train_mgno_torch.py: MgConv, Prolong, level_sizes). Parameters
and inputs are drawn in float32; outputs and gradients are computed in float64 and rounded once.

Run:  /usr/bin/python3 make_mgno_extra.py PEER_DIR OUT_DIR
"""
import json, sys, zlib

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, sys.argv[1])
from train_mgno_torch import MgConv, level_sizes  # noqa: E402


class MgNOGeneral(nn.Module):
    """The peer's MgNO with C_in input and C_out output channels; ns: LayerNorm in the up pass, no 1x1 skip,
    y = proj(v) + x[:, C_in - C_out:] (the reference's MgNO_NS residual)."""

    def __init__(self, cin, cout, width, layers, pre, post, sizes, mode, ns):
        super().__init__()
        self.ns = ns
        self.mg = nn.ModuleList(MgConv(cin if k == 0 else width, width, pre, post, sizes, mode) for k in range(layers))
        if ns:
            for m in self.mg:
                m.norm = nn.ModuleList(nn.LayerNorm([width, sizes[l], sizes[l]]) for l in range(len(sizes) - 1))
                with torch.no_grad():
                    for ln in m.norm:
                        ln.weight.uniform_(0.5, 1.5)
                        ln.bias.uniform_(-0.5, 0.5)
        else:
            self.lin = nn.ModuleList(nn.Conv2d(cin if k == 0 else width, width, 1) for k in range(layers))
        self.proj = nn.Conv2d(width, cout, 1, bias=False)
        self.cin, self.cout = cin, cout

    def mgconv(self, m, f):
        us, fs, u = [], [], None
        for l in range(len(m.pre)):
            if l > 0:
                f, u = m.R[l - 1](f), m.Pi[l - 1](u)
            a_idx = 0
            for S in m.pre_S[l]:
                if u is None:
                    u = S(f)
                else:
                    u = u + S(f - m.pre_A[l][a_idx](u))
                    a_idx += 1
            us.append(u)
            fs.append(f)
        for l in range(len(m.pre) - 2, -1, -1):
            u = us[l] + m.P[l](u, us[l].shape[-2:])
            if self.ns:
                u = m.norm[l](u)
            for S, A in zip(m.post_S[l], m.post_A[l]):
                u = u + S(fs[l] - A(u))
        return u

    def forward(self, x):
        v = x
        for k, m in enumerate(self.mg):
            z = self.mgconv(m, v)
            v = F.gelu(z if self.ns else z + self.lin[k](v))
        y = self.proj(v)
        return y + x[:, self.cin - self.cout:] if self.ns else y


def write(out_dir, stem, spec, description, seed=4321):
    torch.manual_seed((seed * 2**32 + zlib.crc32(stem.encode())) % 2**63)
    n, levels = spec["n"], spec["levels"]
    sizes = level_sizes(n, levels)
    spec = dict(spec, level_sizes=sizes, prolong_kernels=[4 if s % 2 == 0 else 3 for s in sizes[:-1]],
                input_shape=[spec["B"], spec["in_channels"], n, n])
    net = MgNOGeneral(spec["in_channels"], spec["out_channels"], spec["width"], spec["layers"], spec["pre"], spec["post"],
                      sizes, spec["padding_mode"], spec["variant"] == "ns")
    x = torch.randn(spec["B"], spec["in_channels"], n, n)
    up = torch.randn(spec["B"], spec["out_channels"], n, n)
    params32 = {k: v.detach().clone() for k, v in net.state_dict().items()}
    net = net.double()
    xd = x.double().requires_grad_(True)
    y = net(xd)
    (y * up.double()).sum().backward()
    with h5py.File(f"{out_dir}/{stem}.h5", "w") as h:
        h.attrs.update({"case": "mgno2d", "spec": json.dumps(spec, sort_keys=True), "description": description,
                        "torch_version": str(torch.__version__), "variant": "public", "seed": seed, "format_version": 1})
        for g in ("inputs", "params", "outputs", "upstream", "grads/inputs", "grads/params"):
            h.require_group(g)
        h["inputs/x"] = x.numpy()
        for k, v in params32.items():
            h[f"params/{k}"] = v.numpy()
        h["outputs/y"] = y.detach().float().numpy()
        h["upstream/y"] = up.numpy()
        h["grads/inputs/x"] = xd.grad.float().numpy()
        for k, p in net.named_parameters():
            h[f"grads/params/{k}"] = p.grad.float().numpy()


if __name__ == "__main__":
    out = sys.argv[2]
    base = {"B": 2, "width": 3, "layers": 2, "activation": "gelu(exact)", "conv_bias": False, "conv_kernel": 3, "conv_padding": 1,
            "prolong_padding": 1, "prolong_stride": 2}
    write(out, "mgno2d_odd_reflect", dict(base, n=13, levels=3, in_channels=2, out_channels=1, pre=[2, 1, 1], post=[1, 1, 0],
                                          padding_mode="reflect", variant="darcy"),
          "MgNO (peer MgConv) on an odd 13x13 grid (levels 13, 7, 4: prolongation kernels 3, 3), reflect padding, 2 input channels.")
    write(out, "mgno2d_ns_circular", dict(base, n=12, levels=3, in_channels=3, out_channels=2, pre=[1, 1, 2], post=[1, 0, 0],
                                          padding_mode="circular", variant="ns"),
          "MgNO Navier-Stokes variant: LayerNorm (affine, eps 1e-5, drawn weight/bias) over (width, n_l, n_l) after each "
          "prolongation, no 1x1 skip, y = proj(v) + x[:, C_in - C_out:], circular padding, 3 input and 2 output channels.")
