#!/usr/bin/env bash
# Configures (once) and builds Beamscope in build/ (Release). Extra arguments
# are passed to `cmake --build`, e.g. `--target beamscope`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BEAMSCOPE_BUILD_DIR:-$root/build}"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release ${BEAMSCOPE_CMAKE_ARGS:-}
fi
cmake --build "$build" --parallel "$(nproc)" "$@"
