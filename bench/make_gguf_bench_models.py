#!/usr/bin/env python3
"""Writes random GGUF files with the shapes and quantization mixes people
download, for bench/quant_step_bench.cpp (and llama.cpp beside it):

  gpt2-small-q8_0.gguf, gpt2-small-q4_k_m.gguf     GPT-2 small: hidden 768,
      12 layers, 12 heads, MLP 3072, vocab 50,257, 1,024 positions, tied head
  llama-1b-q8_0.gguf, llama-1b-q4_k_m.gguf         Llama-3.2-1B: hidden 2048,
      16 layers, 32 heads / 8 KV heads, MLP 8192, vocab 128,256, tied head

Q8_0: every matrix Q8_0. Q4_K_M as llama.cpp's quantizer mixes it: Q4_K,
with attn_v and ffn_down in Q6_K on the layers it gives more bits (the first
and last eighth and every third between) and the tied embedding / head in
Q6_K. Norms, biases and GPT-2's positions are F32. The blocks are random
bytes with finite scales (gguf_writer.py: valid blocks whose values have a
trained layer's size); speed does not depend on the values.

A file already written (same size as it would be) is kept. The tokenizer is
a small byte-level one (the loader accepts fewer tokens than the model's
vocabulary).

Usage: /usr/bin/python3 bench/make_gguf_bench_models.py OUT_DIR
"""
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "data", "model", "gguf"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "data", "model", "families"))
import gguf_writer  # noqa: E402
from make_gguf_references import byte_level_tokenizer, metadata  # noqa: E402

SHAPES = {
    "gpt2-small": dict(arch="gpt2", hidden=768, layers=12, heads=12, inter=3072, vocab=50257,
                       ctx=1024),
    "llama-1b": dict(arch="llama", hidden=2048, layers=16, heads=32, kv_heads=8, inter=8192,
                     vocab=128256, ctx=8192, rope_theta=500000.0),
}


def more_bits(i, n):
    """llama.cpp's Q4_K_M gives attn_v / ffn_down Q6_K on these layers."""
    return i < n // 8 or i >= 7 * n // 8 or (i - n // 8) % 3 == 2


def random_blocks(rng, type_name, rows, cols, std):
    if type_name == "F32":
        return (rng.standard_normal((rows, cols)) * std).astype("<f4").tobytes()
    _, block, size = gguf_writer.TYPES[type_name]
    n = rows * cols // block
    blocks = rng.integers(0, 256, size=(n, size), dtype=np.uint8)
    fields = gguf_writer.SCALE_FIELDS[type_name]
    d = std / gguf_writer.SPREAD[type_name] * rng.uniform(0.5, 1.5, size=n)
    blocks[:, fields[0]:fields[0] + 2] = gguf_writer._halves(d)
    if len(fields) > 1:
        blocks[:, fields[1]:fields[1] + 2] = gguf_writer._halves(d * gguf_writer.MIN_RATIO[type_name])
    return blocks.tobytes()


def tensors_of(c, mix):
    rng = np.random.default_rng(1)
    C, F, V, L = c["hidden"], c["inter"], c["vocab"], c["layers"]
    out = []

    def kind(role, layer=None):
        if mix == "q8_0":
            return "Q8_0"
        if role == "emb":
            return "Q6_K"
        if role in ("v", "down") and more_bits(layer, L):
            return "Q6_K"
        return "Q4_K"

    def mat(name, t, rows, cols):
        out.append((name, [cols, rows], t, random_blocks(rng, t, rows, cols, 1 / math.sqrt(cols))))

    def vec(name, n, value=None):
        v = np.full(n, value, "<f4") if value is not None else (0.1 * rng.standard_normal(n)).astype("<f4")
        out.append((name, [n], "F32", v.tobytes()))

    mat("token_embd.weight", kind("emb"), V, C)
    gpt2 = c["arch"] == "gpt2"
    if gpt2:
        mat("position_embd.weight", "F32", c["ctx"], C)
    for i in range(L):
        p = f"blk.{i}."
        vec(p + "attn_norm.weight", C, 1.0)
        vec(p + "ffn_norm.weight", C, 1.0)
        if gpt2:
            vec(p + "attn_norm.bias", C)
            vec(p + "ffn_norm.bias", C)
            mat(p + "attn_qkv.weight", kind("qkv", i), 3 * C, C)
            vec(p + "attn_qkv.bias", 3 * C)
            mat(p + "attn_output.weight", kind("out", i), C, C)
            vec(p + "attn_output.bias", C)
            mat(p + "ffn_up.weight", kind("up", i), F, C)
            vec(p + "ffn_up.bias", F)
            mat(p + "ffn_down.weight", kind("down", i), C, F)
            vec(p + "ffn_down.bias", C)
        else:
            d = C // c["heads"]
            mat(p + "attn_q.weight", kind("q", i), C, C)
            mat(p + "attn_k.weight", kind("k", i), c["kv_heads"] * d, C)
            mat(p + "attn_v.weight", kind("v", i), c["kv_heads"] * d, C)
            mat(p + "attn_output.weight", kind("out", i), C, C)
            mat(p + "ffn_gate.weight", kind("gate", i), F, C)
            mat(p + "ffn_up.weight", kind("up", i), F, C)
            mat(p + "ffn_down.weight", kind("down", i), C, F)
    vec("output_norm.weight", C, 1.0)
    if gpt2:
        vec("output_norm.bias", C)
    return out


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for shape, c in SHAPES.items():
        c = dict(c, name=shape, seed=0, given=set())
        c.setdefault("kv_heads", c["heads"])
        c.setdefault("rope_theta", 10000.0)
        for mix in ("q8_0", "q4_k_m"):
            path = os.path.join(out_dir, f"{shape}-{mix}.gguf")
            if os.path.exists(path) and os.path.getsize(path) > 50_000_000:
                print(f"keeping {path}", file=sys.stderr)
                continue
            print(f"writing {path}", file=sys.stderr)
            gguf_writer.write_gguf(path, metadata(c) + byte_level_tokenizer(600), tensors_of(c, mix))


if __name__ == "__main__":
    main()
