#!/usr/bin/env python3
"""Golden data for Beamscope's GPT-2 engine.

Writes several small, randomly initialised GPT-2 model folders (config.json +
model.safetensors) into OUT_DIR and, for each, expected.json with the
log-softmax of the next-token distribution for a set of prefixes.

Independent of the C++ code on purpose: the model is written here from the
math of the GPT-2 paper / Hugging Face GPT2LMHeadModel (pre-LayerNorm blocks,
Conv1D weights stored [in, out], learned position embeddings, causal
attention), evaluated in float64 over the *stored* weights (F16/BF16 weights
are rounded first, exactly as the file holds them), and the safetensors files
are produced by a hand-written writer, not the safetensors package.

Usage: make_gpt2_reference.py OUT_DIR
"""
import json
import math
import os
import struct
import sys

import torch

CASES = [
    # Odd sizes, transformer. prefix, tied head, F32, attention-mask buffers present.
    dict(name="f32_prefixed_tied_buffers", n_embd=48, n_head=3, n_layer=2, vocab_size=101,
         n_positions=64, activation="gelu_new", dtype="F32", prefix=True, tied=True,
         buffers=True, n_inner=None, eps=1e-5, seed=1),
    # No prefix, untied lm_head, F16 storage.
    dict(name="f16_bare_untied", n_embd=64, n_head=4, n_layer=3, vocab_size=97,
         n_positions=32, activation="gelu_new", dtype="F16", prefix=False, tied=False,
         buffers=False, n_inner=None, eps=1e-5, seed=2),
    # Exact (erf) GELU, BF16 storage, explicit n_inner and another epsilon.
    dict(name="bf16_gelu_exact_inner", n_embd=40, n_head=5, n_layer=2, vocab_size=53,
         n_positions=40, activation="gelu", dtype="BF16", prefix=True, tied=True,
         buffers=False, n_inner=72, eps=1e-6, seed=3),
]


def tensor_shapes(c):
    """HF GPT-2 parameter names (without prefix) -> shape, in model order."""
    C, V, P = c["n_embd"], c["vocab_size"], c["n_positions"]
    F = c["n_inner"] or 4 * C
    shapes = {"wte.weight": (V, C), "wpe.weight": (P, C)}
    for i in range(c["n_layer"]):
        p = f"h.{i}."
        shapes.update({
            p + "ln_1.weight": (C,), p + "ln_1.bias": (C,),
            p + "attn.c_attn.weight": (C, 3 * C), p + "attn.c_attn.bias": (3 * C,),
            p + "attn.c_proj.weight": (C, C), p + "attn.c_proj.bias": (C,),
            p + "ln_2.weight": (C,), p + "ln_2.bias": (C,),
            p + "mlp.c_fc.weight": (C, F), p + "mlp.c_fc.bias": (F,),
            p + "mlp.c_proj.weight": (F, C), p + "mlp.c_proj.bias": (C,),
        })
    shapes["ln_f.weight"] = (C,)
    shapes["ln_f.bias"] = (C,)
    return shapes


def random_weights(c):
    g = torch.Generator().manual_seed(c["seed"])
    w = {}
    for name, shape in tensor_shapes(c).items():
        if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
            t = 1.0 + 0.2 * torch.randn(shape, generator=g)
        elif name in ("wte.weight", "wpe.weight"):
            t = 0.5 * torch.randn(shape, generator=g)
        elif name.endswith(".bias"):
            t = 0.1 * torch.randn(shape, generator=g)
        else:
            t = torch.randn(shape, generator=g) / math.sqrt(shape[0])  # keep activations O(1)
        w[name] = t.float()
    if not c["tied"]:
        w["lm_head.weight"] = (0.3 * torch.randn((c["vocab_size"], c["n_embd"]), generator=g)).float()
    return w


def round_to_storage(t, dtype):
    """The float32 values the file will hold (round-to-nearest-even)."""
    if dtype == "F16":
        return t.half().float()
    if dtype == "BF16":
        return t.bfloat16().float()
    return t


def to_bytes(t, dtype):
    if dtype == "F32":
        return t.float().contiguous().numpy().astype("<f4").tobytes()
    if dtype == "F16":
        return t.half().contiguous().numpy().astype("<f2").tobytes()
    # BF16: numpy has no bfloat16; take the top 16 bits of the rounded float32.
    bits = t.bfloat16().float().contiguous().numpy().astype("<f4").view("<u4") >> 16
    return bits.astype("<u2").tobytes()


def write_safetensors(path, entries):
    """entries: list of (name, dtype string, shape, raw bytes). Data is laid out
    in reverse name order so the reader cannot rely on header order."""
    header, blobs, offset = {}, [], 0
    for name, dtype, shape, raw in sorted(entries, key=lambda e: e[0], reverse=True):
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt", "made_by": "make_gpt2_reference.py"}
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the format pads the header with spaces to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# ---- the reference model, float64 ---------------------------------------------------------

def layer_norm(x, g, b, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)  # biased variance
    return (x - mean) / torch.sqrt(var + eps) * g + b


def activation(x, kind):
    if kind == "gelu_new":
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def next_token_logits(c, w, ids):
    """Logits [V] of the token after `ids`, recomputed from scratch (no cache)."""
    d = {k: v.double() for k, v in w.items()}
    C, H = c["n_embd"], c["n_head"]
    hd = C // H
    T = len(ids)
    x = d["wte.weight"][torch.tensor(ids)] + d["wpe.weight"][:T]  # [T, C]
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    for i in range(c["n_layer"]):
        p = f"h.{i}."
        h = layer_norm(x, d[p + "ln_1.weight"], d[p + "ln_1.bias"], c["eps"])
        qkv = h @ d[p + "attn.c_attn.weight"] + d[p + "attn.c_attn.bias"]  # [T, 3C]
        q, k, v = qkv[:, :C], qkv[:, C:2 * C], qkv[:, 2 * C:]
        heads = []
        for j in range(H):
            s = slice(j * hd, (j + 1) * hd)
            att = (q[:, s] @ k[:, s].T) / math.sqrt(hd)  # [T, T]
            att = att.masked_fill(future, float("-inf")).softmax(-1)
            heads.append(att @ v[:, s])  # [T, hd]
        a = torch.cat(heads, dim=1)  # [T, C]
        x = x + a @ d[p + "attn.c_proj.weight"] + d[p + "attn.c_proj.bias"]
        h = layer_norm(x, d[p + "ln_2.weight"], d[p + "ln_2.bias"], c["eps"])
        m = activation(h @ d[p + "mlp.c_fc.weight"] + d[p + "mlp.c_fc.bias"], c["activation"])
        x = x + m @ d[p + "mlp.c_proj.weight"] + d[p + "mlp.c_proj.bias"]
    x = layer_norm(x[-1], d["ln_f.weight"], d["ln_f.bias"], c["eps"])  # [C]
    head = d["lm_head.weight"] if "lm_head.weight" in d else d["wte.weight"]
    return head @ x  # [V]


def expectation(c, w, ids):
    logits = next_token_logits(c, w, ids)
    return {"ids": list(ids), "logits": logits.tolist(), "logprobs": logits.log_softmax(-1).tolist()}


def make_case(c, out_dir):
    folder = os.path.join(out_dir, c["name"])
    os.makedirs(folder, exist_ok=True)
    w = {k: round_to_storage(v, c["dtype"]) for k, v in random_weights(c).items()}

    entries = []
    for name, t in w.items():
        stored = name if (name == "lm_head.weight" or not c["prefix"]) else "transformer." + name
        entries.append((stored, c["dtype"], tuple(t.shape), to_bytes(t, c["dtype"])))
    if c["buffers"]:
        P = c["n_positions"]
        mask = torch.tril(torch.ones(P, P)).view(1, 1, P, P)
        for i in range(c["n_layer"]):
            pre = ("transformer." if c["prefix"] else "") + f"h.{i}.attn."
            entries.append((pre + "bias", "F32", (1, 1, P, P), to_bytes(mask, "F32")))
            entries.append((pre + "masked_bias", "F32", (), to_bytes(torch.tensor(-1e4), "F32")))
    write_safetensors(os.path.join(folder, "model.safetensors"), entries)

    config = {
        "model_type": "gpt2", "architectures": ["GPT2LMHeadModel"],
        "vocab_size": c["vocab_size"], "n_positions": c["n_positions"], "n_ctx": c["n_positions"],
        "n_embd": c["n_embd"], "n_layer": c["n_layer"], "n_head": c["n_head"],
        "n_inner": c["n_inner"], "activation_function": c["activation"],
        "layer_norm_epsilon": c["eps"], "tie_word_embeddings": c["tied"],
    }
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)

    g = torch.Generator().manual_seed(100 + c["seed"])
    V, P = c["vocab_size"], c["n_positions"]

    def rand_ids(n):
        return torch.randint(0, V, (n,), generator=g).tolist()

    # Prefill: one token, a few tokens, the whole context.
    prefill = [expectation(c, w, ids) for ids in ([V - 1], rand_ids(7), rand_ids(P))]
    # One sequence: prefill 5 tokens, then single-token decode steps.
    prompt = rand_ids(5)
    steps, ids = [], list(prompt)
    for token in rand_ids(6):
        ids.append(token)
        steps.append({"token": token, "logprobs": expectation(c, w, ids)["logprobs"]})
    # Three sequences at different positions decoded together, two steps.
    prompts = [rand_ids(1), rand_ids(4), rand_ids(9)]
    batch_steps, seqs = [], [list(p) for p in prompts]
    for _ in range(2):
        tokens = rand_ids(3)
        for s, t in zip(seqs, tokens):
            s.append(t)
        batch_steps.append({"tokens": tokens,
                            "logprobs": [expectation(c, w, s)["logprobs"] for s in seqs]})

    expected = {"name": c["name"], "vocab_size": V, "n_positions": P, "tied": c["tied"],
                "prefill": prefill,
                "decode": {"prompt": prompt, "steps": steps},
                "batch": {"prompts": prompts, "steps": batch_steps}}
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_gpt2_reference.py OUT_DIR")
    torch.set_num_threads(1)
    for c in CASES:
        make_case(c, sys.argv[1])
    with open(os.path.join(sys.argv[1], "cases.json"), "w") as f:
        json.dump([c["name"] for c in CASES], f)


if __name__ == "__main__":
    main()
