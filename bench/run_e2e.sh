#!/usr/bin/env bash
# What a user waits for: `beamscope-cli decode` end to end, per generated
# token, on the random GPT-2-small weights of bench/run.sh (F32), greedy and
# beam search with 4 beams, with THREADS threads; beside the model step alone
# (decode_step_bench, same threads) and the all-core memory-bandwidth bound.
# Per token = (time of 65 new tokens - time of 1) / 64, so the load and the
# 128-token prefill cancel out; best of RUNS, wall clock and CPU time
# (bench/e2e_time.py says why both).
#
#   bench/run_e2e.sh BUILD_DIR RESULTS_DIR [THREADS (all physical cores)] [CLI]
#   (CLI: another beamscope-cli to time the same way, e.g. an older build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"
results="$2"
threads="${3:-$(lscpu -p=core,socket | grep -v '^#' | sort -u | wc -l)}"
cli="${4:-$build/app/beamscope-cli}"
label=$([[ -z "${4:-}" ]] && echo ours || echo other)
runs="${BEAMSCOPE_BENCH_E2E_RUNS:-3}"
python=/usr/bin/python3
models="$build/gpt2-small"
mkdir -p "$results"
say() { echo "bench: $*" >&2; }

say "writing (or keeping) the random GPT-2-small weights in $models"
"$python" "$root/bench/make_gpt2_small.py" "$models"
# decode needs a tokenizer beside the weights; GPT-2's vocabulary (fetched by tests/run.sh).
cp "$build/fetched/gpt2-vocab/vocab.json" "$build/fetched/gpt2-vocab/merges.txt" "$models/f32/"
# An older beamscope-cli (before --threads) runs with its own single thread.
thread_args=()
"$cli" --help | grep -q -- --threads && thread_args=(--threads "$threads")
prompt=$("$python" -c 'print(",".join(str((7 * 7919 + i * 104729) % 50257) for i in range(128)))')

out="$results/e2e_${label}_t${threads}.json"
{
  echo "{\"threads\": $threads, \"cli\": \"$cli\","
  for strategy in greedy beam4; do
    args=(--strategy greedy)
    [[ $strategy == beam4 ]] && args=(--strategy beam --num-beams 4 --early-stopping never)
    say "$strategy, 1 and 65 new tokens, $threads threads"
    echo "\"$strategy\": $("$python" "$root/bench/e2e_time.py" "$runs" 64 -- "$cli" decode \
      --model "$models/f32" --prompt-ids "$prompt" --max-nodes 1000000 "${thread_args[@]}" \
      "${args[@]}"),"
  done
  echo "\"done\": true}"
} >"$out"
cat "$out"
# The references once per thread count (BEAMSCOPE_BENCH_E2E_ONLY=1 skips them).
[[ "${BEAMSCOPE_BENCH_E2E_ONLY:-0}" == 1 ]] && exit 0
say "model step alone and the bandwidth bound, $threads threads"
BEAMSCOPE_BENCH_THREADS="$threads" BEAMSCOPE_BENCH_MODEL_DIR="$models/f32" \
  "$build/bench/decode_step_bench" --benchmark_filter='BM_DecodeStep|BM_MemoryBandwidth|BM_Products' \
  --benchmark_format=json --benchmark_out="$results/e2e_step_t${threads}.json" \
  --benchmark_out_format=json >/dev/null
say "PyTorch eager, $threads threads"
OMP_NUM_THREADS="$threads" "$python" "$root/bench/decode_step_reference.py" --model "$models/f32" \
  --threads "$threads" --runs 3 >"$results/e2e_reference_t${threads}.json"
