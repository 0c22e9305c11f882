"""Table rows of bench/run_tokenizers.sh's results (make_table.py calls
tokenizer_rows): encode throughput of the Llama 3 and Gemma 3 tokenizers
against @lenml/tokenizers under node, and the Gemma 3 tokenizer's load time.
Alone: /usr/bin/python3 bench/tokenizer_table.py RESULTS_DIR"""
import json
import os
import sys

TOKENIZERS = (("llama3", "Llama 3 (128k BPE)"), ("gemma3", "Gemma 3 (262k BPE, byte fallback)"))


def _load(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def tokenizer_rows(t, folder, google_benchmarks, ms):
    """Adds the rows; returns the notes for the line under the table."""
    notes, reference = [], None
    for name, label in TOKENIZERS:
        ours_data = _load(folder, f"tokenizer_{name}.json")
        ref = _load(folder, f"tokenizer_reference_{name}.json")
        if ours_data is None or ref is None:
            continue
        reference = f"{ref['library']} under node {ref['node']}"
        ours = google_benchmarks(ours_data)
        encode, load = ours["BM_Encode"], ours["BM_Load"]
        mb = encode["text_bytes"] / 1e6
        ours_ms = encode["cpu_time"]  # the benchmarks report milliseconds
        ours_mbs, ref_mbs = mb / (ours_ms / 1e3), mb / (ref["encode_ms"] / 1e3)
        same = (int(encode["tokens"]) == ref["tokens"] and
                int(encode["ids_fnv1a"]) == ref["ids_fnv1a"])
        t.add(f"6. encode {mb:.1f} MB mixed English/code/CJK, {label}",
              f"{ours_mbs:.1f} MB/s ({ms(ours_ms)})", f"{ref_mbs:.2f} MB/s ({ms(ref['encode_ms'])})",
              f"{ours_mbs / ref_mbs:.1f}×", "≥ 10×", ours_mbs >= 10 * ref_mbs)
        notes.append(f"{label}: {int(encode['tokens'])} ids, "
                     + ("the same ids on both sides" if same else "**the ids differ from the reference's**"))
        if name == "gemma3":
            t.add(f"6. load the {label} tokenizer", ms(load["cpu_time"]), ms(ref["load_ms"]),
                  ms(load["cpu_time"]), "< 300 ms", load["cpu_time"] < 300)
    if notes:
        notes.insert(0, f"reference {reference}, CPU time (encode: best of 3)")
    return notes


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from make_table import Table, google_benchmarks, ms
    table = Table()
    lines = tokenizer_rows(table, sys.argv[1], google_benchmarks, ms)
    print(table.markdown())
    if lines:
        print()
        print("Tokenizers: " + "; ".join(lines) + ".")
