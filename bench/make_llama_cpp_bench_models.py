#!/usr/bin/env python3
"""Writes random GGUF files with real models' shapes for
bench/run_llama_cpp.sh, which times our engine and llama.cpp on the very same
file:

  gpt2-small/{f32,f16,q8_0,q4_k_m}.gguf    GPT-2 small: hidden 768, 12 layers,
                                           12 heads, MLP 3072, vocab 50,257,
                                           1024 positions, tied head
  llama-3.2-1b/{f16,q8_0,q4_k_m}.gguf      Llama-3.2-1B: hidden 2048, 16 layers,
                                           32 heads / 8 KV heads, MLP 8192,
                                           vocab 128,256, tied head

Q4_K_M follows llama.cpp's recipe for it: Q4_K everywhere except Q6_K for
the head (here the tied token embedding), and for attn_v and ffn_down of the
first and last eighth of the layers and every third layer between.
Quantized tensors are random blocks (any block is a valid block) with the
half-precision scales set so values have a trained layer's size
(tests/data/model/gguf/gguf_writer.py's recipe, without its float64
dequantizing, which a 1B model cannot afford); float tensors are normal
values. The speed of a step does not depend on the values.

The data is streamed tensor by tensor in header order (llama.cpp's loader
requires it). A file already written with the right size is kept.

Usage: /usr/bin/python3 bench/make_llama_cpp_bench_models.py OUT_DIR
"""
import math
import os
import struct
import sys

import numpy as np

TEST_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "model")
sys.path[:0] = [os.path.join(TEST_DATA, "gguf"), os.path.join(TEST_DATA, "families")]
import family_files  # noqa: E402  (GPT-2's byte -> character table)
import gguf_writer as gw  # noqa: E402  (the test writer's format tables and block recipe)

ALIGNMENT = 32
SHAPES = {
    "gpt2-small": dict(arch="gpt2", hidden=768, layers=12, heads=12, kv_heads=12, inter=3072,
                       vocab=50257, ctx=1024, types=("F32", "F16", "Q8_0", "Q4_K_M")),
    "llama-3.2-1b": dict(arch="llama", hidden=2048, layers=16, heads=32, kv_heads=8, inter=8192,
                         vocab=128256, ctx=131072, types=("F16", "Q8_0", "Q4_K_M")),
}


def more_bits(layer, layers):
    """llama.cpp's Q4_K_M: which layers' attn_v / ffn_down get Q6_K."""
    return layer < layers // 8 or layer >= 7 * layers // 8 or (layer - layers // 8) % 3 == 2


def tensor_type(file_type, role, layer, layers):
    if file_type != "Q4_K_M":
        return file_type
    if role == "head" or (role in ("v", "down") and more_bits(layer, layers)):
        return "Q6_K"
    return "Q4_K"


def tensor_list(s, file_type):
    """[(name, dims fastest first, type name)] in llama.cpp's names."""
    C, F, V, L = s["hidden"], s["inter"], s["vocab"], s["layers"]
    d = C // s["heads"]
    KV = s["kv_heads"] * d
    out = [("token_embd.weight", [C, V], tensor_type(file_type, "head", 0, L))]
    if s["arch"] == "gpt2":
        out.append(("position_embd.weight", [C, s["ctx"]], "F32"))
    for i in range(L):
        p = f"blk.{i}."
        t = lambda role: tensor_type(file_type, role, i, L)  # noqa: E731
        out.append((p + "attn_norm.weight", [C], "F32"))
        if s["arch"] == "gpt2":
            out += [(p + "attn_norm.bias", [C], "F32"),
                    (p + "attn_qkv.weight", [C, 3 * C], t("v")), (p + "attn_qkv.bias", [3 * C], "F32"),
                    (p + "attn_output.weight", [C, C], t("o")), (p + "attn_output.bias", [C], "F32"),
                    (p + "ffn_norm.weight", [C], "F32"), (p + "ffn_norm.bias", [C], "F32"),
                    (p + "ffn_up.weight", [C, F], t("up")), (p + "ffn_up.bias", [F], "F32"),
                    (p + "ffn_down.weight", [F, C], t("down")), (p + "ffn_down.bias", [C], "F32")]
        else:
            out += [(p + "attn_q.weight", [C, C], t("q")), (p + "attn_k.weight", [C, KV], t("k")),
                    (p + "attn_v.weight", [C, KV], t("v")), (p + "attn_output.weight", [C, C], t("o")),
                    (p + "ffn_norm.weight", [C], "F32"), (p + "ffn_gate.weight", [C, F], t("gate")),
                    (p + "ffn_up.weight", [C, F], t("up")), (p + "ffn_down.weight", [F, C], t("down"))]
    out.append(("output_norm.weight", [C], "F32"))
    if s["arch"] == "gpt2":
        out.append(("output_norm.bias", [C], "F32"))
    return out


def nbytes(dims, type_name):
    _, block, size = gw.TYPES[type_name]
    return math.prod(dims) // block * size


def random_bytes(rng, name, dims, type_name):
    n = math.prod(dims)
    if name.endswith("norm.weight"):
        return np.ones(n, dtype="<f4").tobytes()
    if name.endswith(".bias"):
        return np.zeros(n, dtype="<f4").tobytes()
    std = 0.5 if "embd" in name else 1 / math.sqrt(dims[0])
    if type_name in ("F32", "F16"):
        x = rng.standard_normal(n, dtype=np.float32) * np.float32(std)
        return x.astype("<f4" if type_name == "F32" else "<f2").tobytes()
    _, block, size = gw.TYPES[type_name]
    count = n // block
    blocks = rng.integers(0, 256, size=(count, size), dtype=np.uint8)
    fields = gw.SCALE_FIELDS[type_name]
    d = (std / gw.SPREAD[type_name] * rng.uniform(0.5, 1.5, size=count)).astype(np.float32)
    blocks[:, fields[0]:fields[0] + 2] = gw._halves(d)
    if len(fields) > 1:
        blocks[:, fields[1]:fields[1] + 2] = gw._halves(d * gw.MIN_RATIO[type_name])
    return blocks.tobytes()


def tokenizer(V):
    """A byte-level (gpt2-type) vocabulary of exactly V distinct tokens: the
    256 byte symbols, two-letter merges, filler tokens, <|endoftext|> last."""
    table = family_files.byte_to_unicode()
    tokens = [table[b] for b in range(256)]
    letters = "abcdefghijklmnopqrstuvwxyz"
    merges = [f"{a} {b}" for a in letters for b in letters]
    tokens += [m.replace(" ", "") for m in merges]
    tokens += [f"tok{n}" for n in range(V - len(tokens) - 1)]
    tokens.append("<|endoftext|>")
    types = [1] * (V - 1) + [3]
    return [("tokenizer.ggml.model", "str", "gpt2"), ("tokenizer.ggml.pre", "str", "default"),
            ("tokenizer.ggml.tokens", "arr:str", tokens), ("tokenizer.ggml.token_type", "arr:i32", types),
            ("tokenizer.ggml.merges", "arr:str", merges),
            ("tokenizer.ggml.bos_token_id", "u32", V - 1), ("tokenizer.ggml.eos_token_id", "u32", V - 1)]


def metadata(s, name):
    a = s["arch"]
    m = [("general.architecture", "str", a), ("general.name", "str", name),
         ("general.alignment", "u32", ALIGNMENT),
         (f"{a}.context_length", "u32", s["ctx"]), (f"{a}.embedding_length", "u32", s["hidden"]),
         (f"{a}.block_count", "u32", s["layers"]), (f"{a}.feed_forward_length", "u32", s["inter"]),
         (f"{a}.attention.head_count", "u32", s["heads"])]
    if a == "gpt2":
        m.append((f"{a}.attention.layer_norm_epsilon", "f32", 1e-5))
    else:
        m += [(f"{a}.attention.head_count_kv", "u32", s["kv_heads"]),
              (f"{a}.attention.layer_norm_rms_epsilon", "f32", 1e-5),
              (f"{a}.rope.freq_base", "f32", 500000.0),
              (f"{a}.rope.dimension_count", "u32", s["hidden"] // s["heads"])]
    return m + tokenizer(s["vocab"])


def write(path, s, file_type, seed):
    tensors = tensor_list(s, file_type)
    meta = metadata(s, os.path.basename(os.path.dirname(path)) + "-" + file_type)
    head = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(meta))
    for key, kind, value in meta:
        head += gw._string(key) + struct.pack("<I", gw.VALUE_TYPES["arr" if kind.startswith("arr:") else kind])
        head += gw._value(kind, value)
    at = 0
    for name, dims, type_name in tensors:
        head += gw._string(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
        head += struct.pack("<IQ", gw.TYPES[type_name][0], at)
        at += nbytes(dims, type_name)
        at += -at % ALIGNMENT
    head += b"\0" * (-len(head) % ALIGNMENT)
    size = len(head) + at
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    rng = np.random.default_rng(seed)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".part", "wb") as f:
        f.write(head)
        for name, dims, type_name in tensors:
            raw = random_bytes(rng, name, dims, type_name)
            f.write(raw)
            f.write(b"\0" * (-len(raw) % ALIGNMENT))
    os.replace(path + ".part", path)
    print(f"wrote {path} ({size / 1e6:.0f} MB)", file=sys.stderr)


def main():
    out_dir = sys.argv[1]
    for seed, (shape, s) in enumerate(SHAPES.items()):
        for file_type in s["types"]:
            write(os.path.join(out_dir, shape, file_type.lower() + ".gguf"), s, file_type, seed)


if __name__ == "__main__":
    main()
