#!/usr/bin/env bash
# What a user waits for when a model opens: from a warm page cache to the
# first logits, `beamscope-cli next` on GPT-2 small (the random F32 and F16
# weights of bench/run.sh) and on the bundled model, beside PyTorch eager
# loading the same file and computing the same first logits
# (bench/decode_step_reference.py --load-only), in the same run. Best of
# RUNS (bench/load_time.py says what is counted).
#
#   bench/run_load.sh BUILD_DIR RESULTS_DIR [CLI]
#   (CLI: another beamscope-cli to time the same way, e.g. an older build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"
results="$2"
cli="${3:-$build/app/beamscope-cli}"
label=$([[ -z "${3:-}" ]] && echo ours || echo other)
runs="${BEAMSCOPE_BENCH_LOAD_RUNS:-5}"
# Threads as a user gets them (beamscope: the physical cores); PyTorch the same.
threads=$(lscpu -p=core,socket | grep -v "^#" | sort -u | wc -l)
python=/usr/bin/python3
models="$build/gpt2-small"
mkdir -p "$results"
say() { echo "bench: $*" >&2; }

"$python" "$root/bench/make_gpt2_small.py" "$models" >&2
for dtype in f32 f16; do
  cp "$build/fetched/gpt2-vocab/vocab.json" "$build/fetched/gpt2-vocab/merges.txt" "$models/$dtype/"
done
out="$results/load_${label}.json"
{
  echo "{"
  for dtype in f32 f16; do
    say "first logits, GPT-2 small $dtype ($label)"
    echo "\"gpt2_small_$dtype\": $("$python" "$root/bench/load_time.py" "$runs" -- "$cli" next \
      --model "$models/$dtype" --prompt-ids 464 --top 1),"
  done
  say "first logits, bundled model ($label)"
  echo "\"bundled\": $("$python" "$root/bench/load_time.py" "$runs" -- "$cli" next \
    --prompt-ids 464 --top 1),"
  echo "\"runs\": $runs}"
} >"$out"
cat "$out"
[[ "$label" == other ]] && exit 0
# The floor of any load that writes the weights once into fresh memory: the
# time to first-touch that many bytes of new anonymous pages (the kernel
# zeroes each one; on a virtual machine that returned its free pages to the
# host, it first gets them back). Best of RUNS, in this same run.
say "first touch of fresh memory, the size of each GPT-2 small file"
for dtype in f32 f16; do
  bytes=$(stat -c %s "$models/$dtype/model.safetensors")
  "$python" - "$bytes" "$runs" <<'PY' >"$results/load_fresh_memory_$dtype.json"
import json, sys, time
import numpy as np
n, runs = int(sys.argv[1]), int(sys.argv[2])
best = float("inf")
for _ in range(runs):
    start = time.perf_counter()
    a = np.ones(n, dtype=np.uint8)  # new pages, each written once
    best = min(best, time.perf_counter() - start)
    del a
print(json.dumps({"bytes": n, "first_touch_ms": round(best * 1e3, 1)}))
PY
  cat "$results/load_fresh_memory_$dtype.json"
done
for dtype in f32 f16; do
  say "first logits, PyTorch eager, GPT-2 small $dtype"
  "$python" "$root/bench/load_time.py" "$runs" -- "$python" "$root/bench/decode_step_reference.py" \
    --model "$models/$dtype" --threads "$threads" --load-only >"$results/load_reference_$dtype.json"
  cat "$results/load_reference_$dtype.json"
done
