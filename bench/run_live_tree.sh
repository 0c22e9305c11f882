#!/usr/bin/env bash
# Issue 18's GUI target: the longest event-loop gap of the real window while
# a 64-step beam-8 run on the random GPT-2-small weights draws its tree live
# (bench/live_tree_bench.cpp says how it is measured). Writes the weights
# with bench/make_gpt2_small.py if they are not there, puts GPT-2's
# vocabulary beside them (fetched by tests/run.sh) and prints one JSON line
# per run, with the load average the run ended at.
#
#   bench/run_live_tree.sh BUILD_DIR [RUNS (3)] [BEAMS (8)] [STEPS (64)]
#   (BUILD_DIR configured with -DBEAMSCOPE_BUILD_BENCH=ON and the UI)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"
runs="${2:-3}"
beams="${3:-8}"
steps="${4:-64}"
models="$build/gpt2-small"

echo "bench: writing (or keeping) the random GPT-2-small weights in $models" >&2
/usr/bin/python3 "$root/bench/make_gpt2_small.py" "$models"
cp "$build/fetched/gpt2-vocab/vocab.json" "$build/fetched/gpt2-vocab/merges.txt" "$models/f32/"
cmake --build "$build" --target live_tree_bench >/dev/null

# Offscreen, with a throwaway settings folder (no earlier session's settings).
export QT_QPA_PLATFORM=offscreen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
"$build/bench/live_tree_bench" "$models/f32" --runs "$runs" --beams "$beams" --steps "$steps"
