#!/usr/bin/env python3
"""PyTorch eager reference for bench/decode_step_bench.cpp, on the same file:
loads DIR/model.safetensors written by bench/make_gpt2_small.py (F16 files are
widened to float32 at load, exactly as Beamscope's loader does), then times one
decode step with a KV cache at position 128 for 1 and 4 sequences, and a
128-token prefill. CPU time per call, best of several runs; single-threaded by
default, like the C++ engine. Plain eager ops (matmul, layer_norm, softmax,
torch.cat to grow the cache), the way transformers' GPT-2 runs on a CPU.

With --check-logits FILE (float32 logits Beamscope wrote for the check
prompt), also reports the largest absolute difference to PyTorch's logits.

Usage: /usr/bin/python3 bench/decode_step_reference.py --model DIR [--threads N]  -> JSON
"""
import argparse
import json
import math
import struct
import time

import numpy as np
import torch

POSITION = 128


def load_safetensors(path):
    """name -> float32 tensor (F32 and F16 files), without the safetensors package."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = np.frombuffer(f.read(), dtype=np.uint8)
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        b, e = t["data_offsets"]
        np_type = {"F32": "<f4", "F16": "<f2"}[t["dtype"]]
        values = data[b:e].view(np_type).reshape(t["shape"]).astype(np.float32)
        out[name] = torch.from_numpy(values)
    return out


def weights(folder):
    with open(f"{folder}/config.json") as f:
        cfg = json.load(f)
    t = load_safetensors(f"{folder}/model.safetensors")
    layers = [dict(ln1=t[f"h.{i}.ln_1.weight"], ln1b=t[f"h.{i}.ln_1.bias"],
                   wqkv=t[f"h.{i}.attn.c_attn.weight"], bqkv=t[f"h.{i}.attn.c_attn.bias"],
                   wo=t[f"h.{i}.attn.c_proj.weight"], bo=t[f"h.{i}.attn.c_proj.bias"],
                   ln2=t[f"h.{i}.ln_2.weight"], ln2b=t[f"h.{i}.ln_2.bias"],
                   wfc=t[f"h.{i}.mlp.c_fc.weight"], bfc=t[f"h.{i}.mlp.c_fc.bias"],
                   wpr=t[f"h.{i}.mlp.c_proj.weight"], bpr=t[f"h.{i}.mlp.c_proj.bias"])
              for i in range(cfg["n_layer"])]
    return cfg, dict(wte=t["wte.weight"], wpe=t["wpe.weight"], layers=layers,
                     lnf=t["ln_f.weight"], lnfb=t["ln_f.bias"])


def gelu(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def forward(cfg, w, tokens, positions, caches):
    """tokens/positions: [B, T]; caches: per layer (K, V) [B, H, len, D] or None.
    Returns logits of the last position [B, V] and the new caches."""
    C, H = cfg["n_embd"], cfg["n_head"]
    D, eps = C // H, cfg["layer_norm_epsilon"]
    B, T = tokens.shape
    x = w["wte"][tokens] + w["wpe"][positions]  # [B, T, C]
    new = []
    for l, lw in enumerate(w["layers"]):
        h = torch.nn.functional.layer_norm(x, (C,), lw["ln1"], lw["ln1b"], eps)
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
        h = torch.nn.functional.layer_norm(x, (C,), lw["ln2"], lw["ln2b"], eps)
        x = x + gelu(h @ lw["wfc"] + lw["bfc"]) @ lw["wpr"] + lw["bpr"]
    x = torch.nn.functional.layer_norm(x[:, -1], (C,), w["lnf"], w["lnfb"], eps)
    return x @ w["wte"].T, new


def prompt(n, seed, vocab):
    """The same formula as decode_step_bench.cpp's prompt()."""
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
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--check-logits")
    ap.add_argument("--load-only", action="store_true",
                    help="load, print the first logits' argmax and stop (bench/run_load.sh times it)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg, w = weights(a.model)
    if a.load_only:
        with torch.no_grad():
            logits, _ = forward(cfg, w, torch.tensor([[464]]), torch.arange(1)[None], None)
        print(json.dumps({"argmax": int(logits[0].argmax())}))
        return
    V = cfg["vocab_size"]
    out = {"threads": a.threads, "torch": torch.__version__}
    with torch.no_grad():
        positions = torch.arange(POSITION)[None]
        if a.check_logits:
            ours = np.fromfile(a.check_logits, dtype="<f4")
            theirs, _ = forward(cfg, w, prompt(POSITION, 0, V)[None], positions, None)
            out["max_abs_logit_diff"] = float(np.abs(theirs[0].numpy() - ours).max())
            out["logit_scale"] = float(np.abs(theirs[0].numpy()).max())
        ids = prompt(POSITION, 7, V)[None]
        out["prefill128_ms"] = best_cpu_ms(lambda: forward(cfg, w, ids, positions, None), a.runs)
        for batch in (1, 4):
            prompts = torch.stack([prompt(POSITION, b, V) for b in range(batch)])
            _, cache = forward(cfg, w, prompts, positions.repeat(batch, 1), None)
            step_tokens = torch.arange(100, 100 + batch)[:, None]
            step_positions = torch.full((batch, 1), POSITION)
            out[f"decode_step_b{batch}_ms"] = best_cpu_ms(
                lambda: forward(cfg, w, step_tokens, step_positions, cache), a.runs)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
