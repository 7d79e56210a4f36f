#!/bin/sh
# Regenerates the committed PTX of the CUDA backend from src/main/cuda/*.cu.
# PTX for the virtual architecture compute_80 runs on Ampere, Ada and Hopper (and later): the driver
# JIT-compiles it for the device at cuModuleLoadData. The PTX test (PtxUpToDateTest) recompiles with
# the same command and fails when a committed file is stale.
# Usage: plugins/cuda/build-ptx.sh [nvcc]   (default: nvcc on the PATH)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
nvcc=${1:-nvcc}
src="$here/src/main/cuda"
out="$here/src/main/resources/org/opforge/cuda"
mkdir -p "$out"
for cu in "$src"/*.cu; do
    name=$(basename "$cu" .cu)
    "$nvcc" -ptx -arch=compute_80 -o "$out/$name.ptx" "$cu"
    echo "$out/$name.ptx"
done
