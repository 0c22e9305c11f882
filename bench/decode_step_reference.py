#!/usr/bin/env python3
"""PyTorch reference timings for bench/decode_step_bench.cpp: the same
GPT-2-small shape (12 layers, 768 wide, 12 heads, vocab 50257, 1024
positions, random float32 weights), one decode step with a KV cache at
position 128 for 1 and 4 sequences, and a 128-token prefill. Single-threaded
by default, like the C++ engine; CPU time per step, best of several runs.

Usage: /usr/bin/python3 bench/decode_step_reference.py [--threads N]  -> JSON
"""
import argparse
import json
import math
import time

import torch

C, H, L, V, P, F = 768, 12, 12, 50257, 1024, 3072
D = C // H
POSITION = 128


def weights():
    g = torch.Generator().manual_seed(1234)
    r = lambda *s: (torch.rand(*s, generator=g) * 2 - 1) * 0.035  # noqa: E731
    layers = [dict(ln1=torch.ones(C), ln1b=r(C), wqkv=r(C, 3 * C), bqkv=r(3 * C), wo=r(C, C), bo=r(C),
                   ln2=torch.ones(C), ln2b=r(C), wfc=r(C, F), bfc=r(F), wpr=r(F, C), bpr=r(C))
              for _ in range(L)]
    return dict(wte=r(V, C), wpe=r(P, C), layers=layers, lnf=torch.ones(C), lnfb=r(C))


def gelu(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def forward(w, tokens, positions, caches):
    """tokens/positions: [B, T]; caches: per layer (K, V) [B, H, len, D] or None.
    Returns logits of the last position [B, V] and the new caches."""
    B, T = tokens.shape
    x = w["wte"][tokens] + w["wpe"][positions]  # [B, T, C]
    new = []
    for l, lw in enumerate(w["layers"]):
        h = torch.nn.functional.layer_norm(x, (C,), lw["ln1"], lw["ln1b"], 1e-5)
        q, k, v = (h @ lw["wqkv"] + lw["bqkv"]).split(C, dim=-1)  # [B, T, C] each
        q, k, v = (t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v))  # [B, H, T, D]
        if caches is not None:
            k = torch.cat([caches[l][0], k], dim=2)
            v = torch.cat([caches[l][1], v], dim=2)
        new.append((k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(D)  # [B, H, T, len]
        if caches is None:
            att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        a = att.softmax(-1) @ v  # [B, H, T, D]
        x = x + a.transpose(1, 2).reshape(B, T, C) @ lw["wo"] + lw["bo"]
        h = torch.nn.functional.layer_norm(x, (C,), lw["ln2"], lw["ln2b"], 1e-5)
        x = x + gelu(h @ lw["wfc"] + lw["bfc"]) @ lw["wpr"] + lw["bpr"]
    x = torch.nn.functional.layer_norm(x[:, -1], (C,), w["lnf"], w["lnfb"], 1e-5)
    return x @ w["wte"].T, new


def best_cpu_ms(fn, runs):
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    w = weights()
    out = {"threads": a.threads}
    with torch.no_grad():
        prompt = torch.arange(POSITION).remainder(V)[None]  # [1, 128]
        positions = torch.arange(POSITION)[None]
        out["prefill128_ms"] = best_cpu_ms(lambda: forward(w, prompt, positions, None), a.runs)
        for batch in (1, 4):
            _, cache = forward(w, prompt.repeat(batch, 1), positions.repeat(batch, 1), None)
            step_tokens = torch.full((batch, 1), 100)
            step_positions = torch.full((batch, 1), POSITION)
            out[f"decode_step_b{batch}_ms"] = best_cpu_ms(
                lambda: forward(w, step_tokens, step_positions, cache), a.runs)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
