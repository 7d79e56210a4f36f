"""Identical-initialisation experiment for the DeepONet accuracy gap (issue 7).

Builds the PyTorch peer's model (imported from shared/peers/train_deeponet_torch.py, so it is the
peer's code, not a copy) with torch.manual_seed(seed), writes its initial state_dict to HDF5
(one dataset per state-dict key: branch.0.weight, ..., trunk.2.bias, b0 as a 0-d scalar, the
shape the Java model uses), then trains it exactly as the peer does (full batch, MSE, Adam)
and logs the training MSE every K steps. The Java side (AntiderivativeExperiment --init FILE
--log K) loads the same file and trains with the same data, so the two loss trajectories can be
compared step by step.

    /usr/bin/python3 deeponet_identical_init.py TRAIN.h5 TEST.h5 --seed 0 --init-out /tmp/init0.h5 \
        [--iters 10000] [--log-every 100] [--threads 2] [--dump-step1 /tmp/step1.h5]

--init-in FILE starts from the weights in FILE (same layout) instead, e.g. the Java model's initial
weights, to train them with PyTorch.

--dump-step1 writes, for bisecting a divergence, the loss before the first step, the gradients of
the first step (grad/<key>) and the parameters after it (after/<key>). Prints one JSON line:
the trajectory (step -> loss before that step's update, as the peer's --log-every and the Java
epoch reports count), the final training MSE and the test relative L2 (peer definition).
"""
import argparse, json, os, sys, time

import h5py
import numpy as np
import torch


def find_peers(given):
    if given:
        return given
    base = os.path.abspath(os.getcwd())
    while True:
        for cand in (os.path.join(base, "shared", "peers"), os.path.join(base, "..", "shared", "peers")):
            if os.path.isfile(os.path.join(cand, "train_deeponet_torch.py")):
                return os.path.normpath(cand)
        parent = os.path.dirname(base)
        if parent == base:
            sys.exit("cannot find shared/peers/train_deeponet_torch.py above " + os.getcwd() + "; pass --peer-dir")
        base = parent


def state_to_h5(model, path, group=None, grads=False):
    mode = "a" if group else "w"
    with h5py.File(path, mode) as f:
        g = f.require_group(group) if group else f
        for k, v in model.named_parameters():
            t = v.grad if grads else v
            a = t.detach().numpy().astype(np.float32)
            g.create_dataset(k, data=a.reshape(()) if k == "b0" else a)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("train")
    p.add_argument("test")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--iters", type=int, default=10000)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--log-every", type=int, default=100)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--init-out", help="HDF5 file for the initial state_dict")
    p.add_argument("--init-in", help="start from this HDF5 state_dict (e.g. the Java model's initial weights) instead of the seed's")
    p.add_argument("--dump-step1", help="HDF5 file for loss, gradients and parameters of step 1")
    p.add_argument("--peer-dir", help="folder of train_deeponet_torch.py (default: shared/peers found upwards)")
    a = p.parse_args()

    sys.path.insert(0, find_peers(a.peer_dir))
    import train_deeponet_torch as peer

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    u, y, s = peer.load(a.train)
    model = peer.DeepONet(u.shape[1], y.shape[1], 40, 2, torch.nn.ReLU)   # the peer's defaults
    if a.init_in:
        with h5py.File(a.init_in, "r") as f:
            sd = {k: torch.from_numpy(np.asarray(f[k][()], dtype=np.float32)).reshape(v.shape) for k, v in model.state_dict().items()}
        model.load_state_dict(sd)
    if a.init_out:
        state_to_h5(model, a.init_out)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)

    traj, loss = {}, None
    t0 = time.perf_counter()
    for it in range(a.iters):
        opt.zero_grad(set_to_none=True)
        loss = ((model(u, y) - s) ** 2).mean()
        loss.backward()
        if it == 0 and a.dump_step1:
            with h5py.File(a.dump_step1, "w") as f:
                f.attrs["loss0"] = float(loss.item())
            state_to_h5(model, a.dump_step1, "grad", grads=True)
        opt.step()
        if it == 0 and a.dump_step1:
            state_to_h5(model, a.dump_step1, "after")
        if a.log_every and (it + 1) % a.log_every == 0:
            traj[it + 1] = loss.item()
    seconds = time.perf_counter() - t0

    ut, yt, st = peer.load(a.test)
    train_err, test_err = peer.errors(model, u, y, s), peer.errors(model, ut, yt, st)
    print(json.dumps({"seed": a.seed, "iters": a.iters, "train_time_s": round(seconds, 2),
                      "final_train_mse": loss.item() if loss is not None else None, "train_l2": train_err["l2"], "test_l2": test_err["l2"],
                      "test_mse": test_err["mse"], "trajectory": traj}), flush=True)


if __name__ == "__main__":
    main()
