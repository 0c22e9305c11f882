#!/usr/bin/env python3
"""Independent reference for llama2.c's tokenizer.bin encoder, written from
its description (not from its code): read the pieces and scores, give every
UTF-8 character (grouped as llama2.c groups bytes: a non-continuation byte
starts a group, continuation bytes join it up to 4 bytes) its piece or its
<0xNN> byte pieces, after a dummy-prefix " " piece; then, as long as some
adjacent pair concatenates to a piece scored above -1e10, merge the
best-scored pair (the leftmost one on ties). Deliberately a plain scan for
the best pair after every merge, so it shares nothing with the C++ heap.

usage: llama2c_reference_encode.py TOKENIZER_BIN TEXTS_JSON
TEXTS_JSON is a list of hex strings (the texts' bytes); prints {"ids": [...]}.
"""
import json
import struct
import sys


def read_vocab(path):
    data = open(path, "rb").read()
    pieces, scores = [], []
    pos = 4
    while pos < len(data):
        score, length = struct.unpack_from("<fi", data, pos)
        pos += 8
        pieces.append(data[pos:pos + length])
        scores.append(score)
        pos += length
    lookup = {}
    for i, piece in enumerate(pieces):
        lookup.setdefault(piece, i)
    return pieces, scores, lookup


def groups(text):
    current = b""
    for i, byte in enumerate(text):
        if byte & 0xC0 != 0x80:
            current = b""
        current += bytes([byte])
        follows = i + 1 < len(text) and text[i + 1] & 0xC0 == 0x80
        if follows and len(current) < 4:
            continue
        yield current
        current = b""


def encode(text, pieces, scores, lookup):
    if not text:
        return []
    byte_id = {b: lookup[b"<0x%02X>" % b] for b in range(256)}
    ids = [lookup[b" "] if b" " in lookup else byte_id[0x20]]
    for group in groups(text):
        if group in lookup:
            ids.append(lookup[group])
        else:
            ids.extend(byte_id[b] for b in group)
    # best[i], merged[i]: the score and piece of merging ids[i] and ids[i + 1]
    # (-inf and None where they do not merge).
    def pair(i):
        piece = lookup.get(pieces[ids[i]] + pieces[ids[i + 1]])
        if piece is None or scores[piece] <= -1e10:
            return float("-inf"), None
        return scores[piece], piece

    best, merged = [], []
    for i in range(len(ids) - 1):
        score, piece = pair(i)
        best.append(score)
        merged.append(piece)
    while best and max(best) != float("-inf"):
        i = best.index(max(best))  # the leftmost of the best pairs
        ids[i:i + 2] = [merged[i]]
        del best[i], merged[i]
        for j in (i - 1, i):
            if 0 <= j < len(best):
                best[j], merged[j] = pair(j)
    return ids


def main():
    pieces, scores, lookup = read_vocab(sys.argv[1])
    texts = [bytes.fromhex(t) for t in json.load(open(sys.argv[2]))]
    json.dump({"ids": [encode(t, pieces, scores, lookup) for t in texts]}, sys.stdout)


if __name__ == "__main__":
    main()
