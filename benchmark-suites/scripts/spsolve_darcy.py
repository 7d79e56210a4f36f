#!/usr/bin/python3
"""Reference direct solve of a Darcy matrix written by org.opforge.bench.SolverBench.

File layout (little-endian): int32 n, int32 nnz, int32 rows[nnz], int32 cols[nnz],
float64 values[nnz], float64 rhs[n], float64 solution[n] (the Java multigrid solution).
Prints the best-of-5 wall time of scipy.sparse.linalg.spsolve (SuperLU) on the CSC matrix,
excluding the file read and the COO->CSC conversion, and the largest difference to the Java solution.
"""
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def main(path):
    with open(path, "rb") as f:
        n, nnz = np.fromfile(f, dtype="<i4", count=2)
        rows = np.fromfile(f, dtype="<i4", count=nnz)
        cols = np.fromfile(f, dtype="<i4", count=nnz)
        vals = np.fromfile(f, dtype="<f8", count=nnz)
        rhs = np.fromfile(f, dtype="<f8", count=n)
        ours = np.fromfile(f, dtype="<f8", count=n)
    a = sp.coo_matrix((vals, (rows, cols)), shape=(n, n)).tocsc()
    best = float("inf")
    x = None
    for _ in range(5):
        t0 = time.perf_counter()
        x = spla.spsolve(a, rhs)
        best = min(best, time.perf_counter() - t0)
    diff = np.max(np.abs(x - ours)) / np.max(np.abs(x))
    print("spsolve_seconds=%.6g n=%d nnz=%d rel_max_diff=%.3g scipy=%s" % (best, n, nnz, diff, scipy.__version__))


if __name__ == "__main__":
    main(sys.argv[1])
