#!/usr/bin/env python3
"""Checks hf_decode_reference.py (the independent reference the decode tests
compare `beamscope-cli decode` with) against Hugging Face `transformers`'
own `generate`, where `transformers` is installed (not on the development
machines, which cannot reach PyPI; the project ran it on a lent GPU
machine's image).

Both run the bundled GPT-2 folder in float64: the reference with its own
forward pass and its re-written beam / greedy loops, transformers with
GPT2LMHeadModel and `generate`. The cases are those of
tests/app/decode_cli_test.cpp. Compared per case: every returned sequence's
tokens (EOS included, HF's padding after it removed) and, for beam search,
HF's `sequences_scores` within 1e-4, the tolerance the decode tests hold the
C++ to (run on transformers 5.17.0: equal tokens, scores within 3.5e-6 — the
two forward passes differ in float64 summation order, and a length penalty
of -0.5 multiplies a sum by sqrt(length)).

Usage: check_decode_with_transformers.py [MODEL_DIR]
Prints one JSON object per case and a summary; exits 1 on any difference.
"""
import json
import os
import subprocess
import sys

import torch
import transformers
from transformers import AutoModelForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "hf_decode_reference.py")
MODEL = os.path.join(HERE, "..", "..", "..", "resources", "models", "beamscope-mini")
TOLERANCE = 1e-4

# ids, beams, max_new, length_penalty, early_stopping, return_sequences, repetition, ngram
BEAM_CASES = [
    ("2629,341,2559,257,712", 3, 8, 1.0, "false", 3, 1.0, 0),
    ("2629,341,2559,257,712", 4, 10, 1.0, "true", 2, 1.0, 0),
    ("2629,341,2559,257,712", 4, 10, 2.0, "never", 4, 1.0, 0),
    ("2629,341,2559", 2, 12, 0.5, "false", 2, 1.0, 0),
    ("2629,341,2559", 5, 9, -0.5, "never", 3, 1.0, 0),
    ("46", 3, 10, 1.0, "false", 3, 1.3, 0),
    ("2629,341,2559,257,712", 3, 12, 1.0, "never", 3, 1.0, 2),
]
# ids, max_new, repetition, ngram
GREEDY_CASES = [
    ("2629,341,2559,257,712", 15, 1.0, 0),
    ("46", 20, 1.3, 0),
    ("2629,341,2559", 20, 1.0, 3),
]


def reference(args):
    out = subprocess.run([sys.executable, REFERENCE] + [str(a) for a in args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["sequences"]


def load(folder):
    major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    dtype_key = "dtype" if (major, minor) >= (4, 56) else "torch_dtype"
    return AutoModelForCausalLM.from_pretrained(folder, **{dtype_key: torch.float64}).eval()


def generated(row, prompt_length, eos):
    """Tokens after the prompt, up to and including the first EOS."""
    tokens = row[prompt_length:].tolist()
    for i, t in enumerate(tokens):
        if t in eos:
            return tokens[:i + 1]
    return tokens


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else MODEL
    model = load(folder)
    with open(os.path.join(folder, "generation_config.json")) as f:
        eos_id = json.load(f)["eos_token_id"]
    eos = set(eos_id if isinstance(eos_id, list) else [eos_id])
    failed = []

    def run(label, kwargs, ids, ref, with_scores):
        prompt = torch.tensor([[int(x) for x in ids.split(",")]])
        with torch.no_grad():
            out = model.generate(prompt, do_sample=False, return_dict_in_generate=True,
                                 output_scores=True, eos_token_id=list(eos), pad_token_id=min(eos),
                                 **kwargs)
        got = [generated(r, prompt.shape[1], eos) for r in out.sequences]
        want = [s["token_ids"] for s in ref]
        row = {"case": label, "same_tokens": got == want}
        if with_scores:
            scores = out.sequences_scores.tolist()
            row["max_abs_score_diff"] = max(abs(a - s["score"]) for a, s in zip(scores, ref))
        ok = row["same_tokens"] and row.get("max_abs_score_diff", 0.0) <= TOLERANCE
        if not ok:
            row["transformers"] = got
            row["reference"] = want
            failed.append(label)
        print(json.dumps(row), flush=True)

    for ids, nb, max_new, lp, early, nrs, rep, ngram in BEAM_CASES:
        label = f"beam ids={ids} nb={nb} new={max_new} lp={lp} early={early} nrs={nrs} rep={rep} ngram={ngram}"
        ref = reference(["beam", folder, ids, nb, max_new, lp, early, nrs, rep, ngram])
        early_arg = {"true": True, "false": False, "never": "never"}[early]
        run(label, dict(num_beams=nb, max_new_tokens=max_new, length_penalty=lp, early_stopping=early_arg,
                        num_return_sequences=nrs, repetition_penalty=rep, no_repeat_ngram_size=ngram),
            ids, ref, True)
    for ids, max_new, rep, ngram in GREEDY_CASES:
        label = f"greedy ids={ids} new={max_new} rep={rep} ngram={ngram}"
        ref = reference(["greedy", folder, ids, max_new, rep, ngram])
        run(label, dict(num_beams=1, max_new_tokens=max_new, repetition_penalty=rep,
                        no_repeat_ngram_size=ngram), ids, ref, False)
    print(json.dumps({"transformers": transformers.__version__, "torch": torch.__version__,
                      "cases": len(BEAM_CASES) + len(GREEDY_CASES), "failed": failed,
                      "tolerance": TOLERANCE}), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
