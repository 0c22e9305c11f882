#!/usr/bin/env bash
# One command: installs what is missing, builds everything and runs the whole
# CTest suite. Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BEAMSCOPE_BUILD_DIR:-$root/build}"

"$root/app/install-deps.sh" test
"$root/tests/fetch-test-data.sh" "$build/fetched"
"$root/app/build.sh"

cd "$build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 900
