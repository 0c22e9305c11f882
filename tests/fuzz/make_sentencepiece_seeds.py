#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_sentencepiece_model: two small real
SentencePiece models (BPE and unigram, byte fallback, no normalizer, so they
stay a few kB) trained by python3-sentencepiece. Deterministic.
Usage: /usr/bin/python3 tests/fuzz/make_sentencepiece_seeds.py
"""
import io
import os
import random

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(HERE, "corpus", "sentencepiece_model")


def field(number, payload):
    """A short length-delimited protobuf field."""
    return bytes([number << 3 | 2, len(payload)]) + payload


def main():
    rng = random.Random(7)
    words = "the cat sat on a mat 42 def main 猫 😀".split()
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 9))) for _ in range(500)]
    os.makedirs(FOLDER, exist_ok=True)
    for model_type in ("bpe", "unigram"):
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines), model_writer=model, model_type=model_type,
            vocab_size=300, byte_fallback=True, normalization_rule_name="identity",
            hard_vocab_limit=False, user_defined_symbols=["<sep>"], minloglevel=2, num_threads=1)
        with open(os.path.join(FOLDER, model_type), "wb") as f:
            f.write(model.getvalue())
    # The fuzzer's finding, kept: pieces "a" (score 0.0) and "" (libsentencepiece's
    # trie builder terminated the process on the empty piece).
    with open(os.path.join(FOLDER, "empty_piece_regression"), "wb") as f:
        f.write(field(1, field(1, b"a") + b"\x15\0\0\0\0") + field(1, field(1, b"")))


if __name__ == "__main__":
    main()
