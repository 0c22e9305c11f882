#!/usr/bin/env python3
"""Turns the JSON files bench/run.sh collected into the one markdown table
(ours | reference | ratio vs target | met?) and the machine line under it.

Usage: /usr/bin/python3 bench/make_table.py RESULTS_DIR
"""
import json
import os
import statistics
import sys

from family_table import family_rows
from tokenizer_table import tokenizer_rows


def load(folder, name):
    with open(os.path.join(folder, name)) as f:
        return json.load(f)


def google_benchmarks(data):
    """Google Benchmark JSON -> {name: benchmark dict}."""
    return {b["name"].split("/min_time")[0].split("/iterations")[0]: b for b in data["benchmarks"]}


class Table:
    def __init__(self):
        self.rows = []

    def add(self, what, ours, reference, ratio, target, met):
        verdict = "—" if met is None else ("yes" if met else "**no**")
        self.rows.append((what, ours, reference, f"{ratio} (target {target})", verdict))

    def markdown(self):
        head = ("measurement", "ours", "reference", "ratio (target)", "met?")
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def ms(v):
    return f"{v:.1f} ms" if v >= 1 else f"{v:.2f} ms"


def decode_rows(t, folder, dtype, label):
    ours = google_benchmarks(load(folder, f"decode_{dtype}.json"))
    ref = load(folder, f"reference_{dtype}.json")
    one, four = ours["BM_DecodeStep/1"], ours["BM_DecodeStep/4"]
    bound, mb, gbs = one["bound_ms"], one["weight_MB"], one["bandwidth_GB_per_s"]
    t.add(f"1. decode step, {label}, 1 sequence @128 vs memory bound",
          ms(one["cpu_ms"]), f"{ms(bound)} ({mb:.0f} MB ÷ {gbs:.1f} GB/s)",
          f"{one['cpu_ms'] / bound:.2f}× bound", "≤ 1.15×", one["cpu_ms"] <= 1.15 * bound)
    t.add(f"1. decode step, {label}, 4 beams vs 1 sequence",
          ms(four["cpu_ms"]), ms(one["cpu_ms"]),
          f"{four['cpu_ms'] / one['cpu_ms']:.2f}×", "≤ 1.3×", four["cpu_ms"] <= 1.3 * one["cpu_ms"])
    if four["fma_bound_ms"] > bound:
        # Halves stream faster than 4 rows of F32 FMAs can be done: say so.
        t.add(f"1. decode step, {label}, 4 beams vs this core's F32 FMA peak",
              ms(four["cpu_ms"]), f"{ms(four['fma_bound_ms'])} (4 rows' multiply-adds at the FMA peak)",
              f"{four['cpu_ms'] / four['fma_bound_ms']:.2f}× bound",
              f"none; more than the {ms(bound)} memory bound", None)
    for b, row in ((1, one), (4, four)):
        torch_ms = ref[f"decode_step_b{b}_ms"]
        t.add(f"1. decode step, {label}, {b} seq. vs PyTorch eager",
              ms(row["cpu_ms"]), ms(torch_ms), f"{torch_ms / row['cpu_ms']:.1f}× faster", "≥ 3×",
              torch_ms >= 3 * row["cpu_ms"])
    allocs = max(one["allocs_per_step"], four["allocs_per_step"])
    t.add(f"1. heap allocations per decode step, {label}", f"{allocs:g}", "—", f"{allocs:g}", "0",
          allocs == 0)
    return ours, ref


def main():
    folder = sys.argv[1]
    t = Table()
    ours32, ref32 = decode_rows(t, folder, "f32", "F32")
    decode_rows(t, folder, "f16", "F16 (held as halves)")

    p = ours32["BM_Prefill128"]
    prefill, torch_prefill = p["cpu_ms"], ref32["prefill128_ms"]
    t.add("2. prefill 128 tokens, F32, vs PyTorch eager", ms(prefill), ms(torch_prefill),
          f"{torch_prefill / prefill:.2f}× faster", "≥ 2×", torch_prefill >= 2 * prefill)
    # What one core can do at all: the prefill's FLOPs at its measured F32 FMA peak.
    peak = ours32["BM_FmaPeak"]["GFLOP_per_s"]
    bound = p["fma_bound_ms"]
    t.add("2. prefill 128 tokens, F32, vs this core's F32 FMA peak", ms(prefill),
          f"{ms(bound)} ({p['gflop']:.1f} GFLOP ÷ {peak:.0f} GFLOP/s)",
          f"{prefill / bound:.2f}× bound",
          f"none; 2× PyTorch = {ms(torch_prefill / 2)} is {bound / (torch_prefill / 2):.2f}× the peak",
          None)

    ui = load(folder, "tree_ui.json")
    for key, label in (("temperature", "temperature 1.0↔0.7"), ("min_p", "min-p 0↔0.05"),
                       ("beam_width", "beam width 14↔10")):
        nodes = int(ui[f"change_{key}_nodes"])
        misses = int(ui[f"change_{key}_model_misses"])
        for stage in ("ready", "drawn"):
            v = ui[f"change_{key}_{stage}_ms"]
            t.add(f"3. {label} on a cached {nodes}-node tree → tree {stage}"
                  + (f" ({misses} model calls)" if stage == "ready" else ""),
                  ms(v), "—", ms(v), "≤ 16 ms", v <= 16)

    nodes = int(ui["big_nodes"])
    build = ui["big_scene_build_ms"]
    t.add(f"4. layout + scene build, {nodes}-node tree (layout alone {ms(ui['big_layout_ms'])})",
          ms(build), "—", ms(build), "≤ 100 ms", build <= 100)
    t.add(f"4. first full paint of the {nodes}-node tree", ms(ui["big_first_paint_ms"]), "—",
          ms(ui["big_first_paint_ms"]), "≤ 16 ms", ui["big_first_paint_ms"] <= 16)
    for where, label in (("fit", "whole tree in view"), ("1to1", "zoom 1:1")):
        for move in ("pan", "zoom"):
            med, p95 = ui[f"{move}_{where}_median_ms"], ui[f"{move}_{where}_p95_ms"]
            t.add(f"4. {move} frame, {label} (median; p95 {ms(p95)})", ms(med), "—", ms(med),
                  "≤ 16 ms", med <= 16)

    family_checks = family_rows(t, folder, google_benchmarks, ms)

    cold = load(folder, "cold_start.json")["ms"]
    c = statistics.median(cold)
    t.add(f"5. cold start → first tree drawn (median of {len(cold)}; "
          f"{min(cold):.0f}–{max(cold):.0f} ms)", f"{c:.0f} ms", "—", f"{c:.0f} ms", "≤ 1000 ms",
          c <= 1000)
    tokenizer_notes = tokenizer_rows(t, folder, google_benchmarks, ms)

    print(t.markdown())
    m = load(folder, "machine.json")
    check = ref32.get("max_abs_logit_diff")
    print()
    print(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']:.0f} GB RAM; {m['compiler']}, "
          f"{m['flags']}; PyTorch {ref32['torch']} ({m['blas']}). "
          f"Both sides single-threaded ({ref32['threads']} thread), CPU time of the timed thread/process. "
          f"Same weights: both load {m['model_file']}; max |Δlogit| ours vs PyTorch = {check:.1e} "
          f"(logits up to {ref32['logit_scale']:.1f}).")
    if family_checks:
        print()
        print("Model families: both sides load build-bench/family-models/<shape>/<dtype>/model.safetensors "
              "(random weights, bench/make_family_bench_models.py); PyTorch widens BF16 to F32; "
              + "; ".join(family_checks) + ".")
    if tokenizer_notes:
        print()
        print("Tokenizers: both sides encode the same 1 MB file (bench/make_tokenizer_bench_text.py) with the "
              "tokenizer.json fetched from npm (tests/fetch-test-data.sh), no special tokens added; "
              + "; ".join(tokenizer_notes) + ".")


if __name__ == "__main__":
    main()
