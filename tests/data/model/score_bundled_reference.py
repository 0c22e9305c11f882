#!/usr/bin/env python3
"""Token ids and reference total log-prob of a text under a model folder, using
the bundled model's own PyTorch scorer (score_reference.py + bpe.py, which live
in that folder). Lets the C++ test check the engine and the scoring windows
without depending on the C++ tokenizer.

Usage: score_bundled_reference.py MODEL_DIR TEXT_FILE  -> JSON on stdout
"""
import json
import sys

import torch

folder, text_file = sys.argv[1], sys.argv[2]
sys.path.insert(0, folder)
import bpe  # noqa: E402  (the folder's tokenizer)
import score_reference  # noqa: E402

torch.set_num_threads(1)
model, cfg = score_reference.load(folder, torch.float64)
tok = bpe.Tokenizer(folder)
with open(text_file, encoding="utf-8", newline="") as f:
    ids = tok.encode(f.read())
total = score_reference.score(model, ids, tok.eot_id, cfg["n_positions"])
print(json.dumps({"ids": ids, "eos_id": tok.eot_id, "total_logprob": total}))
