#!/usr/bin/env bash
# Builds the benchmarks (Release, -march=native), runs ours beside the
# references in one run on the same weights and inputs, and prints one
# markdown table (the README's Performance section; see bench/RESULTS.md).
#
#   bench/run.sh                 everything, ~5-8 minutes on 2 cores
#   BEAMSCOPE_BENCH_BUILD_DIR=…  build folder (default: build-bench)
#   BEAMSCOPE_BENCH_COLD_RUNS=N  cold-start repetitions (default 7)
#   BEAMSCOPE_BENCH_FAMILIES=0   skip the model-family rows (bench/run_families.sh)
#   BEAMSCOPE_BENCH_TOKENIZERS=0 skip the tokenizer rows (bench/run_tokenizers.sh)
#
# Both sides run single-threaded and are timed in CPU time, so a shared
# machine's other jobs inflate neither side's numbers.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BEAMSCOPE_BENCH_BUILD_DIR:-$root/build-bench}"
cold_runs="${BEAMSCOPE_BENCH_COLD_RUNS:-7}"
python=/usr/bin/python3  # Debian's python3-torch lives here, not in a venv
results="$build/bench-results"
models="$build/gpt2-small"
mkdir -p "$results"

say() { echo "bench: $*" >&2; }

say "building in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBEAMSCOPE_NATIVE=ON \
  -DBEAMSCOPE_BUILD_TESTS=OFF -DBEAMSCOPE_BUILD_UI=ON -DBEAMSCOPE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --parallel "$(grep -c ^processor /proc/cpuinfo)" \
  --target decode_step_bench family_step_bench tokenizer_bench tree_ui_bench beamscope >"$results/build.log" 2>&1 ||
  { tail -30 "$results/build.log" >&2; exit 1; }

say "writing the random GPT-2-small weights (F32, F16) to $models"
"$python" "$root/bench/make_gpt2_small.py" "$models"

# Both engines single-threaded: OpenBLAS and PyTorch's intra-op pool.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
for dtype in f32 f16; do
  say "decode step + prefill, ours ($dtype)"
  BEAMSCOPE_BENCH_MODEL_DIR="$models/$dtype" BEAMSCOPE_BENCH_LOGITS_OUT="$results/logits_$dtype.f32" \
    "$build/bench/decode_step_bench" --benchmark_format=json \
    --benchmark_out="$results/decode_$dtype.json" --benchmark_out_format=json >/dev/null
  say "decode step + prefill, PyTorch eager ($dtype)"
  "$python" "$root/bench/decode_step_reference.py" --model "$models/$dtype" --threads 1 \
    --check-logits "$results/logits_$dtype.f32" >"$results/reference_$dtype.json"
done

# Llama-architecture shapes (SmolLM2-135M, Llama-3.2-1B), per-node work, load.
if [[ "${BEAMSCOPE_BENCH_FAMILIES:-1}" == 1 ]]; then
  "$root/bench/run_families.sh" "$build" "$results"
fi

# Llama 3 / Gemma 3 tokenizers beside @lenml/tokenizers under node.
if [[ "${BEAMSCOPE_BENCH_TOKENIZERS:-1}" == 1 ]]; then
  "$root/bench/run_tokenizers.sh" "$build" "$results"
fi

# The GUI runs offscreen with a throwaway settings folder, so no earlier
# session's settings (another strategy, a longer run) change what is timed.
export QT_QPA_PLATFORM=offscreen
export XDG_CONFIG_HOME="$results/config" XDG_RUNTIME_DIR="$results/runtime"
rm -rf "$XDG_CONFIG_HOME"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
say "tree changes, 20k-node scene, pan/zoom frames"
"$build/bench/tree_ui_bench" >"$results/tree_ui.json" 2>"$results/tree_ui.log"

say "cold start x$cold_runs"
cold=()
for _ in $(seq "$cold_runs"); do
  rm -rf "$XDG_CONFIG_HOME"
  line=$(timeout 60 "$build/app/beamscope" --time-first-tree --prompt "The old lighthouse keeper" \
    2>>"$results/cold_start.log")
  cold+=("$(awk '/first tree drawn/ {print $4}' <<<"$line")")
done
(IFS=,; echo "{\"ms\": [${cold[*]}]}") >"$results/cold_start.json"

# The machine, for the line under the table.
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
ram_gb=$(awk '/MemTotal/ {print $2 / 1048576}' /proc/meminfo)
compiler=$(c++ --version | head -1)
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null | xargs -r dirname | xargs -r basename)
cat >"$results/machine.json" <<EOF
{"cpu": "$cpu", "cores": $(grep -c ^processor /proc/cpuinfo), "ram_gb": $ram_gb, "compiler": "$compiler",
 "flags": "-O3 -march=native (CMake Release, BEAMSCOPE_NATIVE=ON)", "blas": "BLAS: ${blas:-unknown}",
 "model_file": "build-bench/gpt2-small/{f32,f16}/model.safetensors (124M params, written by bench/make_gpt2_small.py)"}
EOF

"$python" "$root/bench/make_table.py" "$results"
