#!/usr/bin/env bash
# Quantized GGUF decode steps: GPT-2-small and Llama-3.2-1B shaped Q8_0 and
# Q4_K_M files (bench/make_gguf_bench_models.py, ~2.5 GB written once to
# BUILD_DIR/gguf-models and kept), each run with the weights kept quantized
# (decoded in the kernel) and dequantized at load (BEAMSCOPE_GGUF_DEQUANTIZE=1,
# the path before), beside the bandwidth bound, plus the load time and
# resident size of each file. JSON into RESULTS_DIR.
#
#   bench/run_quant.sh BUILD_DIR RESULTS_DIR [gpt2-small|llama-1b ...]
#   (threads: BEAMSCOPE_BENCH_THREADS, default 1)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"
results="$2"
shift 2
shapes=("${@:-gpt2-small llama-1b}")
models="$build/gguf-models"
mkdir -p "$results"
say() { echo "bench: $*" >&2; }

say "writing (or keeping) the random GGUF files in $models"
/usr/bin/python3 "$root/bench/make_gguf_bench_models.py" "$models"

for shape in ${shapes[@]}; do
  for mix in q8_0 q4_k_m; do
    file="$models/$shape-$mix.gguf"
    for path in quantized dequantized; do
      say "$shape $mix, weights $path"
      if [[ $path == dequantized ]]; then export BEAMSCOPE_GGUF_DEQUANTIZE=1; else unset BEAMSCOPE_GGUF_DEQUANTIZE; fi
      BEAMSCOPE_BENCH_GGUF="$file" "$build/bench/quant_step_bench" --load-only \
        >"$results/quant_load_${shape}_${mix}_$path.json"
      BEAMSCOPE_BENCH_GGUF="$file" "$build/bench/quant_step_bench" --benchmark_format=json \
        --benchmark_out="$results/quant_${shape}_${mix}_$path.json" --benchmark_out_format=json >/dev/null
    done
  done
done
unset BEAMSCOPE_GGUF_DEQUANTIZE
