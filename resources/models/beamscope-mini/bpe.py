"""Byte-level BPE in GPT-2's exact scheme (training + encoding + decoding).

Pre-tokenizer regex, bytes_to_unicode table and the "merge the lowest-rank pair first" encoding rule
are the ones used by OpenAI's GPT-2 encoder.py / Hugging Face GPT2Tokenizer.
`<|endoftext|>` is a special token matched before pre-tokenizing; it gets the last id.
"""
import heapq
import json
from collections import Counter, defaultdict

import regex as re

EOT = "<|endoftext|>"
PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENC = bytes_to_unicode()
BYTE_DEC = {v: k for k, v in BYTE_ENC.items()}


def to_units(s):
    return "".join(BYTE_ENC[b] for b in s.encode("utf-8"))


def split_special(text):
    """Split text on <|endoftext|>; yields (is_special, piece)."""
    parts = text.split(EOT)
    for i, p in enumerate(parts):
        if p:
            yield False, p
        if i < len(parts) - 1:
            yield True, EOT


def train_bpe(texts, vocab_size, log=print):
    """texts: iterable of strings (no special tokens inside). Returns list of merges (a, b)."""
    wc = Counter()
    for t in texts:
        wc.update(PAT.findall(t))
    words = []
    freqs = []
    for w, c in sorted(wc.items()):
        words.append(list(to_units(w)))
        freqs.append(c)
    log(f"bpe: {len(words)} unique pre-tokens")
    pair_cnt = defaultdict(int)
    where = defaultdict(set)
    for i, w in enumerate(words):
        f = freqs[i]
        for a, b in zip(w, w[1:]):
            pair_cnt[(a, b)] += f
            where[(a, b)].add(i)
    heap = [(-c, p) for p, c in pair_cnt.items()]
    heapq.heapify(heap)
    n_merges = vocab_size - 256 - 1
    merges = []
    while len(merges) < n_merges and heap:
        negc, p = heapq.heappop(heap)
        c = pair_cnt.get(p, 0)
        if c <= 0:
            continue
        if -negc != c:
            heapq.heappush(heap, (-c, p))
            continue
        a, b = p
        ab = a + b
        merges.append(p)
        changed = {}
        for i in list(where[p]):
            w = words[i]
            f = freqs[i]
            # remove old pairs of this word
            for x, y in zip(w, w[1:]):
                pair_cnt[(x, y)] -= f
                changed[(x, y)] = 1
            nw = []
            j = 0
            L = len(w)
            while j < L:
                if j < L - 1 and w[j] == a and w[j + 1] == b:
                    nw.append(ab)
                    j += 2
                else:
                    nw.append(w[j])
                    j += 1
            words[i] = nw
            for x, y in zip(nw, nw[1:]):
                pair_cnt[(x, y)] += f
                where[(x, y)].add(i)
                changed[(x, y)] = 1
        del where[p]
        pair_cnt.pop(p, None)
        for q in changed:
            if q == p:
                continue
            cq = pair_cnt.get(q, 0)
            if cq > 0:
                heapq.heappush(heap, (-cq, q))
            else:
                pair_cnt.pop(q, None)
        if len(merges) % 500 == 0:
            log(f"bpe: {len(merges)} merges, last {a!r}+{b!r} count {c}")
    return merges


def save_tokenizer(merges, folder):
    vocab = {}
    for b in range(256):
        vocab[BYTE_ENC[b]] = len(vocab)
    # GPT-2 orders the 256 byte tokens by the bs list order; we use plain byte order 0..255
    for a, b in merges:
        vocab[a + b] = len(vocab)
    vocab[EOT] = len(vocab)
    with open(f"{folder}/vocab.json", "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(f"{folder}/merges.txt", "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")
    return vocab


class Tokenizer:
    def __init__(self, folder):
        with open(f"{folder}/vocab.json", encoding="utf-8") as f:
            self.encoder = json.load(f)
        self.decoder = {v: k for k, v in self.encoder.items()}
        with open(f"{folder}/merges.txt", encoding="utf-8") as f:
            lines = f.read().split("\n")
        assert lines[0].startswith("#version")
        merges = [tuple(l.split(" ")) for l in lines[1:] if l]
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.eot_id = self.encoder[EOT]
        self.cache = {}

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = list(token)
        while len(word) > 1:
            best = None
            br = None
            for p in zip(word, word[1:]):
                r = self.ranks.get(p)
                if r is not None and (br is None or r < br):
                    br, best = r, p
            if best is None:
                break
            a, b = best
            nw = []
            i = 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == a and word[i + 1] == b:
                    nw.append(a + b)
                    i += 2
                else:
                    nw.append(word[i])
                    i += 1
            word = nw
        ids = [self.encoder[w] for w in word]
        self.cache[token] = ids
        return ids

    def encode(self, text):
        """GPT-2 encoding; the literal string <|endoftext|> becomes the special id."""
        out = []
        for special, piece in split_special(text):
            if special:
                out.append(self.eot_id)
            else:
                for t in PAT.findall(piece):
                    out.extend(self.bpe(to_units(t)))
        return out

    def decode(self, ids):
        s = "".join(self.decoder[i] for i in ids)
        # every character of "<|endoftext|>" is a printable byte, so this maps it back literally
        return bytearray(BYTE_DEC[c] for c in s).decode("utf-8", errors="replace")
