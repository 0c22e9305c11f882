#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

Small valid files of every kind each reader takes, so the fuzzer starts from
inputs that reach deep into the checks instead of dying at the first byte.
Standard library only; deterministic (re-running rewrites identical files).
Usage: tests/fuzz/make_seeds.py [session.json made by beamscope-cli decode]
"""
import json
import os
import random
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, raw bytes) in data order."""
    header, offset, blobs = {}, 0, []
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the format pads the header to 8 bytes
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def floats(count, rng, fmt="f"):
    size = {"f": 4, "e": 2}[fmt]
    return b"".join(struct.pack("<" + fmt, rng.uniform(-0.1, 0.1)) for _ in range(count))[: count * size]


# The tiny config fuzz_safetensors.cpp loads weights for.
C, F, L, P, V = 8, 32, 1, 8, 16


def gpt2_tensors(prefix, fmt, dtype, rng, lm_head=False):
    shapes = [("wte.weight", [V, C]), ("wpe.weight", [P, C])]
    for i in range(L):
        h = f"h.{i}."
        shapes += [(h + "ln_1.weight", [C]), (h + "ln_1.bias", [C]),
                   (h + "attn.c_attn.weight", [C, 3 * C]), (h + "attn.c_attn.bias", [3 * C]),
                   (h + "attn.c_proj.weight", [C, C]), (h + "attn.c_proj.bias", [C]),
                   (h + "ln_2.weight", [C]), (h + "ln_2.bias", [C]),
                   (h + "mlp.c_fc.weight", [C, F]), (h + "mlp.c_fc.bias", [F]),
                   (h + "mlp.c_proj.weight", [F, C]), (h + "mlp.c_proj.bias", [C])]
    shapes += [("ln_f.weight", [C]), ("ln_f.bias", [C])]
    out = []
    for name, shape in shapes:
        n = 1
        for d in shape:
            n *= d
        out.append((prefix + name, dtype, shape, floats(n, rng, fmt)))
    if lm_head:
        out.append(("lm_head.weight", dtype, [V, C], floats(V * C, rng, fmt)))
    return sorted(out)


def safetensors_seeds():
    rng = random.Random(1)
    write("safetensors", "tiny_gpt2_f32", safetensors(gpt2_tensors("transformer.", "f", "F32", rng),
                                                      {"format": "pt"}))
    write("safetensors", "tiny_gpt2_f16_untied", safetensors(gpt2_tensors("", "e", "F16", rng, True)))
    write("safetensors", "empty_header", safetensors([]))
    bf16 = struct.pack("<4H", 0x3F80, 0xBF80, 0x7F80, 0x0001)
    write("safetensors", "mixed_dtypes", safetensors([
        ("a", "BF16", [2, 2], bf16), ("b", "I32", [1], struct.pack("<i", 7)),
        ("c", "F16", [0], b""), ("d", "BOOL", [3], b"\x00\x01\x00")]))


def config_seeds():
    base = {"model_type": "gpt2", "vocab_size": 4096, "n_positions": 256, "n_ctx": 256,
            "n_embd": 256, "n_layer": 4, "n_head": 4, "n_inner": None,
            "activation_function": "gelu_new", "layer_norm_epsilon": 1e-05,
            "scale_attn_weights": True, "tie_word_embeddings": True,
            "bos_token_id": 4095, "eos_token_id": 4095}
    write("gpt2_config", "bundled_like.json", json.dumps(base, indent=2))
    gpt2 = {"vocab_size": 50257, "n_ctx": 1024, "n_embd": 768, "n_layer": 12, "n_head": 12,
            "activation_function": "gelu", "n_inner": 3072, "add_cross_attention": False}
    write("gpt2_config", "gpt2_small.json", json.dumps(gpt2))
    write("gpt2_config", "minimal.json", '{"n_embd":8,"n_head":2,"n_layer":1,"n_positions":8,"vocab_size":16}')


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def tiny_tokenizer():
    """A byte-level BPE vocabulary: 256 byte tokens, a few merges, <|endoftext|>."""
    b2u = bytes_to_unicode()
    vocab = {b2u[b]: i for i, b in enumerate(range(256))}
    merges = []
    for left, right in [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("l", "l"), ("e", "ll"), ("H", "ell"),
                        ("Ġ", "w"), ("o", "r"), ("Ġw", "or")]:
        merges.append((left, right))
        vocab[left + right] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return vocab, merges


def tokenizer_seeds():
    vocab, merges = tiny_tokenizer()
    sep = "\n--8<--\n"
    merges_txt = "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges)
    config = {"eos_token": "<|endoftext|>", "bos_token": "<|endoftext|>",
              "added_tokens_decoder": {str(vocab["<|endoftext|>"]): {"content": "<|endoftext|>", "special": True}}}
    write("tokenizer_files", "vocab_merges", b"\x01" + (json.dumps(vocab) + sep + merges_txt).encode())
    write("tokenizer_files", "vocab_merges_config",
          b"\x01" + (json.dumps(vocab) + sep + merges_txt + sep + json.dumps(config)).encode())
    tj = {"version": "1.0",
          "added_tokens": [{"id": vocab["<|endoftext|>"], "content": "<|endoftext|>", "single_word": False,
                            "lstrip": False, "rstrip": False, "normalized": True, "special": True}],
          "normalizer": None,
          "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                            "use_regex": True},
          "decoder": {"type": "ByteLevel"},
          "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                    "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                    "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]}}
    write("tokenizer_files", "tokenizer_json_strings", b"\x00" + json.dumps(tj).encode())
    tj["model"]["merges"] = [[a, b] for a, b in merges]
    tj["pre_tokenizer"]["add_prefix_space"] = True
    write("tokenizer_files", "tokenizer_json_pairs", b"\x02" + json.dumps(tj).encode())
    # Llama 3 / Qwen style: a Split regex before a regex-less ByteLevel, a
    # NFC normalizer, ignore_merges, a TemplateProcessing BOS.
    tj["normalizer"] = {"type": "NFC"}
    tj["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": "(?i:'s|'t)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|\\s+(?!\\S)|\\s+"},
         "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "use_regex": False}]}
    tj["model"]["ignore_merges"] = True
    tj["post_processor"] = {"type": "TemplateProcessing",
                            "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}},
                                       {"Sequence": {"id": "A", "type_id": 0}}],
                            "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>",
                                                                 "ids": [vocab["<|endoftext|>"]]}}}
    write("tokenizer_files", "tokenizer_json_split_regex", b"\x04" + json.dumps(tj).encode())
    write("tokenizer_files", "tokenizer_json_hf_parts", b"\x06" + json.dumps(hf_parts_tokenizer()).encode()
          + b"\n--8<--\n" + json.dumps({"add_bos_token": True, "bos_token": "<s>",
                                         "clean_up_tokenization_spaces": True}).encode())
    write("tokenizer_files", "tokenizer_json_unigram", b"\x08" + json.dumps(unigram_tokenizer()).encode())


def hf_parts_tokenizer():
    """Llama 2 style: SentencePiece BPE with byte fallback, and one of each other part."""
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = 3 + b
    for piece in ["\u2581", "a", "b", "\u2581a", "\u2581ab", "1", "!"]:
        vocab[piece] = len(vocab)
    special = [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": i == 2,
                "normalized": False, "special": True} for i, c in enumerate(["<unk>", "<s>", "</s>"])]
    return {
        "added_tokens": special,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFKC"}, {"type": "Lowercase"}, {"type": "Strip", "strip_left": False, "strip_right": True},
            {"type": "Prepend", "prepend": "\u2581"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": True}, {"type": "Punctuation", "behavior": "Isolated"},
            {"type": "Split", "pattern": {"String": "\u2581"}, "behavior": "MergedWithNext", "invert": False}]},
        "post_processor": None,
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "}, {"type": "ByteFallback"},
            {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "fuse_unk": True, "byte_fallback": True,
                  "vocab": vocab, "merges": ["\u2581 a", "\u2581a b"]}}


def unigram_tokenizer():
    """A Unigram model behind Metaspace, WordLevel-free; byte fallback on."""
    pieces = [["<unk>", 0.0], ["\u2581", -1.0], ["a", -1.5], ["b", -2.0], ["ab", -2.5], ["\u2581a", -1.2]]
    pieces += [[f"<0x{b:02X}>", -20.0] for b in range(256)]
    return {"added_tokens": [], "normalizer": None,
            "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first",
                              "split": True},
            "post_processor": {"type": "BertProcessing", "cls": ["<unk>", 0], "sep": ["<unk>", 0]},
            "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first"},
            "model": {"type": "Unigram", "unk_id": 0, "byte_fallback": True, "vocab": pieces}}


def roundtrip_seeds():
    write("tokenizer_roundtrip", "english", "The cat sat on the mat. It's 42 o'clock!\n\n  Indented  text\t")
    write("tokenizer_roundtrip", "special", "<|endoftext|>Hello<|endoftext|><|endoftext")
    write("tokenizer_roundtrip", "unicode", "café naïve 日本語 🙂 Ωμέγα \u180e\u00a0x")
    write("tokenizer_roundtrip", "broken_utf8", b"\xff\xfe\xc3(\xe2\x82 \xf0\x9f\x98 ok \xed\xa0\x80")


def session_seeds(made_by_cli):
    if made_by_cli:
        shutil.copyfile(made_by_cli, os.path.join(CORPUS, "session", "cli_beam.json"))
    minimal = {"format": "beamscope-tree", "version": 1,
               "model": {"path": "m", "architecture": "gpt2", "vocab_size": 16},
               "params": {"strategy": "greedy", "max_new_tokens": 1},
               "prompt": {"text": "Hi", "ids": [1, 2]},
               "nodes": [{"id": 0, "parent": None, "step": 0, "status": "root"},
                         {"id": 1, "parent": 0, "step": 1, "token_id": 3, "text": "x", "logprob": -0.5,
                          "score_logprob": "-inf", "cum_logprob": -0.5, "cum_prob": 0.6, "rank": 0,
                          "status": "returned"}],
               "sequences": [{"node": 1, "token_ids": [3], "text": "x", "score": -0.5, "cum_logprob": -0.5}]}
    write("session", "minimal.json", json.dumps(minimal, indent=1))


def llama2c_tokenizer(extra):
    """A tokenizer.bin: <unk>, BOS, EOS, the 256 byte pieces, then `extra`
    (piece bytes, score) pairs."""
    pieces = [(b"<unk>", 0.0), (b"\n<s>\n", 0.0), (b"\n</s>\n", 0.0)]
    pieces += [(b"<0x%02X>" % b, 0.0) for b in range(256)] + extra
    out = struct.pack("<i", max(len(p) for p, _ in pieces))
    for piece, score in pieces:
        out += struct.pack("<fi", score, len(piece)) + piece
    return out


def llama2c_seeds():
    # fuzz_llama2c_tokenizer: the file, then the text, then the text's length.
    merges = [(b" ", 0.0), (b"a", 0.0), (b"b", 0.0), (b"ab", -1.0), (b" a", -2.0),
              ("\u732b".encode(), -0.5), (b" ab", -3.0), (b"ba", -1.0)]
    text = "a ab aba \u732b a\x80".encode("utf-8", "surrogateescape")
    write("llama2c_tokenizer", "small_vocab", llama2c_tokenizer(merges) + text + bytes([len(text)]))
    write("llama2c_tokenizer", "bytes_only", llama2c_tokenizer([]) + b"\x00")


if __name__ == "__main__":
    os.makedirs(os.path.join(CORPUS, "session"), exist_ok=True)
    safetensors_seeds()
    config_seeds()
    tokenizer_seeds()
    roundtrip_seeds()
    llama2c_seeds()
    session_seeds(sys.argv[1] if len(sys.argv) > 1 else None)
