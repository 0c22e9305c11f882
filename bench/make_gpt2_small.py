#!/usr/bin/env python3
"""Writes the random GPT-2-small-shaped model that both sides of the decode
benchmark load, so "same weights" means the same file, not the same seed:

    DIR/f32/{config.json, model.safetensors}   float32 storage (~500 MB)
    DIR/f16/{config.json, model.safetensors}   the same values rounded to float16

124M parameters (12 layers, 768 wide, 12 heads, vocab 50257, 1024 positions,
tied head), values uniform in +-0.035 and LayerNorm gains near 1, like a fresh
GPT-2. Skips a folder that is already complete (the files take a few seconds).

Usage: /usr/bin/python3 bench/make_gpt2_small.py DIR
"""
import json
import os
import struct
import sys

import numpy as np

C, H, L, V, P, F = 768, 12, 12, 50257, 1024, 3072
SEED = 1234

CONFIG = {
    "model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "vocab_size": V,
    "n_positions": P, "n_ctx": P, "n_embd": C, "n_layer": L, "n_head": H, "n_inner": F,
    "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True,
}


def tensor_shapes():
    """Hugging Face names and shapes in file order (Conv1D weights [in, out])."""
    yield "wte.weight", (V, C)
    yield "wpe.weight", (P, C)
    for i in range(L):
        h = f"h.{i}."
        yield h + "ln_1.weight", (C,)
        yield h + "ln_1.bias", (C,)
        yield h + "attn.c_attn.weight", (C, 3 * C)
        yield h + "attn.c_attn.bias", (3 * C,)
        yield h + "attn.c_proj.weight", (C, C)
        yield h + "attn.c_proj.bias", (C,)
        yield h + "ln_2.weight", (C,)
        yield h + "ln_2.bias", (C,)
        yield h + "mlp.c_fc.weight", (C, F)
        yield h + "mlp.c_fc.bias", (F,)
        yield h + "mlp.c_proj.weight", (F, C)
        yield h + "mlp.c_proj.bias", (C,)
    yield "ln_f.weight", (C,)
    yield "ln_f.bias", (C,)


def random_tensors():
    rng = np.random.default_rng(SEED)
    for name, shape in tensor_shapes():
        values = rng.uniform(-1.0, 1.0, size=shape).astype(np.float32)
        if name.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight")):
            yield name, 1.0 + 0.1 * values
        else:
            yield name, 0.035 * values


def write_safetensors(path, tensors, dtype):
    """tensors: list of (name, float32 array); stored as `dtype` (F32 or F16)."""
    np_type = {"F32": "<f4", "F16": "<f2"}[dtype]
    header, offset = {}, 0
    for name, values in tensors:
        size = values.size * np.dtype(np_type).itemsize
        header[name] = {"dtype": dtype, "shape": list(values.shape),
                        "data_offsets": [offset, offset + size]}
        offset += size
    header["__metadata__"] = {"format": "pt", "made_by": "bench/make_gpt2_small.py"}
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp-write"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, values in tensors:
            f.write(np.ascontiguousarray(values, dtype=np_type).tobytes())
    os.replace(tmp, path)  # a killed run never leaves a half-written model behind


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    tensors = None
    for dtype in ("F32", "F16"):
        folder = os.path.join(root, dtype.lower())
        weights = os.path.join(folder, "model.safetensors")
        if os.path.exists(weights):
            continue
        os.makedirs(folder, exist_ok=True)
        if tensors is None:
            tensors = list(random_tensors())
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(dict(CONFIG, torch_dtype="float32" if dtype == "F32" else "float16"), f, indent=1)
        write_safetensors(weights, tensors, dtype)
        print(f"wrote {weights}", file=sys.stderr)


if __name__ == "__main__":
    main()
