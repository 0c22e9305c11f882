#!/usr/bin/env python3
"""Reference for SentencePiece tokenizer.model files: trains small models
with python3-sentencepiece (Google's trainer, not our code) on a generated
corpus, then encodes and decodes the given texts with them.

usage: sentencepiece_reference.py OUT_DIR TEXTS_JSON
TEXTS_JSON is a list of hex strings (the texts' bytes). Writes
OUT_DIR/<name>.model for every model below and prints
{"<name>": {"ids": [...], "ids_bos": [...], "decoded": [hex, ...]}, ...}.
"""
import io
import json
import random
import sys

import sentencepiece as spm

WORDS = (
    "the cat sat on a mat and then it ran to big red house where people lived happily "
    "ever after don't won't it's I'M YOU'RE 42 1234567 3.14 def return int main(void) "
    "printf(\"%d\\n\", x); if (a < b) { c += 1; } 我们 今天 去 北京 東京 タワー 서울 "
    "сегодня хорошо مرحبا بالعالم שלום café naïve Ωmega 🙂 👍🏽 🇩🇪"
).split(" ")

# Every model a Beamscope user may meet: Llama-like BPE (no normalizing,
# spaces kept, byte fallback), T5/Gemma-like unigram with NFKC, and the
# trainer's defaults with an unknown piece instead of byte fallback.
MODELS = {
    "bpe_llama_like": dict(model_type="bpe", vocab_size=500, byte_fallback=True,
                           normalization_rule_name="identity", remove_extra_whitespaces=False,
                           user_defined_symbols=["<sep>"], split_digits=True),
    "bpe_nfkc": dict(model_type="bpe", vocab_size=450, byte_fallback=True),
    "unigram_nfkc": dict(model_type="unigram", vocab_size=450, byte_fallback=True,
                         hard_vocab_limit=False, user_defined_symbols=["<sep>"]),
    "unigram_unk": dict(model_type="unigram", vocab_size=150, hard_vocab_limit=False,
                        character_coverage=0.98),
}


def corpus():
    rng = random.Random(20240611)
    lines = []
    for _ in range(3000):
        words = [rng.choice(WORDS) for _ in range(rng.randint(2, 14))]
        lines.append(rng.choice([" ", "  ", "\t", ""]).join(words))
    return lines


def main():
    out_dir, texts_file = sys.argv[1], sys.argv[2]
    texts = [bytes.fromhex(t) for t in json.load(open(texts_file))]
    lines = corpus()
    result = {}
    for name, options in MODELS.items():
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=model,
                                       minloglevel=2, num_threads=1, **options)
        with open(f"{out_dir}/{name}.model", "wb") as f:
            f.write(model.getvalue())
        sp = spm.SentencePieceProcessor(model_proto=model.getvalue())
        ids = [sp.encode(t) for t in texts]
        result[name] = {
            "ids": ids,
            "ids_bos": [sp.encode(t, add_bos=True) for t in texts],
            "decoded": [sp.decode(i).encode("utf-8").hex() for i in ids],
        }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
