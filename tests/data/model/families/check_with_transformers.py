#!/usr/bin/env python3
"""Checks the float64 reference of the model-family tests (hf_math.py)
against Hugging Face `transformers` itself.

`transformers` is not installable on the development machines (no PyPI), so
the CI suite compares the C++ engine with hf_math.py, which was written from
the semantics of the modeling_*.py files. This script closes the loop where
`transformers` exists (the project ran it on a lent GPU machine's image): it
loads every Hugging Face folder that make_family_references.py wrote with
AutoModelForCausalLM in float64 (F16 / BF16 values widen exactly), eager
attention, and compares

  - the next-token log-softmax after each prompt with <case>.expected.json,
  - the greedy steps (argmax after each prefix; ties within 1e-6 excused).

Usage: check_with_transformers.py CASES_DIR
Prints one JSON object per case and a summary line; exits 1 when a case
fails to load or is farther than 1e-4 (the C++ tests' tolerance).
"""
import json
import os
import sys
import traceback

import torch
import transformers
from transformers import AutoModelForCausalLM

TOLERANCE = 1e-4


def load(folder):
    # transformers 4.56 renamed torch_dtype to dtype.
    major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    dtype_key = "dtype" if (major, minor) >= (4, 56) else "torch_dtype"
    kwargs = {dtype_key: torch.float64, "attn_implementation": "eager"}
    return AutoModelForCausalLM.from_pretrained(folder, **kwargs).eval()


def next_logprobs(model, ids):
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([ids])).logits[0, -1]
    return logits.double().log_softmax(-1)


def check_case(folder, expected):
    model = load(folder)
    worst = 0.0
    for prompt in expected["prompts"]:
        got = next_logprobs(model, prompt["ids"])
        want = torch.tensor(prompt["logprobs"], dtype=torch.float64)
        if got.shape != want.shape:
            raise ValueError(f"vocabulary {got.shape[0]} != reference {want.shape[0]}")
        worst = max(worst, float((got - want).abs().max()))
    ids = list(expected["greedy"]["prompt"])
    greedy_same = True
    for step in expected["greedy"]["steps"]:
        token = int(next_logprobs(model, ids).argmax())
        if token != step["token"] and step["margin"] > 1e-6:
            greedy_same = False
        ids.append(step["token"])
    return worst, greedy_same


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_with_transformers.py CASES_DIR")
    torch.set_num_threads(2)
    cases_dir = sys.argv[1]
    with open(os.path.join(cases_dir, "cases.json")) as f:
        cases = json.load(f)
    failed = []
    checked = 0
    for c in cases:
        if c["family"] == "llama2c":  # not a transformers format
            continue
        with open(os.path.join(cases_dir, c["name"] + ".expected.json")) as f:
            expected = json.load(f)
        row = {"name": c["name"], "family": c["family"], "dtype": c["dtype"]}
        try:
            worst, greedy_same = check_case(os.path.join(cases_dir, c["name"]), expected)
            row.update(max_abs_logprob_diff=worst, greedy_same=greedy_same)
            if worst > TOLERANCE or not greedy_same:
                failed.append(c["name"])
        except Exception as e:  # report every case, not only the first failure
            row["error"] = f"{type(e).__name__}: {e}"
            row["trace"] = traceback.format_exc(limit=3)
            failed.append(c["name"])
        checked += 1
        print(json.dumps(row), flush=True)
    print(json.dumps({"transformers": transformers.__version__, "torch": torch.__version__,
                      "cases": checked, "failed": failed, "tolerance": TOLERANCE}), flush=True)
    sys.exit(1 if failed or checked == 0 else 0)


if __name__ == "__main__":
    main()
