#!/usr/bin/env bash
# One command: installs what is missing, builds everything and runs the whole
# CTest suite. Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BEAMSCOPE_BUILD_DIR:-$root/build}"

"$root/app/install-deps.sh" test
"$root/tests/fetch-test-data.sh" "$build/fetched"
"$root/app/build.sh"

# Inside this script a missing reference (torch, node, the bundled model) is a
# failure, not a skip: see tests/common/require_reference.h.
export BEAMSCOPE_REQUIRE_REFERENCES=1

status=0
(cd "$build" && ctest --output-on-failure --parallel "$(nproc)" --timeout 900) || status=1

# Second configuration: AddressSanitizer + UndefinedBehaviorSanitizer (clang,
# -O1 with line tables). It runs the core and CLI suites and a short run of
# every fuzz target (tests/fuzz; long runs: tests/fuzz/run-long.sh). The Qt
# UI is left out here: building Qt code under ASan would double the CI time
# on two cores, and the UI tests run in the main configuration above (the
# render CLI tests that need the UI library skip themselves here).
# BEAMSCOPE_SKIP_SANITIZERS=1 skips this stage.
if [[ "${BEAMSCOPE_SKIP_SANITIZERS:-0}" != 1 ]]; then
  asan="${BEAMSCOPE_ASAN_BUILD_DIR:-$root/build-asan}"
  if [[ ! -f "$asan/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$asan" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
      -DBEAMSCOPE_SANITIZE=ON -DBEAMSCOPE_FUZZ=ON -DBEAMSCOPE_BUILD_UI=OFF -DBEAMSCOPE_BUILD_BENCH=OFF
  fi
  mkdir -p "$asan/fetched"
  cp -rn "$build/fetched/." "$asan/fetched/" 2>/dev/null || true
  "$root/tests/fetch-test-data.sh" "$asan/fetched"
  cmake --build "$asan" --parallel "$(nproc)"
  # halt_on_error / abort: any report fails its test; leaks are checked too.
  (cd "$asan" &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure --parallel "$(nproc)" --timeout 900) || status=1
fi
exit $status
