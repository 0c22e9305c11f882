"""The files of a model folder, written with our own few lines (no `safetensors`
package exists here, and a reference must not share code with the reader it
checks).

- safetensors: u64 little-endian header length, a JSON header padded with
  spaces to 8 bytes, then the tensors back to back (data laid out in reverse
  name order so the reader cannot lean on header order).
- sharded weights: model-0000k-of-0000n.safetensors plus
  model.safetensors.index.json ({"metadata": {"total_size"}, "weight_map"}),
  as Hugging Face's `save_pretrained` writes them.
- a GPT-2 style byte-level tokenizer (vocab.json + merges.txt) with exactly
  the model's vocabulary size, so any family's folder opens with `--prompt-ids`.
- llama2.c checkpoints (legacy version-0 header) and their tokenizer.bin.
"""
import json
import os
import struct

import torch


def round_to_storage(t, dtype):
    """The values the file will hold, as float64 (round to nearest even)."""
    if dtype == "F16":
        return t.half().double()
    if dtype == "BF16":
        return t.bfloat16().double()
    return t.float().double()


def tensor_bytes(t, dtype):
    if dtype == "F32":
        return t.float().contiguous().numpy().astype("<f4").tobytes()
    if dtype == "F16":
        return t.half().contiguous().numpy().astype("<f2").tobytes()
    # numpy has no bfloat16: the top 16 bits of the already-rounded float32.
    bits = t.bfloat16().float().contiguous().numpy().astype("<f4").view("<u4") >> 16
    return bits.astype("<u2").tobytes()


def write_safetensors(path, entries, made_by):
    """entries: list of (name, dtype, shape, raw bytes)."""
    header, blobs, offset = {}, [], 0
    for name, dtype, shape, raw in sorted(entries, key=lambda e: e[0], reverse=True):
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt", "made_by": made_by}
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    return offset


def write_weights(folder, weights, dtype, shards, made_by):
    """weights: ordered dict name -> float64 tensor (already storage-rounded).
    One model.safetensors, or `shards` files plus the index."""
    entries = [(name, dtype, tuple(t.shape), tensor_bytes(t, dtype)) for name, t in weights.items()]
    if shards <= 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), entries, made_by)
        return ["model.safetensors"]
    per_shard = -(-len(entries) // shards)
    files, weight_map, total = [], {}, 0
    for k in range(shards):
        part = entries[k * per_shard:(k + 1) * per_shard]
        name = f"model-{k + 1:05d}-of-{shards:05d}.safetensors"
        total += write_safetensors(os.path.join(folder, name), part, made_by)
        files.append(name)
        for entry in part:
            weight_map[entry[0]] = name
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    return files


def byte_to_unicode():
    """GPT-2's printable stand-ins for the 256 bytes (the published table,
    rebuilt from its rule: printable Latin-1 maps to itself, the rest to 256+n)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + \
        list(range(0xAE, 0xFF + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def write_byte_tokenizer(folder, vocab_size):
    """vocab.json + merges.txt with exactly vocab_size tokens: the 256 bytes,
    vocab_size - 257 merges of two lowercase letters, and <|endoftext|> last."""
    if vocab_size < 257:
        raise ValueError("a byte-level vocabulary needs at least 257 tokens")
    table = byte_to_unicode()
    vocab = {table[b]: b for b in range(256)}
    merges = ["#version: 0.2"]
    letters = "abcdefghijklmnopqrstuvwxyz"
    for n in range(vocab_size - 257):
        left, right = letters[n % 26], letters[(n // 26) % 26]
        if n >= 26 * 26:
            raise ValueError("vocabulary too large for two-letter merges")
        vocab[left + right] = 256 + n
        merges.append(left + " " + right)
    vocab["<|endoftext|>"] = vocab_size - 1
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(merges) + "\n")


def write_llama2c_checkpoint(path, c, w):
    """llama2.c `export.py` legacy format (version 0): 7 int32 header values,
    then float32 arrays in llama2.c's order; a negative vocab_size means an
    untied classifier follows the (skipped) RoPE tables."""
    L = c["n_layers"]
    vocab = c["vocab_size"] if c["tied"] else -c["vocab_size"]
    with open(path, "wb") as f:
        f.write(struct.pack("<7i", c["dim"], c["hidden_dim"], L, c["n_heads"], c["n_kv_heads"],
                            vocab, c["seq_len"]))

        def put(t):
            f.write(t.float().contiguous().numpy().astype("<f4").tobytes())

        put(w["tok_embeddings"])
        for key in ("attention_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w1", "w2", "w3"):
            for i in range(L):
                put(w[f"layers.{i}.{key}"])
        put(w["norm"])
        head_size = c["dim"] // c["n_heads"]
        # freq_cis_real and freq_cis_imag: readers must skip them (filled with
        # a value that would ruin the logits if used as weights).
        put(torch.full((2 * c["seq_len"] * head_size // 2,), 1e3))
        if not c["tied"]:
            put(w["output"])


def write_llama2c_tokenizer(path, vocab_size):
    """tokenizer.bin: int32 max_token_length, then per token float32 score,
    int32 length, bytes. <unk>, <s>, </s>, the 256 <0xNN> bytes, then pieces."""
    pieces = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    letters = "abcdefghijklmnopqrstuvwxyz"
    n = 0
    while len(pieces) < vocab_size:
        pieces.append(letters[n % 26] + letters[(n // 26) % 26])
        n += 1
    pieces = pieces[:vocab_size]
    encoded = [p.encode("utf-8") for p in pieces]
    with open(path, "wb") as f:
        f.write(struct.pack("<i", max(len(e) for e in encoded)))
        for k, e in enumerate(encoded):
            f.write(struct.pack("<fi", -float(k), len(e)))
            f.write(e)
