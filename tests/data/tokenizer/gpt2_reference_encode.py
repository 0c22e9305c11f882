#!/usr/bin/python3
"""Independent reference for Beamscope's GPT-2 tokenizer tests.

Implements GPT-2's byte-level BPE as published with GPT-2 (encoder.py:
bytes_to_unicode, the pre-tokenizer pattern, and "merge the lowest-ranked
bigram, all its occurrences, until none is left"), plus HF's handling of the
special token <|endoftext|> (cut out before pre-tokenizing). It shares no code
with the C++ implementation and uses a different merge loop (GPT-2's, not a
heap).

Usage:
  gpt2_reference_encode.py VOCAB_DIR                 -> hard_cases.json on stdout
  gpt2_reference_encode.py VOCAB_DIR --texts IN.json -> {"ids": [[...], ...]}
VOCAB_DIR holds GPT-2's vocab.json and merges.txt. Needs the `regex` module
(Debian: python3-regex) for \\p{L} / \\p{N}.
"""
import json
import sys

import regex

PATTERN = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
SPECIAL = "<|endoftext|>"


def bytes_to_unicode():
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) +
                 list(range(ord("®"), ord("ÿ") + 1)))
    table = {}
    shifted = 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + shifted)
            shifted += 1
    return table


class Gpt2Reference:
    def __init__(self, vocab_dir):
        with open(f"{vocab_dir}/vocab.json", encoding="utf-8") as f:
            self.encoder = json.load(f)
        with open(f"{vocab_dir}/merges.txt", encoding="utf-8") as f:
            lines = [l for l in f.read().split("\n") if l and not l.startswith("#version")]
        self.ranks = {tuple(l.split(" ")): i for i, l in enumerate(lines)}
        self.byte_map = bytes_to_unicode()

    def bpe(self, word):
        parts = list(word)
        while len(parts) > 1:
            pairs = {(parts[i], parts[i + 1]) for i in range(len(parts) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(parts):
                if i + 1 < len(parts) and (parts[i], parts[i + 1]) == best:
                    merged.append(parts[i] + parts[i + 1])
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        return parts

    def encode_ordinary(self, text):
        ids = []
        for piece in PATTERN.findall(text):
            spelled = "".join(self.byte_map[b] for b in piece.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(spelled))
        return ids

    def encode(self, text):
        ids = []
        for i, chunk in enumerate(text.split(SPECIAL)):
            if i > 0:
                ids.append(self.encoder[SPECIAL])
            ids.extend(self.encode_ordinary(chunk))
        return ids


# Hard cases: each is (name, text). Chosen for what the pre-tokenizer and the
# byte-level mapping find hard.
HARD_CASES = [
    ("emoji", "I ❤️ pizza 🍕🍕!"),
    ("emoji_zwj_family", "family: 👨‍👩‍👧‍👦 and 🧑🏽‍💻"),
    ("emoji_flags", "flags 🇩🇪🇫🇷 🇯🇵"),
    ("emoji_skin_tones", "👍🏻👍🏿 wave👋🏽"),
    ("cjk", "我们今天去北京。東京タワー、서울"),
    ("combining_marks", "cafe\u0301 na\u0308ive Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f"),
    ("arabic", "مرحبا بالعالم، كيف حالك؟"),
    ("hebrew", "שלום עולם! מה שלומך?"),
    ("mixed_rtl_ltr", "abc שלום 123 مرحبا xyz"),
    ("spaces_runs", "a  b   c    d\t\te \t \tf"),
    ("newline_runs", "line1\n\nline2\n\n\n  line3 \n \n"),
    ("tabs_and_spaces", "\t\tindented\n    code();\n\t  mixed"),
    ("crlf", "windows\r\nline\r\n"),
    ("contractions_upper", "DON'T YOU'LL I'M WE'VE THEY'RE HE'D IT'S"),
    ("contractions_odd", "y'all it's' 'tis rock'n'roll o'clock ''s"),
    ("contractions_mixed_case", "It'S wE'Ll don'T"),
    ("long_digits", "12345678901234567890123456789012345678901234567890"),
    ("decimals", "3.14159 -2.5e10 1,000,000.00 0.0001%"),
    ("unicode_digits", "١٢٣ ٤٥٦ ०१२ ①②③ ½"),
    ("endoftext_middle", "Hello<|endoftext|>World <|endoftext|> again"),
    ("endoftext_adjacent", "<|endoftext|><|endoftext|>x<|endoftext|>"),
    ("endoftext_partial", "<|endoftext|<|endoftext|>|>"),
    ("trailing_spaces", "text ending in spaces   "),
    ("trailing_newlines", "text ending in newlines\n\n"),
    ("only_spaces", "     "),
    ("leading_spaces", "   leading"),
    ("punctuation_runs", "Wait...what?!?! (yes) [no] {maybe} <tag/> --flag=value"),
    ("code", "def f(x):\n    return x**2 + 1  # square\n"),
    ("url_email", "see https://example.com/a?b=c&d=e or mail me@example.org"),
    ("nbsp_and_unicode_spaces", "a\u00a0b\u2003c\u3000d\u205fe"),
    ("nel_whitespace", "a\u0085b \u0085 c"),
    # U+0085 is White_Space, so it does not join a punctuation run.
    ("nel_next_to_punctuation", "wow!\u0085?\u0085\u0085! end\u0085"),
    # U+180E is not White_Space (since Unicode 6.3) though PCRE2 counts it as \s.
    ("mongolian_vowel_separator", "a!\u180e?b \u180ea c\u180e\u180e"),
    ("zero_width", "zero\u200bwidth\u200djoiner\ufeffbom"),
    ("math_symbols", "∀x∈ℝ: x²≥0 ∑∫∂ √2 ≈ 1.414"),
    ("currency", "$5 €10 £20 ¥30 ₹40 ₿0.1"),
    ("greek_cyrillic", "Αλφα βήτα Привет мир"),
    ("thai_devanagari", "สวัสดีครับ नमस्ते दुनिया"),
    ("latin1_range", "Ä ö ü ß ñ ç ø å æ œ ÿ ¡ ¿ ¬ ® ­"),
    ("control_chars", "bell\x07 esc\x1b[0m del\x7f nul\x00end"),
    ("repeated_chars", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("long_word", "Pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism"),
    ("empty", ""),
    ("single_space", " "),
    ("apostrophe_variants", "don’t it‘s ‘quoted’ “double”"),
]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ref = Gpt2Reference(sys.argv[1])
    if len(sys.argv) == 4 and sys.argv[2] == "--texts":
        with open(sys.argv[3], encoding="utf-8") as f:
            texts = json.load(f)
        json.dump({"ids": [ref.encode(t) for t in texts]}, sys.stdout)
        return
    about = ("Expected GPT-2 ids from tests/data/tokenizer/gpt2_reference_encode.py (regex " +
             regex.__version__ + "); regenerate with it, do not edit by hand.")
    # One case per line keeps diffs readable.
    lines = [json.dumps({"name": n, "text": t, "ids": ref.encode(t)}) for n, t in HARD_CASES]
    sys.stdout.write('{"about": ' + json.dumps(about) + ',\n "cases": [\n  ' +
                     ",\n  ".join(lines) + "\n ]\n}\n")

if __name__ == "__main__":
    main()
