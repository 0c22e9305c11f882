#!/usr/bin/env bash
# Ours beside llama.cpp on the same GGUF files, in one run, with the same
# number of threads (issues 15 and 18): the decode step at position 128 and
# a 128-token prefill of GPT-2-small-shaped (F32, F16, Q8_0, Q4_K_M) and
# Llama-3.2-1B-shaped (F16, Q8_0, Q4_K_M) random models. llama.cpp is npm's
# node-llama-cpp with its prebuilt CPU library (bench/llama_cpp_step.mjs);
# ours is bench/gguf_step_bench.cpp. Prints a markdown table
# (bench/llama_cpp_table.py); bench/RESULTS.md says what limits each miss.
#
#   bench/run_llama_cpp.sh [BUILD_DIR] [RESULTS_DIR]
#     BUILD_DIR     default build-bench (configured like bench/run.sh)
#     BEAMSCOPE_BENCH_THREADS="2 1"  thread counts, each on both sides (default "2 1")
#     BEAMSCOPE_BENCH_SECONDS=S   seconds of repetitions per measurement (default 5)
#     BEAMSCOPE_BENCH_PASSES=P    ours / llama.cpp alternated P times (default 2)
#     BEAMSCOPE_BENCH_FILES="gpt2-small/f16 …"  a subset of the files
#
# With 2 threads (the target) timed in wall-clock (see gguf_step_bench.cpp),
# the best repetition of all passes counting, as the figure least moved by
# other jobs on a shared machine; with 1 thread also in process CPU time,
# which a loaded machine moves far less (llama.cpp's two threads spin at
# their barriers, so a neighbour that takes one core stalls both).
# ~4.5 GB of random GGUF files are written once to BUILD_DIR/llama-cpp-models.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-${BEAMSCOPE_BENCH_BUILD_DIR:-$root/build-bench}}"
results="${2:-$build/bench-results}"
thread_counts="${BEAMSCOPE_BENCH_THREADS:-2 1}"
seconds="${BEAMSCOPE_BENCH_SECONDS:-5}"
passes="${BEAMSCOPE_BENCH_PASSES:-2}"
files="${BEAMSCOPE_BENCH_FILES:-gpt2-small/f32 gpt2-small/f16 gpt2-small/q8_0 gpt2-small/q4_k_m
  llama-3.2-1b/f16 llama-3.2-1b/q8_0 llama-3.2-1b/q4_k_m}"
python=/usr/bin/python3
models="$build/llama-cpp-models"
llama="$build/fetched/node-llama-cpp"
mkdir -p "$results"
say() { echo "bench: $*" >&2; }

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBEAMSCOPE_NATIVE=ON \
    -DBEAMSCOPE_BUILD_TESTS=OFF -DBEAMSCOPE_BUILD_UI=OFF -DBEAMSCOPE_BUILD_BENCH=ON >/dev/null
fi
say "building gguf_step_bench in $build"
cmake --build "$build" --target gguf_step_bench >"$results/llama_cpp_build.log" 2>&1 ||
  { tail -30 "$results/llama_cpp_build.log" >&2; exit 1; }

"$root/tests/fetch-test-data.sh" "$build/fetched" >&2
[[ -s "$llama/node_modules/node-llama-cpp/dist/index.js" ]] ||
  { echo "node-llama-cpp is missing in $llama (npm could not fetch it)" >&2; exit 1; }

say "writing (or keeping) the random GGUF files in $models"
"$python" "$root/bench/make_llama_cpp_bench_models.py" "$models"

rm -f "$results"/llama_cpp_ours_*.json "$results"/llama_cpp_theirs_*.json
load_before=$(cut -d' ' -f1 /proc/loadavg)
for pass in $(seq "$passes"); do
  for file in $files; do
    for threads in $thread_counts; do
      tag="${file//\//_}_t${threads}_$pass"
      say "pass $pass: $file, ours ($threads threads)"
      "$build/bench/gguf_step_bench" "$models/$file.gguf" "$threads" "$seconds" \
        >"$results/llama_cpp_ours_$tag.json"
      say "pass $pass: $file, llama.cpp ($threads threads)"
      node "$root/bench/llama_cpp_step.mjs" "$llama" "$models/$file.gguf" "$threads" "$seconds" \
        >"$results/llama_cpp_theirs_$tag.json"
    done
  done
done
load_after=$(cut -d' ' -f1 /proc/loadavg)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
cat >"$results/llama_cpp_machine.json" <<EOF
{"cpu": "$cpu", "cores": $(nproc), "threads": "$thread_counts", "load_before": $load_before,
 "load_after": $load_after, "passes": $passes, "seconds": $seconds}
EOF
"$python" "$root/bench/llama_cpp_table.py" "$results"
