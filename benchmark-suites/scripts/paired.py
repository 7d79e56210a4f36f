"""Paired timing of the engine and PyTorch: both servers up side by side, the same case timed in
alternating windows, so that the shared host's slow spells fall on both sides alike.

Usage: paired.py --ours "CMD" --theirs "CMD" [--case NAME:WINDOWS:SECONDS ...] [--out FILE]
  CMD: a server speaking the protocol of PairedServer.java / paired_torch.py (shell words).
  Default cases: sgemm_256:12:0.5 sgemm_1024:10:0.5 sgemm_2048:8:1.0 deeponet_train:10:0.5
  deeponet_infer:10:0.5. Window w of a case runs ours then theirs for even w, theirs then ours for odd w.
Before each window the driver waits (up to 2 s) until the machine is quiet (< 5 % busy over 50 ms), so a
side's spinning threads do not run into the other's window.
Writes one JSON line per case (also to --out): pooled per-call medians and minima of both sides, each
window's median, the ratio of the pooled medians (ours / theirs, time) and each window pair's ratio.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

DEFAULT_CASES = ["sgemm_256:12:0.5", "sgemm_1024:10:0.5", "sgemm_2048:8:1.0",
                 "deeponet_train:10:0.5", "deeponet_infer:10:0.5"]


class Server:
    def __init__(self, name, cmd):
        self.name = name
        self.p = subprocess.Popen(shlex.split(cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1)

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        reply = self.p.stdout.readline()
        if not reply:
            sys.exit(f"paired: the {self.name} server ended without answering '{line}' (exit {self.p.wait()})")
        reply = reply.strip()
        if reply.startswith("error"):
            sys.exit(f"paired: the {self.name} server refused '{line}': {reply[6:]}")
        return reply

    def close(self):
        try:
            self.ask("quit")
        except SystemExit:
            pass
        self.p.wait(timeout=30)


def busy_ticks():
    v = list(map(int, open("/proc/stat").readline().split()[1:9]))
    return sum(v) - v[3] - v[4]


def wait_quiet(limit=2.0, span=0.05, thresh=0.05):
    hz, cores = os.sysconf("SC_CLK_TCK"), os.cpu_count()
    end = time.time() + limit
    while time.time() < end:
        b0 = busy_ticks()
        time.sleep(span)
        if (busy_ticks() - b0) / hz / (span * cores) < thresh:
            return


def side(ms_windows):
    pooled = sorted(v for w in ms_windows for v in w)
    return {"med_ms": round(statistics.median(pooled), 4), "min_ms": round(pooled[0], 4), "n": len(pooled),
            "window_med_ms": [round(statistics.median(w), 4) for w in ms_windows]}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ours", required=True)
    p.add_argument("--theirs", required=True)
    p.add_argument("--case", action="append", help="NAME:WINDOWS:SECONDS (repeatable)")
    p.add_argument("--out")
    a = p.parse_args()
    cases = []
    for c in a.case or DEFAULT_CASES:
        parts = c.split(":")
        if len(parts) != 3:
            sys.exit(f"paired: --case expects NAME:WINDOWS:SECONDS, found '{c}'")
        cases.append((parts[0], int(parts[1]), float(parts[2])))
    ours, theirs = Server("engine", a.ours), Server("PyTorch", a.theirs)
    out = open(a.out, "w") if a.out else None
    try:
        for name, windows, seconds in cases:
            for s in (ours, theirs):
                wait_quiet()
                s.ask(f"case {name}")
            got = {ours: [], theirs: []}
            for w in range(windows):
                for s in ((ours, theirs) if w % 2 == 0 else (theirs, ours)):
                    wait_quiet()
                    got[s].append(json.loads(s.ask(f"window {seconds}"))["ms"])
            o, t = side(got[ours]), side(got[theirs])
            line = {"bench": "paired", "case": name, "windows": windows, "seconds": seconds, "ours": o, "theirs": t,
                    "time_ratio": round(o["med_ms"] / t["med_ms"], 4),
                    "window_time_ratios": [round(x / y, 3) for x, y in zip(o["window_med_ms"], t["window_med_ms"])]}
            print(json.dumps(line), flush=True)
            if out:
                out.write(json.dumps(line) + "\n")
                out.flush()
    finally:
        ours.close()
        theirs.close()
        if out:
            out.close()


if __name__ == "__main__":
    main()
