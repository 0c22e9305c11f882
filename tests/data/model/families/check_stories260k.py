#!/usr/bin/env python3
"""Evidence that the family reference (hf_math.py) is itself right: run on a
real trained model, Karpathy's stories260K llama2.c checkpoint, its Llama path
(RMSNorm, grouped-query attention, interleaved rotary pairs, SwiGLU) must
reproduce llama2.c's own greedy output from BOS, id for id.

Usage: check_stories260k.py CHECKPOINT EXPECTED_IDS_JSON [N]
Prints how many of the first N (default all) ids match; exit 0 iff all do.
"""
import json
import struct
import sys

import numpy as np
import torch

import hf_math


def read_llama2c(path):
    """Version-0 llama2.c checkpoint -> (case dict for hf_math, HF-named weights)."""
    with open(path, "rb") as f:
        raw = f.read()
    dim, hidden, layers, heads, kv_heads, vocab, _seq = struct.unpack("<7i", raw[:28])
    values = torch.from_numpy(np.frombuffer(raw, dtype="<f4", offset=28).copy()).double()
    head = dim // heads
    kv_dim = kv_heads * head
    at = 0

    def take(*shape):
        nonlocal at
        n = int(np.prod(shape))
        t = values[at:at + n].view(*shape)
        at += n
        return t

    w = {"model.embed_tokens.weight": take(abs(vocab), dim)}
    arrays = {}
    for key, shape in (("input_layernorm", (dim,)), ("self_attn.q_proj", (dim, dim)),
                       ("self_attn.k_proj", (kv_dim, dim)), ("self_attn.v_proj", (kv_dim, dim)),
                       ("self_attn.o_proj", (dim, dim)), ("post_attention_layernorm", (dim,)),
                       ("mlp.gate_proj", (hidden, dim)), ("mlp.down_proj", (dim, hidden)),
                       ("mlp.up_proj", (hidden, dim))):
        arrays[key] = take(layers, *shape)
    for i in range(layers):
        for key, t in arrays.items():
            w[f"model.layers.{i}.{key}.weight"] = t[i]
    w["model.norm.weight"] = take(dim)
    if vocab < 0:  # an untied classifier follows the RoPE tables
        at += _seq * head
        w["lm_head.weight"] = take(-vocab, dim)
    case = dict(family="llama2c", heads=heads, kv_heads=kv_heads, head_dim=head, hidden=dim,
                layers=layers, eps=1e-5, rope="interleaved", rope_theta=10000.0, act="silu",
                layer_types=["full_attention"] * layers)
    return case, w


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: check_stories260k.py CHECKPOINT EXPECTED_IDS_JSON [N]")
    torch.set_num_threads(1)
    case, w = read_llama2c(sys.argv[1])
    with open(sys.argv[2]) as f:
        want = json.load(f)
    n = int(sys.argv[3]) if len(sys.argv) == 4 else len(want)
    ids = [1]  # BOS
    for _ in range(n):
        ids.append(int(hf_math.logits_of(case, w, ids)[-1].argmax()))
    got = ids[1:]
    same = next((k for k in range(n) if got[k] != want[k]), n)
    print(json.dumps({"compared": n, "matching_prefix": same}))
    sys.exit(0 if same == n else 1)


if __name__ == "__main__":
    main()
