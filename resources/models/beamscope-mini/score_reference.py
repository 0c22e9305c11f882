#!/usr/bin/python3
"""PyTorch reference scorer for a GPT-2 folder (the target for `beamscope-cli score`).

Loads config.json, model.safetensors (parsed by hand), vocab.json and merges.txt from --model and
prints {"tokens", "total_logprob", "bits_per_byte", ...} for --text-file.

Exact definition (what the C++ engine must reproduce):
  * The file is read as UTF-8, unchanged (no strip, no newline added). It is a sequence of documents
    separated/terminated by the literal string "<|endoftext|>", which encodes to the special EOS id
    (matched before pre-tokenizing); everything else is encoded with GPT-2's byte-level BPE rule
    (regex pre-tokens, repeatedly merge the lowest-rank pair).
  * ids = encode(file). The scored sequence is S = [EOS] + ids: the first token of the text is scored with
    the single-token context <|endoftext|>, and EVERY token of the text is scored, including the EOS
    tokens that appear in the text. "tokens" = len(ids).
  * S is cut into windows: for s = 0, P, 2P, ... (P = n_positions) the model reads S[s : s+P] (a fresh
    context, positions 0..) and scores the next tokens S[s+1 : s+P+1]. Each text token is scored exactly
    once; context does not carry over between windows, but inside a window it runs across documents.
  * total_logprob = sum of natural-log log-softmax probabilities of the scored tokens (computed in float64
    by default; --dtype float32 mimics an F32 engine).
  * bits_per_byte = -total_logprob / ln 2 / bytes, where bytes = number of UTF-8 bytes of the file with
    the "<|endoftext|>" markers removed (the document text). file_bytes (markers included) is printed too.
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bpe  # noqa: E402
from model import GPT2, load_safetensors  # noqa: E402


def load(folder, dtype):
    with open(os.path.join(folder, "config.json")) as f:
        c = json.load(f)
    cfg = dict(vocab_size=c["vocab_size"], n_positions=c["n_positions"], n_embd=c["n_embd"], n_layer=c["n_layer"],
               n_head=c["n_head"], layer_norm_epsilon=c.get("layer_norm_epsilon", 1e-5), dropout=0.0)
    assert c.get("activation_function", "gelu_new") == "gelu_new"
    model = GPT2(cfg)
    t = load_safetensors(os.path.join(folder, "model.safetensors"))
    t = {(k if k.startswith("transformer.") else "transformer." + k): v for k, v in t.items()}
    model.load_hf_state(t)
    model.eval()
    return model.to(dtype), cfg


def score(model, ids, eos, P):
    S = torch.tensor([eos] + ids, dtype=torch.long)
    total = 0.0
    n = 0
    with torch.no_grad():
        for s in range(0, len(S) - 1, P):
            x = S[s:s + P]
            y = S[s + 1:s + P + 1]
            x = x[:len(y)]
            lp = F.log_softmax(model(x[None])[0].double(), dim=-1)
            total += lp.gather(1, y[:, None]).sum().item()
            n += len(y)
    assert n == len(ids)
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=HERE)
    ap.add_argument("--text-file", required=True)
    ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, cfg = load(a.model, torch.float64 if a.dtype == "float64" else torch.float32)
    tok = bpe.Tokenizer(a.model)
    with open(a.text_file, encoding="utf-8", newline="") as f:
        text = f.read()
    ids = tok.encode(text)
    total = score(model, ids, tok.eot_id, cfg["n_positions"])
    nbytes = len(text.replace(bpe.EOT, "").encode("utf-8"))
    print(json.dumps({"tokens": len(ids), "total_logprob": total,
                      "bits_per_byte": -total / math.log(2) / nbytes, "bytes": nbytes,
                      "file_bytes": len(text.encode("utf-8")), "nll_per_token": -total / len(ids),
                      "eos_id": tok.eot_id, "n_positions": cfg["n_positions"], "dtype": a.dtype}))


if __name__ == "__main__":
    main()
