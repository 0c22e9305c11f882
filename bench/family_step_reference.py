#!/usr/bin/env python3
"""PyTorch eager reference for bench/family_step_bench.cpp, on the same
Llama-architecture folder (bench/make_family_bench_models.py): one decode step
with a KV cache at position 128 for 1 and 4 sequences. The weights are widened
to float32 at load (PyTorch's CPU path for a BF16 checkpoint loaded with
torch_dtype=float32, the usual way to run one on a CPU), then plain eager ops
the way transformers' LlamaForCausalLM runs: RMSNorm, rotate-half rotary with
the config's rope scaling, grouped-query attention by repeating K/V, SwiGLU.
CPU time per call, best of several runs, single-threaded by default.

With --check-logits FILE (float32 logits Beamscope wrote for the 128-token
check prompt), also reports the largest absolute difference to PyTorch's.

Usage: /usr/bin/python3 bench/family_step_reference.py --model DIR [--threads N]  -> JSON
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                                "model", "families"))
import hf_math  # noqa: E402  (the test reference's rope frequencies)

POSITION = 128


def load_safetensors(path):
    """name -> float32 tensor (F32 and BF16 files), without the safetensors package."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = np.fromfile(f, dtype=np.uint8)
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        b, e = t["data_offsets"]
        raw = data[b:e]
        if t["dtype"] == "BF16":
            values = (raw.view("<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            values = raw.view({"F32": "<f4", "F16": "<f2"}[t["dtype"]]).astype(np.float32)
        out[name] = torch.from_numpy(values.reshape(t["shape"]))
    return out


def rms(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    return x * cos + torch.cat([-x[..., half:], x[..., :half]], dim=-1) * sin


def forward(cfg, t, tokens, positions, caches, inv_freq):
    """tokens/positions [B, T]; caches: per layer (K, V) [B, Hkv, len, d] or None.
    Returns last-position logits [B, V] and the new caches."""
    C, H, Hkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d, eps = C // H, cfg["rms_norm_eps"]
    B, T = tokens.shape
    angles = positions[..., None].float() * inv_freq  # [B, T, d/2]
    emb = torch.cat([angles, angles], dim=-1)[:, None]  # [B, 1, T, d]
    cos, sin = emb.cos(), emb.sin()
    x = t["model.embed_tokens.weight"][tokens]
    new = []
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms(x, t[p + "input_layernorm.weight"], eps)
        q = (h @ t[p + "self_attn.q_proj.weight"].T).view(B, T, H, d).transpose(1, 2)
        k = (h @ t[p + "self_attn.k_proj.weight"].T).view(B, T, Hkv, d).transpose(1, 2)
        v = (h @ t[p + "self_attn.v_proj.weight"].T).view(B, T, Hkv, d).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        if caches is not None:
            k = torch.cat([caches[i][0], k], dim=2)
            v = torch.cat([caches[i][1], v], dim=2)
        new.append((k, v))
        kk = k.repeat_interleave(H // Hkv, dim=1)
        vv = v.repeat_interleave(H // Hkv, dim=1)
        att = (q @ kk.transpose(-2, -1)) / math.sqrt(d)
        if caches is None:
            att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        a = (att.softmax(-1) @ vv).transpose(1, 2).reshape(B, T, C)
        x = x + a @ t[p + "self_attn.o_proj.weight"].T
        h = rms(x, t[p + "post_attention_layernorm.weight"], eps)
        gate = h @ t[p + "mlp.gate_proj.weight"].T
        x = x + (gate * torch.sigmoid(gate) * (h @ t[p + "mlp.up_proj.weight"].T)) @ \
            t[p + "mlp.down_proj.weight"].T
    x = rms(x[:, -1], t["model.norm.weight"], eps)
    head = t.get("lm_head.weight", t["model.embed_tokens.weight"])
    return x @ head.T, new


def prompt(n, seed, vocab):
    """The same formula as family_step_bench.cpp's prompt()."""
    return torch.tensor([(seed * 7919 + i * 104729) % vocab for i in range(n)])


def best_cpu_ms(fn, runs):
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check-logits")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with open(os.path.join(a.model, "config.json")) as f:
        cfg = json.load(f)
    t = load_safetensors(os.path.join(a.model, "model.safetensors"))
    d = cfg["hidden_size"] // cfg["num_attention_heads"]
    inv_freq = hf_math.rope_inv_freq(d, cfg["rope_theta"], cfg.get("rope_scaling")).float()
    V = cfg["vocab_size"]
    out = {"threads": a.threads, "torch": torch.__version__}
    with torch.no_grad():
        positions = torch.arange(POSITION)[None]
        if a.check_logits:
            ours = np.fromfile(a.check_logits, dtype="<f4")
            theirs, _ = forward(cfg, t, prompt(POSITION, 0, V)[None], positions, None, inv_freq)
            out["max_abs_logit_diff"] = float(np.abs(theirs[0].numpy() - ours).max())
            out["logit_scale"] = float(np.abs(theirs[0].numpy()).max())
        for batch in (1, 4):
            prompts = torch.stack([prompt(POSITION, b, V) for b in range(batch)])
            _, cache = forward(cfg, t, prompts, positions.repeat(batch, 1), None, inv_freq)
            step_tokens = torch.arange(100, 100 + batch)[:, None]
            step_positions = torch.full((batch, 1), POSITION)
            out[f"decode_step_b{batch}_ms"] = best_cpu_ms(
                lambda: forward(cfg, t, step_tokens, step_positions, cache, inv_freq), a.runs)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
