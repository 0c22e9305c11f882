#!/usr/bin/env python3
"""Seeds of fuzz_gguf (tests/fuzz/corpus/gguf/): tiny valid GGUF files, so
mutations start from files that get past the header into the architecture,
the weights, the dequantizers and the tokenizer.

Usage: make_gguf_seeds.py OUT_DIR
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "model", "gguf"))
from gguf_writer import random_tensor, write_gguf  # noqa: E402


def llama_seed(path, type_name, tokenizer):
    rng = np.random.default_rng(1)
    C, F, V, H = 32, 32, 12, 2
    tensors = []

    def mat(name, rows, cols, t=type_name):
        raw, _ = random_tensor(rng, t, rows, cols, 0.2)
        tensors.append((name, [cols, rows], t, raw))

    def vec(name, n):
        tensors.append((name, [n], "F32", np.ones(n, dtype="<f4").tobytes()))

    mat("token_embd.weight", V, C)
    vec("blk.0.attn_norm.weight", C)
    mat("blk.0.attn_q.weight", C, C)
    mat("blk.0.attn_k.weight", C // H, C)
    mat("blk.0.attn_v.weight", C // H, C)
    mat("blk.0.attn_output.weight", C, C)
    vec("blk.0.ffn_norm.weight", C)
    mat("blk.0.ffn_gate.weight", F, C)
    mat("blk.0.ffn_up.weight", F, C)
    mat("blk.0.ffn_down.weight", C, F)
    vec("output_norm.weight", C)
    meta = [("general.architecture", "str", "llama"), ("llama.context_length", "u32", 8),
            ("llama.embedding_length", "u32", C), ("llama.block_count", "u32", 1),
            ("llama.feed_forward_length", "u32", F), ("llama.attention.head_count", "u32", H),
            ("llama.attention.head_count_kv", "u32", 1),
            ("llama.attention.layer_norm_rms_epsilon", "f32", 1e-5)]
    if tokenizer == "llama":
        pieces = ["<unk>", "<s>", "</s>", "<0x48>", "\u2581", "H", "e", "l", "o", "\u2581H", "ll", "<x>"]
        meta += [("tokenizer.ggml.model", "str", "llama"), ("tokenizer.ggml.tokens", "arr:str", pieces),
                 ("tokenizer.ggml.scores", "arr:f32", [-float(i) for i in range(V)]),
                 ("tokenizer.ggml.token_type", "arr:i32", [2, 3, 3, 6] + [1] * 7 + [4]),
                 ("tokenizer.ggml.bos_token_id", "u32", 1), ("tokenizer.ggml.eos_token_id", "u32", 2)]
    else:
        tokens = ["H", "e", "l", "o", "\u0120", "w", "r", "d", "He", "ll", "Hell", "<|endoftext|>"]
        meta += [("tokenizer.ggml.model", "str", "gpt2"), ("tokenizer.ggml.pre", "str", "llama-bpe"),
                 ("tokenizer.ggml.tokens", "arr:str", tokens),
                 ("tokenizer.ggml.token_type", "arr:i32", [1] * 11 + [3]),
                 ("tokenizer.ggml.merges", "arr:str", ["H e", "l l", "He ll"]),
                 ("tokenizer.ggml.bos_token_id", "u32", 11)]
    write_gguf(path, meta, tensors)


def types_seed(path):
    """One small tensor of every decodable type, no architecture."""
    rng = np.random.default_rng(2)
    tensors = []
    for t in ("F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K",
              "Q5_K", "Q6_K"):
        raw, _ = random_tensor(rng, t, 1, 256, 1.0)
        tensors.append((t.lower(), [256], t, raw))
    write_gguf(path, [("general.alignment", "u32", 64)], tensors, alignment=64, version=2)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    llama_seed(os.path.join(out, "llama_q8_0_spm.gguf"), "Q8_0", "llama")
    llama_seed(os.path.join(out, "llama_f16_bpe.gguf"), "F16", "gpt2")
    types_seed(os.path.join(out, "all_types.gguf"))


if __name__ == "__main__":
    main()
