#!/usr/bin/env python3
"""Random GGUF files of several families and tensor types, and what an
independent float64 implementation says their next-token log-probs are.

Usage: make_gguf_references.py OUT_DIR

OUT_DIR/<name>.gguf is written by gguf_writer.py the way llama.cpp's
converter lays a model out (its tensor names; Q/K rows of llama permuted for
its interleaved rope; gemma3 norms stored as 1 + w; GPT-2 matrices [out, in];
GPT-NeoX's per-head q/k/v regrouped as q | k | v). The reference dequantizes
the blocks itself (gguf_writer.dequantize), undoes those changes to get the
Hugging Face layout, and runs ../families/hf_math.py (HF semantics, float64).
OUT_DIR/<name>.expected.json: prompts [{ids, logprobs [V]}], info, tokenizer
checks; OUT_DIR/cases.json lists the cases.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "families"))
import hf_math  # noqa: E402
import family_files  # noqa: E402
from gguf_writer import random_tensor, write_gguf  # noqa: E402

# types: matrix kind -> tensor type ("emb", "out", "attn", "v", "ffn", "down").
CASES = [
    dict(name="llama_q8_0", arch="llama", hidden=64, heads=4, kv_heads=2, layers=2, inter=96,
         vocab=300, ctx=48, tied=False, seed=1, types=dict(all="Q8_0"), tokenizer="llama"),
    dict(name="llama_q4_k_m", arch="llama", hidden=256, heads=4, kv_heads=2, layers=2, inter=512,
         vocab=290, ctx=40, tied=False, seed=2, types=dict(all="Q4_K", v="Q6_K", down="Q6_K", out="Q6_K")),
    dict(name="qwen2_f16_q4", arch="qwen2", hidden=64, heads=4, kv_heads=2, layers=2, inter=128,
         vocab=270, ctx=48, tied=True, seed=3, types=dict(all="F16", attn="Q4_0", ffn="Q4_1")),
    dict(name="qwen3_q5", arch="qwen3", hidden=64, heads=4, kv_heads=2, head_dim=32, layers=2,
         inter=96, vocab=265, ctx=48, tied=False, seed=4, types=dict(all="Q5_0", ffn="Q5_1", out="F32")),
    dict(name="gemma3_q8_bf16", arch="gemma3", hidden=64, heads=2, kv_heads=1, head_dim=32, layers=6,
         inter=128, vocab=262, ctx=48, tied=True, seed=5, window=3, types=dict(all="Q8_0", emb="BF16")),
    dict(name="gpt2_f16_q8", arch="gpt2", hidden=64, heads=4, layers=2, inter=256, vocab=280, ctx=48,
         tied=True, seed=6, types=dict(all="F16", ffn="Q8_0")),
    dict(name="neox_k_quants", arch="gptneox", hidden=256, heads=4, layers=2, inter=512, vocab=270,
         ctx=32, tied=False, seed=7, rot=16, types=dict(all="Q3_K", ffn="Q2_K", down="Q5_K", out="Q6_K",
                                                        emb="F32")),
    # Llama 3.1+: rope_scaling llama3 reaches the file as rope_freqs.weight. An original
    # context of 64 puts the 8 rotary pairs in all three bands (kept, blended, slowed).
    dict(name="llama31_rope_freqs", arch="llama", hidden=64, heads=4, kv_heads=2, layers=2, inter=96,
         vocab=280, ctx=48, tied=False, seed=8, types=dict(all="Q8_0", emb="F16"),
         rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                           original_max_position_embeddings=64)),
]
FAMILY = {"llama": "llama", "qwen2": "qwen2", "qwen3": "qwen3", "gemma3": "gemma3_text",
          "gpt2": "gpt2", "gptneox": "gpt_neox"}


def permute_rows(w, heads):
    """llama.cpp's converter: within each head, HF row i of the first half
    and i of the second half become neighbours (2i, 2i + 1)."""
    rows, cols = w.shape
    d = rows // heads
    return w.reshape(heads, 2, d // 2, cols).transpose(0, 2, 1, 3).reshape(rows, cols)


def unpermute_rows(w, heads):
    rows, cols = w.shape
    d = rows // heads
    return w.reshape(heads, d // 2, 2, cols).transpose(0, 2, 1, 3).reshape(rows, cols)


def llama3_freq_factors(c):
    """What llama.cpp's converter stores as rope_freqs.weight for rope_scaling
    llama3: per rotary pair, base inv_freq / scaled inv_freq (1 for short
    wavelengths, `factor` for long ones, a blend between), in float64."""
    s, d = c["rope_scaling"], c["head_dim"]
    low_wavelen = s["original_max_position_embeddings"] / s["low_freq_factor"]
    high_wavelen = s["original_max_position_embeddings"] / s["high_freq_factor"]
    factors = []
    for i in range(0, d, 2):
        wavelen = 2 * math.pi * c["rope_theta"] ** (i / d)
        if wavelen < high_wavelen:
            factors.append(1.0)
        elif wavelen > low_wavelen:
            factors.append(s["factor"])
        else:
            smooth = (s["original_max_position_embeddings"] / wavelen - s["low_freq_factor"]) / (
                s["high_freq_factor"] - s["low_freq_factor"])
            factors.append(1.0 / ((1 - smooth) / s["factor"] + smooth))
    return np.array(factors)


def build(c):
    """(gguf tensors, HF float64 weights, metadata)."""
    rng = np.random.default_rng(c["seed"])
    C, V, F, H, KV = c["hidden"], c["vocab"], c["inter"], c["heads"], c["kv_heads"]
    d = c["head_dim"]
    arch = c["arch"]
    tensors, hf = [], {}

    def ttype(kind):
        return c["types"].get(kind, c["types"]["all"])

    def mat(name, kind, rows, cols, std=None):
        raw, values = random_tensor(rng, ttype(kind), rows, cols, std or 1 / math.sqrt(cols))
        tensors.append((name, [cols, rows], ttype(kind), raw))
        return values

    def vec(name, values):
        raw = values.astype("<f4")
        tensors.append((name, [len(values)], "F32", raw.tobytes()))
        return raw.astype(np.float64)

    def norm(name, n):
        return vec(name, 1.0 + 0.2 * rng.standard_normal(n))

    def bias(name, n):
        return vec(name, 0.1 * rng.standard_normal(n))

    emb = mat("token_embd.weight", "emb", V, C, 0.5)
    if arch == "gpt2":
        hf["transformer.wte.weight"] = emb
        hf["transformer.wpe.weight"] = mat("position_embd.weight", "emb", c["ctx"], C, 0.5)
        for i in range(c["layers"]):
            p, h = f"blk.{i}.", f"transformer.h.{i}."
            hf[h + "ln_1.weight"], hf[h + "ln_1.bias"] = norm(p + "attn_norm.weight", C), bias(p + "attn_norm.bias", C)
            hf[h + "attn.c_attn.weight"] = mat(p + "attn_qkv.weight", "attn", 3 * C, C).T
            hf[h + "attn.c_attn.bias"] = bias(p + "attn_qkv.bias", 3 * C)
            hf[h + "attn.c_proj.weight"] = mat(p + "attn_output.weight", "attn", C, C).T
            hf[h + "attn.c_proj.bias"] = bias(p + "attn_output.bias", C)
            hf[h + "ln_2.weight"], hf[h + "ln_2.bias"] = norm(p + "ffn_norm.weight", C), bias(p + "ffn_norm.bias", C)
            hf[h + "mlp.c_fc.weight"] = mat(p + "ffn_up.weight", "ffn", F, C).T
            hf[h + "mlp.c_fc.bias"] = bias(p + "ffn_up.bias", F)
            hf[h + "mlp.c_proj.weight"] = mat(p + "ffn_down.weight", "down", C, F).T
            hf[h + "mlp.c_proj.bias"] = bias(p + "ffn_down.bias", C)
        hf["transformer.ln_f.weight"], hf["transformer.ln_f.bias"] = norm("output_norm.weight", C), bias("output_norm.bias", C)
        return tensors, hf
    if arch == "gptneox":
        hf["gpt_neox.embed_in.weight"] = emb
        for i in range(c["layers"]):
            p, h = f"blk.{i}.", f"gpt_neox.layers.{i}."
            hf[h + "input_layernorm.weight"] = norm(p + "attn_norm.weight", C)
            hf[h + "input_layernorm.bias"] = bias(p + "attn_norm.bias", C)
            # Stored q | k | v; HF groups per head: [H][q k v][d].
            qkv = mat(p + "attn_qkv.weight", "attn", 3 * C, C)
            hf[h + "attention.query_key_value.weight"] = qkv.reshape(3, H, d, C).transpose(1, 0, 2, 3).reshape(3 * C, C)
            b = bias(p + "attn_qkv.bias", 3 * C)
            hf[h + "attention.query_key_value.bias"] = b.reshape(3, H, d).transpose(1, 0, 2).reshape(3 * C)
            hf[h + "attention.dense.weight"] = mat(p + "attn_output.weight", "attn", C, C)
            hf[h + "attention.dense.bias"] = bias(p + "attn_output.bias", C)
            hf[h + "post_attention_layernorm.weight"] = norm(p + "ffn_norm.weight", C)
            hf[h + "post_attention_layernorm.bias"] = bias(p + "ffn_norm.bias", C)
            hf[h + "mlp.dense_h_to_4h.weight"] = mat(p + "ffn_up.weight", "ffn", F, C)
            hf[h + "mlp.dense_h_to_4h.bias"] = bias(p + "ffn_up.bias", F)
            hf[h + "mlp.dense_4h_to_h.weight"] = mat(p + "ffn_down.weight", "down", C, F)
            hf[h + "mlp.dense_4h_to_h.bias"] = bias(p + "ffn_down.bias", C)
        hf["gpt_neox.final_layer_norm.weight"] = norm("output_norm.weight", C)
        hf["gpt_neox.final_layer_norm.bias"] = bias("output_norm.bias", C)
        hf["embed_out.weight"] = mat("output.weight", "out", V, C)
        return tensors, hf

    gemma = arch == "gemma3"
    # Gemma's HF norms multiply by (1 + w); the file stores 1 + w.
    def gnorm(name, n):
        stored = norm(name, n)
        return stored - 1.0 if gemma else stored

    hf["model.embed_tokens.weight"] = emb
    if "rope_scaling" in c:  # not a weight: HF computes it (inv_freq) from the config
        vec("rope_freqs.weight", llama3_freq_factors(c))
    for i in range(c["layers"]):
        p, h = f"blk.{i}.", f"model.layers.{i}."
        a = h + "self_attn."
        hf[h + "input_layernorm.weight"] = gnorm(p + "attn_norm.weight", C)
        q = mat(p + "attn_q.weight", "attn", H * d, C)
        k = mat(p + "attn_k.weight", "attn", KV * d, C)
        if arch == "llama":  # stored permuted; HF's order is the un-permuted one
            q, k = unpermute_rows(q, H), unpermute_rows(k, KV)
        hf[a + "q_proj.weight"], hf[a + "k_proj.weight"] = q, k
        hf[a + "v_proj.weight"] = mat(p + "attn_v.weight", "v", KV * d, C)
        if arch == "qwen2":
            hf[a + "q_proj.bias"] = bias(p + "attn_q.bias", H * d)
            hf[a + "k_proj.bias"] = bias(p + "attn_k.bias", KV * d)
            hf[a + "v_proj.bias"] = bias(p + "attn_v.bias", KV * d)
        if arch in ("qwen3", "gemma3"):
            hf[a + "q_norm.weight"] = gnorm(p + "attn_q_norm.weight", d)
            hf[a + "k_norm.weight"] = gnorm(p + "attn_k_norm.weight", d)
        hf[a + "o_proj.weight"] = mat(p + "attn_output.weight", "attn", C, H * d)
        if gemma:
            hf[h + "post_attention_layernorm.weight"] = gnorm(p + "post_attention_norm.weight", C)
            hf[h + "pre_feedforward_layernorm.weight"] = gnorm(p + "ffn_norm.weight", C)
            hf[h + "post_feedforward_layernorm.weight"] = gnorm(p + "post_ffw_norm.weight", C)
        else:
            hf[h + "post_attention_layernorm.weight"] = gnorm(p + "ffn_norm.weight", C)
        hf[h + "mlp.gate_proj.weight"] = mat(p + "ffn_gate.weight", "ffn", F, C)
        hf[h + "mlp.up_proj.weight"] = mat(p + "ffn_up.weight", "ffn", F, C)
        hf[h + "mlp.down_proj.weight"] = mat(p + "ffn_down.weight", "down", C, F)
    hf["model.norm.weight"] = gnorm("output_norm.weight", C)
    if not c["tied"]:
        hf["lm_head.weight"] = mat("output.weight", "out", V, C, 2 / math.sqrt(C))
    return tensors, hf


def metadata(c):
    a, C = c["arch"], c["hidden"]
    m = [("general.architecture", "str", a), ("general.name", "str", c["name"]),
         ("general.alignment", "u32", 64 if c["seed"] % 2 else 32),
         (f"{a}.context_length", "u32", c["ctx"]), (f"{a}.embedding_length", "u32", C),
         (f"{a}.block_count", "u32", c["layers"]), (f"{a}.feed_forward_length", "u32", c["inter"]),
         (f"{a}.attention.head_count", "u32", c["heads"])]
    if a in ("gpt2", "gptneox"):
        m.append((f"{a}.attention.layer_norm_epsilon", "f32", 1e-5))
    else:
        m += [(f"{a}.attention.head_count_kv", "u32", c["kv_heads"]),
              (f"{a}.attention.layer_norm_rms_epsilon", "f32", 1e-6),
              (f"{a}.rope.freq_base", "f32", c["rope_theta"])]
    if "head_dim" in c["given"]:
        m += [(f"{a}.attention.key_length", "u32", c["head_dim"]),
              (f"{a}.attention.value_length", "u32", c["head_dim"])]
    if a == "gemma3":
        m.append((f"{a}.attention.sliding_window", "u32", c["window"]))
    if a == "gptneox":
        m += [(f"{a}.rope.dimension_count", "u32", c["rot"]), (f"{a}.use_parallel_residual", "bool", True)]
    return m


def byte_level_tokenizer(V):
    """tokenizer.ggml.* of a gpt2-type vocabulary: the 256 byte symbols,
    two-letter merges, <|endoftext|> last (a control token, also BOS/EOS)."""
    table = family_files.byte_to_unicode()
    tokens = [table[b] for b in range(256)]
    merges, letters = [], "abcdefghijklmnopqrstuvwxyz"
    for n in range(V - 257):
        left, right = letters[n % 26], letters[(n // 26) % 26]
        tokens.append(left + right)
        merges.append(left + " " + right)
    tokens.append("<|endoftext|>")
    types = [1] * (V - 1) + [3]
    return [("tokenizer.ggml.model", "str", "gpt2"), ("tokenizer.ggml.pre", "str", "default"),
            ("tokenizer.ggml.tokens", "arr:str", tokens), ("tokenizer.ggml.token_type", "arr:i32", types),
            ("tokenizer.ggml.merges", "arr:str", merges),
            ("tokenizer.ggml.bos_token_id", "u32", V - 1), ("tokenizer.ggml.eos_token_id", "u32", V - 1)]


SPACE = "\u2581"


def sentencepiece_tokenizer(V):
    """tokenizer.ggml.* of a llama-type vocabulary: <unk>, <s>, </s>, the 256
    <0xNN> byte pieces, "▁" and the letters a-e, then joined pieces with
    falling scores. Also the same vocabulary as a llama2.c tokenizer.bin
    (spaces for "▁"), whose encoder (score-ranked merges, byte fallback) is
    the independent check of the GGUF one."""
    pieces = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)] + [SPACE] + list("abcde")
    types = [2, 3, 3] + [6] * 256 + [1] * 6
    joined = [SPACE + "a", "ab", "ba", SPACE + "b", "cd", SPACE + "ab", "abc", "dc", SPACE + "dc", "ee",
              SPACE + "ee", "de", "ed", "bab", SPACE + "c", "ca", "ac"]
    for p in joined:
        if len(pieces) < V:
            pieces.append(p)
            types.append(1)
    pieces += [f"<extra_{k}>" for k in range(V - len(pieces))]
    types += [4] * (V - len(types))
    scores = [0.0] * 259 + [-float(k) for k in range(V - 259)]
    meta = [("tokenizer.ggml.model", "str", "llama"), ("tokenizer.ggml.tokens", "arr:str", pieces),
            ("tokenizer.ggml.scores", "arr:f32", scores), ("tokenizer.ggml.token_type", "arr:i32", types),
            ("tokenizer.ggml.bos_token_id", "u32", 1), ("tokenizer.ggml.eos_token_id", "u32", 2),
            ("tokenizer.ggml.unknown_token_id", "u32", 0), ("tokenizer.ggml.add_bos_token", "bool", True)]
    return meta, pieces, scores


def write_llama2c_tokenizer(path, pieces, scores):
    encoded = [p.replace(SPACE, " ").encode("utf-8") for p in pieces]
    with open(path, "wb") as f:
        f.write(struct.pack("<i", max(len(e) for e in encoded)))
        for e, score in zip(encoded, scores):
            f.write(struct.pack("<fi", score, len(e)))
            f.write(e)


def settle(c):
    c = dict(c)
    c["given"] = set(c)
    c.setdefault("kv_heads", c["heads"])
    c.setdefault("head_dim", c["hidden"] // c["heads"])
    c.setdefault("rope_theta", 10000.0)
    c["family"] = FAMILY[c["arch"]]
    c["eps"] = 1e-5 if c["arch"] in ("gpt2", "gptneox") else 1e-6
    c["act"] = {"gemma3": "gelu_pytorch_tanh", "gptneox": "gelu", "gpt2": "gelu_new"}.get(c["arch"], "silu")
    c["layer_types"] = ["full_attention"] * c["layers"]
    if c["arch"] == "gemma3":
        c["rope_theta"] = 1e6
        c["rope_local_base_freq"] = 1e4
        c["query_pre_attn_scalar"] = c["head_dim"]
        c["sliding_window"] = c["window"]
        c["layer_types"] = ["full_attention" if (i + 1) % 6 == 0 else "sliding_attention"
                            for i in range(c["layers"])]
    if c["arch"] == "gptneox":
        c["rotary_pct"] = c["rot"] / c["head_dim"]
        c["parallel_residual"] = True
    return c


def write_cases(out_dir, cases, data_in_header_order=False):
    """Writes each case's .gguf, .expected.json and tokenizer, and cases.json.
    By default the tensor data is laid out in reverse header order, so our
    reader cannot lean on the order; llama.cpp's loader requires header order
    (tests/data/model/gguf/make_llama_cpp_cases.py asks for it)."""
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    listed = []
    for raw in cases:
        c = settle(raw)
        tensors, hf = build(c)
        V = c["vocab"]
        base = os.path.join(out_dir, c["name"])
        if c.get("tokenizer") == "llama":
            tokenizer, pieces, scores = sentencepiece_tokenizer(V)
            write_llama2c_tokenizer(base + ".tokenizer.bin", pieces, scores)
            bos, eos = 1, [2]
        else:
            tokenizer = byte_level_tokenizer(V)
            os.makedirs(base + ".tokenizer", exist_ok=True)
            family_files.write_byte_tokenizer(base + ".tokenizer", V)
            bos, eos = V - 1, [V - 1]
        order = list(range(len(tensors))) if data_in_header_order else None
        write_gguf(base + ".gguf", metadata(c) + tokenizer, tensors,
                   alignment=64 if c["seed"] % 2 else 32, order=order)
        w = {k: torch.tensor(np.ascontiguousarray(v), dtype=torch.float64) for k, v in hf.items()}
        g = np.random.default_rng(100 + c["seed"])
        prompts = [[V - 1], g.integers(0, V, 9).tolist(), g.integers(0, V, c["ctx"]).tolist()]
        expected = {"vocab_size": V, "prompts": []}
        for ids in prompts:
            lp = hf_math.logits_of(c, w, ids)[-1].log_softmax(-1)
            expected["prompts"].append({"ids": ids, "logprobs": lp.tolist()})
        expected["info"] = {"architecture": c["arch"], "vocab_size": V, "context_length": c["ctx"],
                            "parameter_count": sum(int(t.numel()) for t in w.values()),
                            "bos_id": bos, "eos_ids": eos}
        with open(os.path.join(out_dir, c["name"] + ".expected.json"), "w") as f:
            json.dump(expected, f)
        entry = {"name": c["name"], "arch": c["arch"], "tokenizer": c.get("tokenizer", "gpt2")}
        if "rope_scaling" in c:
            entry["rope_scaling"] = dict(c["rope_scaling"], rope_theta=c["rope_theta"])
        listed.append(entry)
    with open(os.path.join(out_dir, "cases.json"), "w") as f:
        json.dump(listed, f, indent=1)


if __name__ == "__main__":
    write_cases(sys.argv[1], CASES)
