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


# Models whose vocabulary is past 128k, by their published config.json shapes:
# the decode step each would take at the memory bound (BF16, tied head).
LARGE_VOCAB_MODELS = (
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
    node = {}
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
            t.add(f"6. decode step, {label}, {what} @128 vs memory bound", ms(row["cpu_ms"]),
                  f"{ms(bound)} ({mb:.0f} MB ÷ {gbs:.1f} GB/s)", f"{row['cpu_ms'] / bound:.2f}× bound",
                  "≤ 1.15×", row["cpu_ms"] <= 1.15 * bound)
        for b, row in ((1, one), (4, four)):
            torch_ms = ref[f"decode_step_b{b}_ms"]
            t.add(f"6. decode step, {label}, {b} seq. vs PyTorch eager (F32 compute)",
                  ms(row["cpu_ms"]), ms(torch_ms), f"{torch_ms / row['cpu_ms']:.1f}× faster",
                  "none; same run, same file", None)
        checks.append(f"{label}: max |Δlogit| {ref['max_abs_logit_diff']:.1e} "
                      f"(logits up to {ref['logit_scale']:.1f})")
        if tag == "llama-3.2-1b_bf16":
            step_1b, bandwidth = one["cpu_ms"], one["bandwidth_GB_per_s"] * 1e9
            for name, b in ours.items():
                if name.startswith("BM_NodeWork/"):
                    _, v, s = name.split("/")
                    node[(int(v), int(s))] = b["cpu_ms"]
                if name.startswith("BM_NodeSummary/"):
                    node[(int(name.split("/")[1]), "summary")] = b["cpu_ms"]
    if step_1b is not None and node:
        kinds = ((0, "greedy/beam node"), (1, "sampling node (T 0.7, top-p 0.9, min-p 0.05)"))
        kinds = kinds + (("summary", "of which log-sum-exp + order of the distribution"),)
        for s, kind in kinds:
            w = node[(128256, s)]
            part = s == "summary"  # a breakdown of the rows above, no target of its own
            t.add(f"7. per-node vocabulary work, {kind}, vocab 128,256, share of the 1B step",
                  ms(w), ms(step_1b), f"{100 * w / step_1b:.1f}%",
                  "none; part of the node" if part else "< 10%", None if part else w < 0.1 * step_1b)
        for name, vocab, params in LARGE_VOCAB_MODELS:
            step = 2 * params / bandwidth * 1e3  # BF16 weights at the measured bandwidth
            for s, kind in kinds:
                w = node[(vocab, s)]
                t.add(f"7. per-node vocabulary work, {kind}, vocab {vocab:,}, share of a "
                      f"{name} BF16 step at the memory bound", ms(w),
                      f"{ms(step)} ({2 * params / 1e6:.0f} MB)", f"{100 * w / step:.1f}%",
                      "none; part of the node" if s == "summary" else "< 10%",
                      None if s == "summary" else w < 0.1 * step)
    load = _load(folder, "family_load_llama-3.2-1b_bf16.json")
    if load is not None:
        t.add("8. load BF16 Llama-3.2-1B-shaped folder, warm page cache (best of 3)",
              f"{load['load_wall_s']:.2f} s", "—", f"{load['load_wall_s']:.2f} s", "< 3 s",
              load["load_wall_s"] < 3)
        t.add("8. resident size after that load (peak) vs the weights file",
              f"{load['rss_mb']:.0f} MB (peak {load['peak_rss_mb']:.0f} MB)",
              f"{load['file_mb']:.0f} MB", f"{load['peak_rss_mb'] / load['file_mb']:.2f}× file",
              "≈ 1× (no F32 copy)", load["peak_rss_mb"] < 1.25 * load["file_mb"])
    return checks
