#!/usr/bin/python3
"""Train the byte-level BPE (GPT-2 scheme) on work/train.txt -> vocab.json, merges.txt;
then encode train/heldout into work/*.u16 token files for train.py."""
import argparse
import os
import sys
import time

import numpy as np

import bpe

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab-size", type=int, default=4096)
    a = ap.parse_args()
    t0 = time.time()
    text = open(os.path.join(HERE, "work/train.txt"), encoding="utf-8").read()
    docs = text.split(bpe.EOT)
    merges = bpe.train_bpe(docs, a.vocab_size, log=lambda m: print(f"[{time.time()-t0:.0f}s] {m}", file=sys.stderr))
    vocab = bpe.save_tokenizer(merges, HERE)
    print(f"vocab {len(vocab)} in {time.time()-t0:.0f}s", file=sys.stderr)
    tok = bpe.Tokenizer(HERE)
    for name, path in (("train", "work/train.txt"), ("heldout", "heldout.txt")):
        ids = tok.encode(open(os.path.join(HERE, path), encoding="utf-8").read())
        np.asarray(ids, dtype=np.uint16).tofile(os.path.join(HERE, f"work/{name}.u16"))
        print(f"{name}: {len(ids)} tokens [{time.time()-t0:.0f}s]", file=sys.stderr)


if __name__ == "__main__":
    main()
