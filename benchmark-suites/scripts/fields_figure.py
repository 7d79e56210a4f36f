"""Rows of 2-D fields side by side as one PNG: the true coefficients and estimates of them, each panel
titled with its relative L2 against the truth.

Usage: /usr/bin/python3 fields_figure.py OUT.png TRUTH.h5 --first K --count N LABEL=FILE.h5[:KEY] ...
  TRUTH.h5  the true fields (`a`, else `x`), N of them from --first K: the first row
  LABEL=FILE.h5[:KEY]  one row per estimate: its field KEY (default `a`), (N, n, n)
Colours run from blue (--lo) to red (--hi); axis 0 of a field is x, drawn left to right.
"""
import argparse

import h5py
import numpy as np
from PIL import Image, ImageDraw


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out"); ap.add_argument("truth"); ap.add_argument("rows", nargs="+")
    ap.add_argument("--first", type=int, default=0); ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--lo", type=float, default=5.0); ap.add_argument("--hi", type=float, default=10.0)
    ap.add_argument("--scale", type=int, default=5)
    c = ap.parse_args()
    with h5py.File(c.truth, "r") as f:
        truth = np.array(f["a" if "a" in f else "x"][c.first:c.first + c.count], dtype=np.float64)
    rows = [("true a", truth)]
    for spec in c.rows:
        label, path = spec.split("=", 1)
        path, key = path.rsplit(":", 1) if ":" in path else (path, "a")
        with h5py.File(path, "r") as f:
            rows.append((label, np.array(f[key][:c.count], dtype=np.float64)))
    n = truth.shape[-1]
    side, pad, head, left = n * c.scale, 4, 14, 150
    img = Image.new("RGB", (left + c.count * (side + pad), len(rows) * (side + pad + head)), "white")
    draw = ImageDraw.Draw(img)
    for r, (label, fields) in enumerate(rows):
        y0 = r * (side + pad + head)
        draw.text((4, y0 + head + side // 2 - 6), label, fill="black")
        for i in range(c.count):
            t = np.clip((fields[i] - c.lo) / (c.hi - c.lo), 0, 1)
            t = np.kron(t.T[::-1], np.ones((c.scale, c.scale)))            # x to the right, y up
            rgb = np.stack([t, 0.15 + 0 * t, 1 - t], -1)
            x0 = left + i * (side + pad)
            img.paste(Image.fromarray((rgb * 255).astype(np.uint8)), (x0, y0 + head))
            title = "field %d" % (c.first + i) if r == 0 else "%.3f" % (np.linalg.norm(fields[i] - truth[i]) / np.linalg.norm(truth[i]))
            draw.text((x0 + 2, y0 + 1), title, fill="black")
    img.save(c.out)


if __name__ == "__main__":
    main()
