#!/usr/bin/env python3
"""Writes random Llama-architecture folders with the shapes of two models
people open today, for bench/family_step_bench.cpp and
bench/family_step_reference.py (both load these very files):

  smollm2-135m/f32, smollm2-135m/bf16   SmolLM2-135M: hidden 576, 30 layers,
                                         9 heads / 3 KV heads, MLP 1536,
                                         vocab 49,152, tied head
  llama-3.2-1b/bf16                      Llama-3.2-1B: hidden 2048, 16 layers,
                                         32 heads / 8 KV heads, MLP 8192,
                                         vocab 128,256, tied head, rope llama3

Random weights (a trained model's values do not change the speed), scaled so
activations stay O(1). A folder already written (config.json and weights
present with the right sizes) is kept, so repeated runs skip the minutes of
writing. The tokenizer is a small byte-level vocab.json + merges.txt (the
loader accepts a tokenizer smaller than the model's vocabulary).

Usage: /usr/bin/python3 bench/make_family_bench_models.py OUT_DIR
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                                "model", "families"))
import family_files  # noqa: E402  (the test reference's file writers)

SHAPES = {
    "smollm2-135m": dict(hidden=576, layers=30, heads=9, kv_heads=3, inter=1536, vocab=49152,
                         ctx=8192, rope_theta=100000.0, rope_scaling=None, dtypes=("F32", "BF16")),
    "llama-3.2-1b": dict(hidden=2048, layers=16, heads=32, kv_heads=8, inter=8192, vocab=128256,
                         ctx=131072, rope_theta=500000.0,
                         rope_scaling={"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                                       "high_freq_factor": 4.0,
                                       "original_max_position_embeddings": 8192},
                         dtypes=("BF16",)),
}


def tensors(s, seed):
    """HF names -> float32 tensors, in the order a checkpoint lists them."""
    g = torch.Generator().manual_seed(seed)
    C, F, d = s["hidden"], s["inter"], s["hidden"] // s["heads"]
    out = {"model.embed_tokens.weight": 0.5 * torch.randn((s["vocab"], C), generator=g)}

    def mat(rows, cols):
        return torch.randn((rows, cols), generator=g) / math.sqrt(cols)

    for i in range(s["layers"]):
        p = f"model.layers.{i}."
        out[p + "input_layernorm.weight"] = 1.0 + 0.1 * torch.randn((C,), generator=g)
        out[p + "self_attn.q_proj.weight"] = mat(s["heads"] * d, C)
        out[p + "self_attn.k_proj.weight"] = mat(s["kv_heads"] * d, C)
        out[p + "self_attn.v_proj.weight"] = mat(s["kv_heads"] * d, C)
        out[p + "self_attn.o_proj.weight"] = mat(C, s["heads"] * d)
        out[p + "post_attention_layernorm.weight"] = 1.0 + 0.1 * torch.randn((C,), generator=g)
        out[p + "mlp.gate_proj.weight"] = mat(F, C)
        out[p + "mlp.up_proj.weight"] = mat(F, C)
        out[p + "mlp.down_proj.weight"] = mat(C, F)
    out["model.norm.weight"] = 1.0 + 0.1 * torch.randn((C,), generator=g)
    return out


def config(s, dtype):
    return {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": s["vocab"],
            "hidden_size": s["hidden"], "intermediate_size": s["inter"],
            "num_hidden_layers": s["layers"], "num_attention_heads": s["heads"],
            "num_key_value_heads": s["kv_heads"], "max_position_embeddings": s["ctx"],
            "rms_norm_eps": 1e-5, "rope_theta": s["rope_theta"], "rope_scaling": s["rope_scaling"],
            "hidden_act": "silu", "tie_word_embeddings": True, "attention_bias": False,
            "mlp_bias": False, "bos_token_id": 256, "eos_token_id": 256,
            "torch_dtype": {"F32": "float32", "BF16": "bfloat16"}[dtype]}


def expected_bytes(s, dtype):
    C, F, d = s["hidden"], s["inter"], s["hidden"] // s["heads"]
    per_layer = 2 * C + (2 * s["heads"] + 2 * s["kv_heads"]) * d * C + 3 * F * C
    return (s["vocab"] * C + s["layers"] * per_layer + C) * (4 if dtype == "F32" else 2)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_family_bench_models.py OUT_DIR")
    out = sys.argv[1]
    for name, s in SHAPES.items():
        weights = None
        for dtype in s["dtypes"]:
            folder = os.path.join(out, name, dtype.lower())
            path = os.path.join(folder, "model.safetensors")
            cfg = config(s, dtype)
            if os.path.exists(path) and os.path.getsize(path) > expected_bytes(s, dtype) and \
                    os.path.exists(os.path.join(folder, "config.json")):
                with open(os.path.join(folder, "config.json")) as f:
                    if json.load(f) == cfg:
                        print(f"kept {folder}", file=sys.stderr)
                        continue
            os.makedirs(folder, exist_ok=True)
            if weights is None:
                weights = tensors(s, seed=1)
            entries = [(n, dtype, tuple(t.shape), family_files.tensor_bytes(t, dtype))
                       for n, t in weights.items()]
            family_files.write_safetensors(path, entries, "bench/make_family_bench_models.py")
            with open(os.path.join(folder, "config.json"), "w") as f:
                json.dump(cfg, f, indent=2)
            family_files.write_byte_tokenizer(folder, 257)
            print(f"wrote {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
