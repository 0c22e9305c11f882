#!/usr/bin/env python3
"""Writes the tokenizer benchmark's input: about 1 MB of mixed English prose,
C++/Python code and CJK text (with some digits, emoji and whitespace runs),
deterministic, so ours and the reference encode the very same bytes.

Usage: /usr/bin/python3 bench/make_tokenizer_bench_text.py OUT_FILE [BYTES]
"""
import random
import sys

ENGLISH = ("the of and to in is was that for it with as model token beam search sampling "
           "probability don't we'll Cambridge students lecture 1984 3.5 running quickly "
           "although however because").split()
CODE = [
    "for (int i = 0; i < n; ++i) {\n    sum += values[i] * weights[i];\n}\n",
    "def softmax(x):\n    e = np.exp(x - x.max())\n    return e / e.sum()\n",
    "if (!file.is_open()) throw std::runtime_error(\"cannot open \" + path);\n",
    "    return {\"ids\": ids, \"tokens\": [vocab[i] for i in ids]}\n",
    "#include <vector>\n#include <string>\n\n",
]
CJK = ["我们今天去北京。", "東京タワーに行きました。", "서울은 아름다운 도시입니다. ",
       "机器学习模型生成文本。", "日本語の文章を書いています。"]
OTHER = ["🙂 ", "👨‍👩‍👧 ", "12345678 ", "\t\t", "\n\n", "   ", "café naïve ", "Привет мир. "]


def main():
    out, size = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    rng = random.Random(2024)
    parts, total = [], 0
    while total < size:
        kind = rng.random()
        if kind < 0.55:
            words = [rng.choice(ENGLISH) for _ in range(rng.randint(5, 25))]
            piece = " ".join(words).capitalize() + rng.choice([". ", ".\n", "? ", "! "])
        elif kind < 0.75:
            piece = rng.choice(CODE)
        elif kind < 0.93:
            piece = "".join(rng.choice(CJK) for _ in range(rng.randint(1, 4)))
        else:
            piece = rng.choice(OTHER)
        parts.append(piece)
        total += len(piece.encode("utf-8"))
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(parts))


if __name__ == "__main__":
    main()
