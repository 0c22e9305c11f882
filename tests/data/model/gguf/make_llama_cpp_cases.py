#!/usr/bin/env python3
"""The GGUF files the llama.cpp oracle test (tests/app/llama_cpp_oracle_test.cpp)
gives to llama.cpp, to us and to the float64 reference.

Usage: make_llama_cpp_cases.py OUT_DIR [CASE ...]

Same writer and reference as make_gguf_references.py (its cases, its
float64 Hugging Face reference), with the tensor data in header order, which
llama.cpp's loader requires. Each case in OUT_DIR/cases.json gets an "oracle"
kind that says how close llama.cpp itself can come to the float reference:

  exact      quantized token embedding, every other tensor F32: llama.cpp
             dequantizes embedding rows with its own block decoder and then
             computes in float32, as we do, so all three agree to ~1e-5. One
             case per tensor type: the sharp check of every block layout.
  float      all F32: llama.cpp computes in float32 (its KV cache is asked to
             be F32 too); only its GELU differs (a half-precision table, and
             the tanh form for GPT-NeoX), ~5e-3 on the GELU families.
  half       all F16: llama.cpp rounds the activations to halves before each
             F16 matrix product (we widen the weights instead), ~1e-2.
  quantized  the mixed-type cases of make_gguf_references.py: llama.cpp rounds
             the activations to 8-bit blocks (Q8_0 / Q8_K) before each
             quantized product, which moves log-probs by up to ~0.3 on these
             random models.
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_gguf_references as references  # noqa: E402

BLOCK_TYPES = ["F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K",
               "Q5_K", "Q6_K"]


def embedding_cases():
    """A one-layer llama per tensor type, the type on token_embd only (256
    columns: a whole K-quant super-block per row)."""
    return [dict(name=f"emb_{t.lower()}", arch="llama", hidden=256, heads=4, kv_heads=2, layers=1,
                 inter=256, vocab=260, ctx=24, tied=False, seed=20 + i,
                 types=dict(all="F32", emb=t), oracle="exact")
            for i, t in enumerate(BLOCK_TYPES)]


def whole_model_cases(type_name, oracle, archs):
    """The first mixed case of each family, every matrix in `type_name`."""
    out, seen = [], set()
    for c in references.CASES:
        if c["arch"] in archs and c["arch"] not in seen:
            seen.add(c["arch"])
            c = copy.deepcopy(c)
            c.update(name=f"{c['arch']}_{type_name.lower()}", types=dict(all=type_name), oracle=oracle)
            out.append(c)
    return out


def cases():
    families = {"llama", "qwen2", "qwen3", "gemma3", "gpt2", "gptneox"}
    quantized = [dict(c, oracle="quantized") for c in references.CASES]
    return (embedding_cases() + whole_model_cases("F32", "float", families) +
            whole_model_cases("F16", "half", {"llama", "gpt2"}) + quantized)


def main():
    out_dir = sys.argv[1]
    # Further arguments: only these cases (the llama.cpp server test needs one).
    wanted = set(sys.argv[2:])
    chosen = [c for c in cases() if not wanted or c["name"] in wanted]
    if wanted and len(chosen) != len(wanted):
        sys.exit(f"unknown case among {sorted(wanted)}")
    references.write_cases(out_dir, chosen, data_in_header_order=True)
    listed_path = os.path.join(out_dir, "cases.json")
    with open(listed_path) as f:
        listed = json.load(f)
    kinds = {c["name"]: c["oracle"] for c in chosen}
    for entry in listed:
        entry["oracle"] = kinds[entry["name"]]
    with open(listed_path, "w") as f:
        json.dump(listed, f, indent=1)


if __name__ == "__main__":
    main()
