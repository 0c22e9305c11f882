#!/usr/bin/env python3
"""The markdown table of bench/run_llama_cpp.sh's results: per GGUF file,
decode and 128-token prefill tokens/s of ours and of llama.cpp (best
repetition over all passes), the ratio and the target (issues 15 and 18:
at least llama.cpp's tokens/s with the same threads). Two threads: wall-clock
(the target); one thread: process CPU time (what a loaded machine moves
least; no target of its own).

Usage: llama_cpp_table.py RESULTS_DIR [--compact]
  --compact   one row per file (the README's table): tokens/s ours / llama.cpp
"""
import glob
import json
import os
import sys

FILES = (("gpt2-small_f32", "GPT-2 small shape, F32"),
         ("gpt2-small_f16", "GPT-2 small shape, F16"),
         ("gpt2-small_q8_0", "GPT-2 small shape, Q8_0"),
         ("gpt2-small_q4_k_m", "GPT-2 small shape, Q4_K_M"),
         ("llama-3.2-1b_f16", "Llama-3.2-1B shape, F16"),
         ("llama-3.2-1b_q8_0", "Llama-3.2-1B shape, Q8_0"),
         ("llama-3.2-1b_q4_k_m", "Llama-3.2-1B shape, Q4_K_M"))
TOKENS = {"decode_ms": 1, "prefill_ms": 128}
LABELS = {"decode_ms": "decode step @128", "prefill_ms": "prefill 128 tokens"}


def best(results, side, tag, threads, key, field):
    """(least `field` ms, median wall ms of that pass) over the passes, or None."""
    found = []
    for path in glob.glob(os.path.join(results, f"llama_cpp_{side}_{tag}_t{threads}_*.json")):
        with open(path) as f:
            text = f.read().strip()
        if text:
            found.append(json.loads(text.splitlines()[-1])[key])
    if not found:
        return None
    top = min(found, key=lambda s: s[field])
    return top[field], top["median"]


def cell(measured, tokens, field):
    ms, median = measured
    extra = f"; median wall {median:.1f}" if field == "best" else " CPU"
    return f"{tokens * 1000 / ms:.1f} tok/s ({ms:.1f} ms{extra})"


def compact(results):
    print("| GGUF file | decode, 2 threads, wall | decode, 1 thread, CPU | prefill 128, 2 threads, wall "
          "| prefill 128, 1 thread, CPU |")
    print("|---|---|---|---|---|")
    for tag, label in FILES:
        cells = []
        for key, tokens in TOKENS.items():
            for threads, field in ((2, "best"), (1, "cpu_best")):
                ours = best(results, "ours", tag, threads, key, field)
                theirs = best(results, "theirs", tag, threads, key, field)
                if not ours or not theirs:
                    cells.append("—")
                    continue
                ratio = theirs[0] / ours[0]
                text = f"{tokens * 1000 / ours[0]:.1f} / {tokens * 1000 / theirs[0]:.1f} ({ratio:.2f}×)"
                cells.append(text if ratio >= 1.0 or threads == 1 else f"**{text}**")
        print(f"| {label} | " + " | ".join(cells[i] for i in (0, 1, 2, 3)) + " |")


def main():
    results = sys.argv[1]
    if "--compact" in sys.argv[2:]:
        compact(results)
        return
    with open(os.path.join(results, "llama_cpp_machine.json")) as f:
        machine = json.load(f)
    release = ""
    for path in glob.glob(os.path.join(results, "llama_cpp_theirs_*.json")):
        with open(path) as f:
            lines = f.read().strip().splitlines()
        if lines:
            release = json.loads(lines[-1]).get("llama_cpp", "")
    print("| GGUF file | measurement | threads, clock | ours | llama.cpp | ours ÷ llama.cpp "
          "(target ≥ 1.0× with 2 threads) | met? |")
    print("|---|---|---|---|---|---|---|")
    for tag, label in FILES:
        for key, tokens in TOKENS.items():
            for threads, field, clock in ((2, "best", "2, wall"), (1, "cpu_best", "1, CPU")):
                ours = best(results, "ours", tag, threads, key, field)
                theirs = best(results, "theirs", tag, threads, key, field)
                if not ours or not theirs:
                    continue
                ratio = theirs[0] / ours[0]
                met = ("yes" if ratio >= 1.0 else "**no**") if threads == 2 else "—"
                print(f"| {label} | {LABELS[key]} | {clock} | {cell(ours, tokens, field)} | "
                      f"{cell(theirs, tokens, field)} | {ratio:.2f}× | {met} |")
    print()
    print(f"{machine['cpu']}, {machine['cores']} cores; the same threads on both sides; "
          f"best repetition of {machine['passes']} alternating passes of ≈{machine['seconds']} s each; "
          f"load average {machine['load_before']} before, {machine['load_after']} after. "
          f"llama.cpp: {release} (node-llama-cpp 3.22.1, prebuilt CPU library).")


if __name__ == "__main__":
    main()
