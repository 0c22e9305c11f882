"""GPT-2 in plain PyTorch, same math as Hugging Face GPT2LMHeadModel (eval mode), plus a
hand-written safetensors writer/reader using HF tensor names and Conv1D [in, out] layout."""
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Conv1D(nn.Module):
    """HF Conv1D: weight [in, out], y = x @ W + b."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out).normal_(0.0, 0.02))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        sh = x.shape[:-1] + (self.weight.shape[1],)
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).view(sh)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_head = cfg["n_head"]
        self.c_attn = Conv1D(cfg["n_embd"], 3 * cfg["n_embd"])
        self.c_proj = Conv1D(cfg["n_embd"], cfg["n_embd"])
        self.drop = nn.Dropout(cfg.get("dropout", 0.0))
        P = cfg["n_positions"]
        self.register_buffer("mask", torch.tril(torch.ones(P, P, dtype=torch.bool)).view(1, 1, P, P), persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        hd = C // self.n_head
        q = q.view(B, T, self.n_head, hd).transpose(1, 2)
        k = k.view(B, T, self.n_head, hd).transpose(1, 2)
        v = v.view(B, T, self.n_head, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        att = att.masked_fill(~self.mask[:, :, :T, :T], torch.finfo(att.dtype).min)
        att = self.drop(F.softmax(att, dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.drop(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = Conv1D(cfg["n_embd"], 4 * cfg["n_embd"])
        self.c_proj = Conv1D(4 * cfg["n_embd"], cfg["n_embd"])
        self.drop = nn.Dropout(cfg.get("dropout", 0.0))

    def forward(self, x):
        return self.drop(self.c_proj(gelu_new(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        eps = cfg["layer_norm_epsilon"]
        self.ln_1 = nn.LayerNorm(cfg["n_embd"], eps=eps)
        self.attn = Attention(cfg)
        self.ln_2 = nn.LayerNorm(cfg["n_embd"], eps=eps)
        self.mlp = MLP(cfg)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT2(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg["vocab_size"], cfg["n_embd"])
        self.wpe = nn.Embedding(cfg["n_positions"], cfg["n_embd"])
        self.drop = nn.Dropout(cfg.get("dropout", 0.0))
        self.h = nn.ModuleList([Block(cfg) for _ in range(cfg["n_layer"])])
        self.ln_f = nn.LayerNorm(cfg["n_embd"], eps=cfg["layer_norm_epsilon"])
        nn.init.normal_(self.wte.weight, 0.0, 0.02)
        nn.init.normal_(self.wpe.weight, 0.0, 0.01)
        for b in self.h:  # GPT-2 scaled init of residual projections
            for p in (b.attn.c_proj.weight, b.mlp.c_proj.weight):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * cfg["n_layer"]))

    def forward(self, idx):
        T = idx.shape[1]
        pos = torch.arange(T, device=idx.device)
        x = self.drop(self.wte(idx) + self.wpe(pos)[None])
        for b in self.h:
            x = b(x)
        x = self.ln_f(x)
        return x @ self.wte.weight.t()  # lm_head tied to wte

    # ---- HF naming
    def hf_state(self):
        out = {"transformer.wte.weight": self.wte.weight, "transformer.wpe.weight": self.wpe.weight}
        for i, b in enumerate(self.h):
            p = f"transformer.h.{i}."
            out[p + "ln_1.weight"] = b.ln_1.weight
            out[p + "ln_1.bias"] = b.ln_1.bias
            out[p + "attn.c_attn.weight"] = b.attn.c_attn.weight
            out[p + "attn.c_attn.bias"] = b.attn.c_attn.bias
            out[p + "attn.c_proj.weight"] = b.attn.c_proj.weight
            out[p + "attn.c_proj.bias"] = b.attn.c_proj.bias
            out[p + "ln_2.weight"] = b.ln_2.weight
            out[p + "ln_2.bias"] = b.ln_2.bias
            out[p + "mlp.c_fc.weight"] = b.mlp.c_fc.weight
            out[p + "mlp.c_fc.bias"] = b.mlp.c_fc.bias
            out[p + "mlp.c_proj.weight"] = b.mlp.c_proj.weight
            out[p + "mlp.c_proj.bias"] = b.mlp.c_proj.bias
        out["transformer.ln_f.weight"] = self.ln_f.weight
        out["transformer.ln_f.bias"] = self.ln_f.bias
        return out

    def load_hf_state(self, tensors):
        with torch.no_grad():
            for k, p in self.hf_state().items():
                p.copy_(torch.from_numpy(np.ascontiguousarray(tensors[k])).to(p.dtype))


DT = {"F32": (np.float32, 4), "F16": (np.float16, 2)}


def save_safetensors(path, tensors, dtype="F32"):
    npdt, size = DT[dtype]
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    off = 0
    for name, t in tensors.items():
        a = t.detach().cpu().float().numpy().astype(npdt)
        b = np.ascontiguousarray(a).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    hj = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hj += b" " * ((8 - len(hj) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hj)))
        f.write(hj)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        npdt = {"F32": np.float32, "F16": np.float16}[info["dtype"]]
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[base + b:base + e], dtype=npdt).reshape(info["shape"]).astype(np.float32)
    return out
