#!/usr/bin/env bash
# One command for a newcomer: installs what is missing, builds (Release, into
# build/) and opens Beamscope on the bundled model. Arguments go to the app.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/app/install-deps.sh" build
"$root/app/build.sh" --target beamscope beamscope-cli
exec "${BEAMSCOPE_BUILD_DIR:-$root/build}/app/beamscope" "$@"
