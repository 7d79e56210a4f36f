#!/usr/bin/env bash
# Engine figures beside the PyTorch peers (../shared/peers), each pair measured back to back in one run.
# Needs: `mvn -B -q install -DskipTests` done, and Debian's python3-torch python3-h5py (run with /usr/bin/python3).
# Usage: benchmark-suites/engine-vs-pytorch.sh [OUT_DIR]   (default bench-results/engine-vs-pytorch)
# Writes one JSON line per program to OUT_DIR/*.jsonl, prints them, then the table of ratios against the
# issue's bars (engine-ratios.py, also in OUT_DIR/ratios.md). Compare ratios only, on a quiet machine.
# Each engine case is timed in the JVM's steady state (Quiet.settle: no JIT compiling, no fresh heap pages).
# The sgemm and DeepONet bars are read from scripts/paired.py, which times both sides in alternating windows
# (the host's slow spells, tens of seconds long, otherwise fall on one side of a pair run back to back).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:-$root/bench-results/engine-vs-pytorch}"
peers="$root/../shared/peers"
mkdir -p "$out"
cd "$root/benchmark-suites"
cp_file="$out/classpath.txt"
mvn -q -o dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="target/classes:$(cat "$cp_file")"
java=(java --add-modules jdk.incubator.vector -Xmx8g -Dopforge.peers="$peers" -cp "$cp")
export OMP_WAIT_POLICY=PASSIVE
py() { (cd "$peers" && /usr/bin/python3 "$@"); }

echo "== GEMM";            "${java[@]}" org.opforge.bench.GemmBench 2 2>/dev/null | tee "$out/gemm_java.txt"
                           py gemm_fft_torch.py --quiet-wait 20 | tee "$out/gemm_fft_torch.jsonl"
echo "== sgemm and DeepONet, paired: both sides up at once, each case timed in alternating windows"
                           PYTHONPATH="$peers" /usr/bin/python3 scripts/paired.py --out "$out/paired.jsonl" \
                               --ours "${java[*]} org.opforge.bench.PairedServer" --theirs "/usr/bin/python3 scripts/paired_torch.py"
echo "== FFT";             "${java[@]}" org.opforge.bench.FftBench 20 2>/dev/null | tee "$out/fft_java.txt"
echo "== FNO-2D step";     "${java[@]}" org.opforge.bench.FnoStepBench --res 64 85 --steps 10 --peer 2>/dev/null | tee "$out/fno2d.jsonl"
echo "== FNO-2D 200 steps (heap after GC every 20 steps)"
                           "${java[@]}" org.opforge.bench.FnoStepBench --res 64 --steps 3 --long 200 2>/dev/null | tail -n 1 | tee "$out/fno2d_long.jsonl"
echo "== FNO-2D resident memory of a training run (64x64, peak over the loaded runtime; each in a process of its own)"
                           "${java[@]}" org.opforge.bench.FnoStepBench --memory 64 10 2>/dev/null | tee "$out/fno2d_memory.jsonl"
                           (cd "$root/benchmark-suites/scripts" && PYTHONPATH="$peers" /usr/bin/python3 fno2d_memory_torch.py 64 10) \
                               | tee -a "$out/fno2d_memory.jsonl"
echo "== FNO-2D peak live tensor storage of one training step (64x64; the engine counts by collecting at each large allocation, PyTorch by its profiler)"
                           "${java[@]}" org.opforge.bench.FnoStepBench --live 64 2>/dev/null | tee "$out/fno2d_live.jsonl"
                           (cd "$root/benchmark-suites/scripts" && PYTHONPATH="$peers" /usr/bin/python3 fno2d_memory_torch.py --live 64 2>/dev/null) \
                               | tee -a "$out/fno2d_live.jsonl"
echo "== MgNO step";        "${java[@]}" -Dopforge.scripts="$root/benchmark-suites/scripts" org.opforge.bench.MgnoStepBench --res 32 --steps 15 --peer 2>/dev/null | tee "$out/mgno.jsonl"
echo "== DGNO step";       "${java[@]}" org.opforge.bench.DgnoStepBench --steps 20 --repeat --peer --peer-epochs 3 --quiet-wait 20 2>/dev/null | tee "$out/dgno.jsonl"
echo "== WoS-NO step (GINO + its share of the WoS labels; the peer's epoch of 32 steps, first epoch)"
                           "${java[@]}" org.opforge.bench.WosNoBench --steps 32 2>/dev/null | tee "$out/wosno_java.jsonl"
                           py train_wosno_torch.py --domain star --epochs 1 --modes wos,pinn --threads 2 | tee "$out/wosno_torch.jsonl"
echo "== Ratios (medians, this run)"
/usr/bin/python3 "$root/benchmark-suites/engine-ratios.py" "$out" | tee "$out/ratios.md"
