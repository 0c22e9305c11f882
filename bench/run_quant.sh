#!/usr/bin/env bash
# Quantized weights decoded in the kernel — with 8-bit activations and
# integer products (the default) and with float activations
# (BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS=1) — against the path before them
# (BEAMSCOPE_GGUF_DEQUANTIZE=1: every matrix dequantized to float panels at
# load), on the GGUF files bench/run_llama_cpp.sh times llama.cpp on
# (bench/make_llama_cpp_bench_models.py: GPT-2-small and Llama-3.2-1B shaped
# Q8_0 and Q4_K_M), beside the memory-bandwidth bound of reading the file's
# weights once. Decode step at position 128 and 128-token prefill, by
# bench/gguf_step_bench (wall-clock, best of the repetitions). Prints a
# markdown table; JSON in RESULTS_DIR.
#
#   bench/run_quant.sh BUILD_DIR [RESULTS_DIR] [FILE ...]
#     FILE          default: gpt2-small/q8_0 gpt2-small/q4_k_m llama-3.2-1b/q8_0
#                   llama-3.2-1b/q4_k_m (under BUILD_DIR/llama-cpp-models)
#     BEAMSCOPE_BENCH_THREADS=N   (default 1)   BEAMSCOPE_BENCH_SECONDS=S (default 5)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"
results="${2:-$build/bench-results}"
shift $(($# < 2 ? $# : 2))
files=("$@")
[[ ${#files[@]} -gt 0 ]] ||
  files=(gpt2-small/q8_0 gpt2-small/q4_k_m llama-3.2-1b/q8_0 llama-3.2-1b/q4_k_m)
threads="${BEAMSCOPE_BENCH_THREADS:-1}"
seconds="${BEAMSCOPE_BENCH_SECONDS:-5}"
models="$build/llama-cpp-models"
mkdir -p "$results"
say() { echo "bench: $*" >&2; }

say "writing (or keeping) the random GGUF files in $models"
/usr/bin/python3 "$root/bench/make_llama_cpp_bench_models.py" "$models"
BEAMSCOPE_BENCH_MODEL_DIR="$root/resources/models/beamscope-mini" "$build/bench/family_step_bench" \
  --benchmark_filter=BM_MemoryBandwidth --benchmark_format=json >"$results/quant_bandwidth.json"

for file in "${files[@]}"; do
  tag="${file//\//_}"
  say "$file, kept quantized ($threads threads)"
  "$build/bench/gguf_step_bench" "$models/$file.gguf" "$threads" "$seconds" >"$results/quant_kept_$tag.json"
  say "$file, kept quantized, float activations ($threads threads)"
  BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS=1 "$build/bench/gguf_step_bench" "$models/$file.gguf" "$threads" \
    "$seconds" >"$results/quant_float_x_$tag.json"
  say "$file, dequantized at load ($threads threads)"
  BEAMSCOPE_GGUF_DEQUANTIZE=1 "$build/bench/gguf_step_bench" "$models/$file.gguf" "$threads" "$seconds" \
    >"$results/quant_floats_$tag.json"
done

/usr/bin/python3 - "$results" "$models" "${files[@]}" <<'PY'
import json, os, sys
results, models, files = sys.argv[1], sys.argv[2], sys.argv[3:]
gbps = json.load(open(os.path.join(results, "quant_bandwidth.json")))["benchmarks"][0]["GB_per_s"]
print(f"bandwidth {gbps:.1f} GB/s (one core)\n")
print("| file | file MB | held MB kept / dequantized | decode ms 8-bit x / float x / dequantized / bound "
      "| prefill 128 ms 8-bit x / float x / dequantized |")
print("|---|---|---|---|---|")
for f in files:
    tag = f.replace("/", "_")
    k = json.load(open(os.path.join(results, f"quant_kept_{tag}.json")))
    d = json.load(open(os.path.join(results, f"quant_floats_{tag}.json")))
    fx = json.load(open(os.path.join(results, f"quant_float_x_{tag}.json")))
    size = os.path.getsize(os.path.join(models, f + ".gguf"))
    bound = size / (gbps * 1e9) * 1e3
    print(f"| {f} | {size / 1e6:.0f} | {k['weight_bytes'] / 1e6:.0f} / {d['weight_bytes'] / 1e6:.0f} | "
          f"{k['decode_ms']['best']:.1f} / {fx['decode_ms']['best']:.1f} / {d['decode_ms']['best']:.1f} / {bound:.1f} | "
          f"{k['prefill_ms']['best']:.0f} / {fx['prefill_ms']['best']:.0f} / {d['prefill_ms']['best']:.0f} |")
PY
