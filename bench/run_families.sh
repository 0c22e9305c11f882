#!/usr/bin/env bash
# The model-family part of bench/run.sh (it calls this; it also runs alone):
# decode steps of SmolLM2-135M-shaped (F32, BF16) and Llama-3.2-1B-shaped
# (BF16) folders beside the memory-bandwidth bound and PyTorch eager on the
# same files, the decoder's per-node work at 49k-262k vocabularies, and the
# load time and resident size of the BF16 1B folder from a warm page cache.
# Writes JSON into $results; bench/make_table.py turns it into table rows.
#
#   bench/run_families.sh BUILD_DIR RESULTS_DIR [nodes]   (~3 GB of random
#   weights are written once to BUILD_DIR/family-models and kept for later
#   runs; with `nodes`, only the per-node work, which needs no model)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"
results="$2"
python=/usr/bin/python3
models="$build/family-models"
mkdir -p "$results"
say() { echo "bench: $*" >&2; }

export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
# The per-node work depends on the vocabulary size only: one run, on the
# bundled model (whose tokenizer names the listed tokens).
say "per-node vocabulary work, 49k-262k"
BEAMSCOPE_BENCH_MODEL_DIR="$root/resources/models/beamscope-mini" "$build/bench/family_step_bench" \
  --benchmark_filter='BM_MemoryBandwidth|BM_NodeWork|BM_NodeSummary' --benchmark_format=json \
  --benchmark_out="$results/family_nodes.json" --benchmark_out_format=json >/dev/null
if [[ "${3:-}" == nodes ]]; then exit 0; fi

say "writing (or keeping) the random SmolLM2-135M / Llama-3.2-1B shaped weights in $models"
"$python" "$root/bench/make_family_bench_models.py" "$models"

for model in smollm2-135m/f32 smollm2-135m/bf16 llama-3.2-1b/bf16; do
  tag=${model//\//_}
  say "decode step, ours ($model)"
  BEAMSCOPE_BENCH_MODEL_DIR="$models/$model" BEAMSCOPE_BENCH_LOGITS_OUT="$results/logits_$tag.f32" \
    "$build/bench/family_step_bench" --benchmark_filter=BM_DecodeStep --benchmark_format=json \
    --benchmark_out="$results/family_$tag.json" --benchmark_out_format=json >/dev/null
  say "decode step, PyTorch eager ($model)"
  "$python" "$root/bench/family_step_reference.py" --model "$models/$model" --threads 1 \
    --check-logits "$results/logits_$tag.f32" >"$results/family_reference_$tag.json"
done

say "load time and resident size, BF16 1B (warm page cache: a first load reads the file)"
BEAMSCOPE_BENCH_MODEL_DIR="$models/llama-3.2-1b/bf16" "$build/bench/family_step_bench" --load-only >/dev/null
best=""
for _ in 1 2 3; do
  line=$(BEAMSCOPE_BENCH_MODEL_DIR="$models/llama-3.2-1b/bf16" "$build/bench/family_step_bench" --load-only)
  best=$("$python" -c 'import json,sys; a=[json.loads(s) for s in sys.argv[1:] if s]; print(json.dumps(min(a, key=lambda x: x["load_wall_s"])))' "$best" "$line")
done
echo "$best" >"$results/family_load_llama-3.2-1b_bf16.json"
