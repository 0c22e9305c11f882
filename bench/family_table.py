"""Table rows of bench/run_families.sh's results (make_table.py calls
family_rows): decode steps of real model shapes against the bandwidth bound
and PyTorch eager, the per-node work at large vocabularies as a share of a
step, and the load of a BF16 1B folder."""
import json
import os

MODELS = (("smollm2-135m_f32", "SmolLM2-135M shape, F32"),
          ("smollm2-135m_bf16", "SmolLM2-135M shape, BF16"),
          ("llama-3.2-1b_bf16", "Llama-3.2-1B shape (vocab 128,256), BF16"))


def llama_like_parameters(hidden, layers, inter, heads, kv_heads, head_dim, vocab, qk_norms=0,
                          norms=2, qkv_bias=False):
    """Parameters of a tied Llama-like model (what one decode step reads)."""
    attn = hidden * (2 * heads + 2 * kv_heads) * head_dim
    bias = (heads + 2 * kv_heads) * head_dim if qkv_bias else 0
    per_layer = attn + bias + 3 * hidden * inter + norms * hidden + qk_norms * head_dim
    return vocab * hidden + layers * per_layer + hidden


# Real models by their published config.json shapes, with the decode step
# each would take at the memory bound (BF16, tied head: every parameter read
# once): the per-node work is compared against these, the most demanding
# yardstick (a real step is slower than its bound).
VOCAB_MODELS = (
    ("SmolLM2-135M", 49152, llama_like_parameters(576, 30, 1536, 9, 3, 64, 49152)),
    ("Llama-3.2-1B", 128256, llama_like_parameters(2048, 16, 8192, 32, 8, 64, 128256)),
    ("Qwen2.5-0.5B", 151936, llama_like_parameters(896, 24, 4864, 14, 2, 64, 151936, qkv_bias=True)),
    ("Gemma-3-1B", 262144, llama_like_parameters(1152, 26, 6912, 4, 1, 256, 262144, 2, 4)),
    ("Gemma-3-270M", 262144, llama_like_parameters(640, 18, 2048, 4, 1, 256, 262144, 2, 4)),
)


def _load(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def family_rows(t, folder, google_benchmarks, ms):
    """Adds the rows when run_families.sh's files are there; returns the
    PyTorch check lines for the note under the table."""
    checks = []
    step_1b = None
    for tag, label in MODELS:
        raw = _load(folder, f"family_{tag}.json")
        ref = _load(folder, f"family_reference_{tag}.json")
        if raw is None or ref is None:
            continue
        ours = google_benchmarks(raw)
        one, four = ours["BM_DecodeStep/1"], ours["BM_DecodeStep/4"]
        bound, mb, gbs = one["bound_ms"], one["weight_MB"], one["bandwidth_GB_per_s"]
        for b, row in ((1, one), (4, four)):
            what = "1 sequence" if b == 1 else "4 beams"
            # Best step against the best bandwidth pass (both only ever slowed
            # by the neighbours); the mean beside it.
            step = row.get("best_cpu_ms", row["cpu_ms"])
            t.add(f"6. decode step, {label}, {what} @128 vs memory bound",
                  f"{ms(step)} (mean {ms(row['cpu_ms'])})",
                  f"{ms(bound)} ({mb:.0f} MB ÷ {gbs:.1f} GB/s)", f"{step / bound:.2f}× bound",
                  "≤ 1.15×", step <= 1.15 * bound)
        if "fma_bound_ms" in four:
            fma, step = four["fma_bound_ms"], four.get("best_cpu_ms", four["cpu_ms"])
            t.add(f"6. decode step, {label}, 4 beams @128 vs this core's F32 FMA peak", ms(step),
                  f"{ms(fma)} (4 rows' multiply-adds at {four['fma_GFLOP_per_s']:.0f} GFLOP/s)",
                  f"{step / fma:.2f}× bound",
                  f"none; the step's floor is the larger of this and the memory bound, "
                  f"{ms(max(fma, bound))}: {step / max(fma, bound):.2f}×", None)
        for b, row in ((1, one), (4, four)):
            torch_ms = ref[f"decode_step_b{b}_ms"]
            t.add(f"6. decode step, {label}, {b} seq. vs PyTorch eager (F32 compute)",
                  ms(row["cpu_ms"]), ms(torch_ms), f"{torch_ms / row['cpu_ms']:.1f}× faster",
                  "none; same run, same file", None)
        checks.append(f"{label}: max |Δlogit| {ref['max_abs_logit_diff']:.1e} "
                      f"(logits up to {ref['logit_scale']:.1f})")
        if tag == "llama-3.2-1b_bf16":
            step_1b = one["cpu_ms"]
    node_rows(t, folder, google_benchmarks, ms, step_1b)
    load = _load(folder, "family_load_llama-3.2-1b_bf16.json")
    if load is not None:
        t.add("8. load BF16 Llama-3.2-1B-shaped folder, warm page cache (best of 3)",
              f"{load['load_wall_s']:.2f} s", "—", f"{load['load_wall_s']:.2f} s", "< 3 s",
              load["load_wall_s"] < 3)
        t.add("8. resident size after that load vs the weights file (peak incl. the mapped file)",
              f"{load['rss_mb']:.0f} MB (peak {load['peak_rss_mb']:.0f} MB)",
              f"{load['file_mb']:.0f} MB", f"{load['rss_mb'] / load['file_mb']:.2f}× file",
              "≈ 1× (no F32 copy kept)", load["rss_mb"] < 1.25 * load["file_mb"])
    return checks


def node_rows(t, folder, google_benchmarks, ms, step_1b):
    """The decoder's per-node work that scales with the vocabulary, as a share
    of each real model's step at the memory bound (and of the measured
    Llama-3.2-1B-shaped step when there is one)."""
    raw = _load(folder, "family_nodes.json")
    if raw is None:
        return
    node = {}
    for name, b in google_benchmarks(raw).items():
        parts = name.split("/")
        if parts[0] == "BM_NodeWork":
            node[(int(parts[1]), int(parts[2]))] = b["cpu_ms"]
        elif parts[0] == "BM_NodeSummary":
            node[(int(parts[1]), "summary")] = b["cpu_ms"]
        elif parts[0] == "BM_MemoryBandwidth":
            bandwidth = b["GB_per_s"] * 1e9
    kinds = ((0, "greedy/beam node"), (1, "sampling node (T 0.7, top-p 0.9, min-p 0.05)"),
             ("summary", "of which log-sum-exp + order of the distribution"))
    for name, vocab, params in VOCAB_MODELS:
        step = 2 * params / bandwidth * 1e3
        for s, kind in kinds:
            w = node[(vocab, s)]
            part = s == "summary"  # a breakdown of the rows above, no target of its own
            t.add(f"7. per-node vocabulary work, {kind}, vocab {vocab:,}, share of a {name} BF16 "
                  f"step at the memory bound", ms(w), f"{ms(step)} ({2 * params / 1e6:.0f} MB)",
                  f"{100 * w / step:.1f}%", "none; part of the node" if part else "< 10%",
                  None if part else w < 0.1 * step)
    if step_1b is not None:
        for s, kind in kinds[:2]:
            w = node[(128256, s)]
            t.add(f"7. per-node vocabulary work, {kind}, vocab 128,256, share of the measured "
                  f"Llama-3.2-1B-shaped step", ms(w), ms(step_1b), f"{100 * w / step_1b:.1f}%",
                  "< 10%", w < 0.1 * step_1b)


def main():
    """The family rows alone (bench/run_families.sh run by itself)."""
    import sys

    import make_table
    t = make_table.Table()
    checks = family_rows(t, sys.argv[1], make_table.google_benchmarks, make_table.ms)
    print(t.markdown())
    if checks:
        print("\nSame weights, PyTorch widening BF16 to F32: " + "; ".join(checks) + ".")


if __name__ == "__main__":
    main()
