#!/usr/bin/env bash
# Prints the model card's "Sample outputs" section from the C++ engine:
# greedy, beam search (4 beams) and min-p sampling for three prompts.
#   resources/models/beamscope-mini/sample_outputs.sh [path/to/beamscope-cli]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cli="${1:-$here/../../../build/app/beamscope-cli}"
prompts=("The meaning of life is" "Once upon a time" "The cat sat on the")

# Markdown list items from the tree JSON on stdin: "prompt" → "continuation"
# (score, and sample counts where there are any).
format() {
  /usr/bin/python3 -c "$format_py" "$1"
}
format_py='
import json, sys
prompt = sys.argv[1]
tree = json.load(sys.stdin)
for s in tree["sequences"]:
    text = s["text"].replace("\n", "\\n")
    extra = ", %d of the samples" % s["count"] if "count" in s else ""
    print("- \"%s\" → \"%s\" (score %.2f%s)" % (prompt, text, s["score"], extra))
'

common=(--model "$here" --max-new-tokens 24 --alternatives 1)
echo "### Greedy"
echo
for p in "${prompts[@]}"; do "$cli" decode "${common[@]}" --prompt "$p" --strategy greedy | format "$p"; done
echo
echo "### Beam search (num_beams 4, num_return_sequences 2, early_stopping true)"
echo
for p in "${prompts[@]}"; do
  "$cli" decode "${common[@]}" --prompt "$p" --strategy beam --num-beams 4 \
    --num-return-sequences 2 --early-stopping true | format "$p"
done
echo
echo "### Sampling with min-p 0.1 (temperature 1.0, 4 samples, seed 1)"
echo
for p in "${prompts[@]}"; do
  "$cli" decode "${common[@]}" --prompt "$p" --strategy sample --min-p 0.1 --num-samples 4 \
    --seed 1 | format "$p"
done
