#!/usr/bin/env bash
# Runs the fuzz targets for a long time, one after the other (the machine's
# other work keeps the rest of the cores), and prints a summary line per
# target: executions, seconds, result. Findings land in build-asan/tests/fuzz/
# as crash-<target>-* (reproduce: build-asan/tests/fuzz/fuzz_<target> FILE).
#   tests/fuzz/run-long.sh [seconds per target, default 600] [target ...]
# Targets: safetensors gpt2_config tokenizer_files tokenizer_roundtrip session llama2c_tokenizer
#          sentencepiece_model
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BEAMSCOPE_ASAN_BUILD_DIR:-$root/build-asan}"
seconds="${1:-600}"
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(safetensors gpt2_config tokenizer_files tokenizer_roundtrip session
  llama2c_tokenizer sentencepiece_model)

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    -DBEAMSCOPE_SANITIZE=ON -DBEAMSCOPE_FUZZ=ON -DBEAMSCOPE_BUILD_UI=OFF -DBEAMSCOPE_BUILD_BENCH=OFF
fi
cmake --build "$build" --parallel "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") || exit 1

status=0
summary=()
for t in "${targets[@]}"; do
  work="$build/tests/fuzz/corpus/$t"
  log="$build/tests/fuzz/long-$t.log"
  mkdir -p "$work"
  echo "== fuzz_$t for ${seconds}s (log: $log)"
  nice -n 10 "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/tests/fuzz/crash-$t-" \
    "$work" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1)
  result=$([[ $rc -eq 0 ]] && echo "no finding" || echo "FINDING (exit $rc, see $log)")
  [[ $rc -ne 0 ]] && status=1
  summary+=("fuzz_$t: ${execs:-?} executions in ${secs:-?} s, $(ls "$work" | wc -l) corpus files: $result")
done
printf '%s\n' "${summary[@]}"
exit $status
