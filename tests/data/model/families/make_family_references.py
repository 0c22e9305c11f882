#!/usr/bin/env python3
"""Random model folders of every family Beamscope opens, and what an
independent implementation says their next-token log-probs are.

Usage: make_family_references.py OUT_DIR [case ...]

For each case OUT_DIR/<name>/ gets the files a Hugging Face checkpoint has
(config.json, model.safetensors or shards + index, a vocab.json/merges.txt
tokenizer of the right size) — or, for llama2.c cases, model.bin +
tokenizer.bin — and OUT_DIR/<name>.expected.json holds:
  prompts: [{ids, logprobs [V]}]   next-token log-softmax after each prompt
  greedy:  {prompt, steps: [{token, logprob, top_ids [5], top_logprobs [5]}]}
OUT_DIR/cases.json lists the cases with their family.

The math (hf_math.py) runs in float64 on the values the files store
(F16/BF16 weights are rounded first, as the file holds them).
"""
import json
import math
import os
import sys

import torch

import family_files
import hf_math

# Small, odd sizes: hidden 48 with 3 heads and 1 KV head, head_dim that is not
# hidden/heads, untied and tied heads, every storage dtype, shards, rope
# scaling, windows shorter than the prompts.
CASES = [
    dict(name="llama_f32_tied_gqa", family="llama", dtype="F32", hidden=48, heads=3, kv_heads=1,
         layers=2, inter=72, vocab=263, ctx=64, tied=True, seed=1),
    dict(name="llama_bf16_sharded_llama3", family="llama", dtype="BF16", hidden=64, heads=4,
         kv_heads=2, layers=3, inter=96, vocab=300, ctx=64, tied=False, shards=3, seed=2,
         rope_theta=500000.0,
         rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                       "high_freq_factor": 4.0, "original_max_position_embeddings": 32}),
    dict(name="llama_f16_linear_mha", family="llama", dtype="F16", hidden=40, heads=5, kv_heads=5,
         layers=2, inter=56, vocab=271, ctx=48, tied=False, seed=3, eps=1e-6,
         rope_scaling={"rope_type": "linear", "factor": 2.0}),
    dict(name="mistral_f32_window", family="mistral", dtype="F32", hidden=32, heads=4, kv_heads=2,
         layers=2, inter=64, vocab=257, ctx=64, tied=False, seed=4, sliding_window=5),
    dict(name="qwen2_bf16_bias", family="qwen2", dtype="BF16", hidden=48, heads=3, kv_heads=1,
         layers=2, inter=80, vocab=281, ctx=64, tied=True, seed=5, eps=1e-6, rope_theta=1e6,
         sliding_window=4),  # use_sliding_window false: the window must not apply
    dict(name="qwen3_f32_head_dim", family="qwen3", dtype="F32", hidden=48, heads=4, kv_heads=2,
         head_dim=20, layers=2, inter=64, vocab=263, ctx=64, tied=True, seed=6, eps=1e-6,
         rope_theta=1e6),
    dict(name="qwen3_f16_sharded_untied", family="qwen3", dtype="F16", hidden=32, heads=2,
         kv_heads=1, head_dim=24, layers=2, inter=48, vocab=259, ctx=32, tied=False, shards=2,
         seed=7, eps=1e-6),
    dict(name="gemma3_f32_window_softcap", family="gemma3_text", dtype="F32", hidden=48, heads=3,
         kv_heads=1, head_dim=32, layers=3, inter=72, vocab=263, ctx=64, tied=True, seed=8,
         eps=1e-6, sliding_window=4, query_pre_attn_scalar=24, final_logit_softcapping=5.0,
         rope_theta=1e6, rope_local_base_freq=1e4,
         layer_types=["sliding_attention", "sliding_attention", "full_attention"]),
    dict(name="gemma3_bf16_sharded_linear", family="gemma3_text", dtype="BF16", hidden=32,
         heads=2, kv_heads=1, head_dim=16, layers=2, inter=64, vocab=270, ctx=64, tied=True,
         shards=2, seed=9, eps=1e-6, sliding_window=3, query_pre_attn_scalar=16,
         final_logit_softcapping=None, rope_theta=1e6, rope_local_base_freq=1e4,
         rope_scaling={"rope_type": "linear", "factor": 8.0},
         layer_types=["sliding_attention", "full_attention"]),
    # Gemma 2 (modeling_gemma2.py): Gemma 3 without q/k norms, one rope base for
    # every layer, attention-score soft-capping; its config.json has no
    # layer_types (sliding, full, sliding, ... by default).
    dict(name="gemma2_bf16_capped", family="gemma2", dtype="BF16", hidden=48, heads=3,
         kv_heads=1, head_dim=24, layers=3, inter=64, vocab=261, ctx=64, tied=True, seed=15,
         eps=1e-6, sliding_window=4, query_pre_attn_scalar=20, attn_logit_softcapping=1.5,
         final_logit_softcapping=6.0, rope_theta=1e4,
         layer_types=["sliding_attention", "full_attention", "sliding_attention"]),
    dict(name="neox_f16_parallel", family="gpt_neox", dtype="F16", hidden=48, heads=3, layers=2,
         inter=192, vocab=263, ctx=64, tied=False, seed=10, rotary_pct=0.25,
         parallel_residual=True),
    dict(name="neox_f32_sequential", family="gpt_neox", dtype="F32", hidden=40, heads=5, layers=2,
         inter=80, vocab=259, ctx=32, tied=False, seed=11, rotary_pct=0.5,
         parallel_residual=False, rope_theta=1000.0),
    dict(name="gpt2_f16_untied", family="gpt2", dtype="F16", hidden=48, heads=3, layers=2,
         inter=192, vocab=263, ctx=64, tied=False, seed=14),
    dict(name="llama2c_untied", family="llama2c", dtype="F32", hidden=48, heads=4, kv_heads=2,
         layers=2, inter=76, vocab=300, ctx=40, tied=False, seed=12),
    dict(name="llama2c_tied", family="llama2c", dtype="F32", hidden=32, heads=4, kv_heads=4,
         layers=2, inter=64, vocab=280, ctx=32, tied=True, seed=13),
]

ARCHITECTURES = {"gpt2": "GPT2LMHeadModel", "llama": "LlamaForCausalLM", "mistral": "MistralForCausalLM",
                 "qwen2": "Qwen2ForCausalLM", "qwen3": "Qwen3ForCausalLM",
                 "gemma3_text": "Gemma3ForCausalLM", "gemma2": "Gemma2ForCausalLM",
                 "gpt_neox": "GPTNeoXForCausalLM"}


def settle(c):
    """Fill the derived fields the math reads."""
    c = dict(c)
    c.setdefault("kv_heads", c["heads"])
    c.setdefault("head_dim", c["hidden"] // c["heads"])
    c.setdefault("eps", 1e-5)
    c.setdefault("rope_theta", 10000.0)
    c.setdefault("shards", 1)
    c["act"] = {"gemma3_text": "gelu_pytorch_tanh", "gemma2": "gelu_pytorch_tanh", "gpt_neox": "gelu",
                "gpt2": "gelu_new"}.get(c["family"], "silu")
    windowed = c["family"] == "mistral"
    c.setdefault("layer_types", ["sliding_attention" if windowed else "full_attention"] * c["layers"])
    if c["family"] == "llama2c":
        c["rope"] = "interleaved"
    return c


def random_weights(c):
    """HF tensor names -> float64 tensors, rounded to the storage dtype."""
    g = torch.Generator().manual_seed(c["seed"])
    C, V, F, H, Hkv, d = c["hidden"], c["vocab"], c["inter"], c["heads"], c["kv_heads"], c["head_dim"]
    gemma = c["family"] in ("gemma3_text", "gemma2")
    w = {}

    def mat(name, rows, cols):  # nn.Linear [out, in], activations stay O(1)
        w[name] = torch.randn((rows, cols), generator=g, dtype=torch.float64) / math.sqrt(cols)

    def norm(name, n):  # Gemma's (1 + w) norms are stored around 0
        w[name] = (0.0 if gemma else 1.0) + 0.2 * torch.randn((n,), generator=g, dtype=torch.float64)

    def bias(name, n):
        w[name] = 0.1 * torch.randn((n,), generator=g, dtype=torch.float64)

    if c["family"] == "gpt2":  # Conv1D weights are stored [in, out]
        w["transformer.wte.weight"] = 0.5 * torch.randn((V, C), generator=g, dtype=torch.float64)
        w["transformer.wpe.weight"] = 0.5 * torch.randn((c["ctx"], C), generator=g, dtype=torch.float64)
        for i in range(c["layers"]):
            p = f"transformer.h.{i}."
            for ln in ("ln_1", "ln_2"):
                norm(p + ln + ".weight", C)
                bias(p + ln + ".bias", C)
            for name, rows, cols in (("attn.c_attn", C, 3 * C), ("attn.c_proj", C, C),
                                     ("mlp.c_fc", C, F), ("mlp.c_proj", F, C)):
                w[p + name + ".weight"] = torch.randn((rows, cols), generator=g,
                                                      dtype=torch.float64) / math.sqrt(rows)
                bias(p + name + ".bias", cols)
        norm("transformer.ln_f.weight", C)
        bias("transformer.ln_f.bias", C)
        if not c["tied"]:
            w["lm_head.weight"] = 2.0 * torch.randn((V, C), generator=g, dtype=torch.float64) / math.sqrt(C)
    elif c["family"] == "gpt_neox":
        w["gpt_neox.embed_in.weight"] = 0.5 * torch.randn((V, C), generator=g, dtype=torch.float64)
        for i in range(c["layers"]):
            p = f"gpt_neox.layers.{i}."
            for ln in ("input_layernorm", "post_attention_layernorm"):
                norm(p + ln + ".weight", C)
                bias(p + ln + ".bias", C)
            mat(p + "attention.query_key_value.weight", 3 * C, C)
            bias(p + "attention.query_key_value.bias", 3 * C)
            mat(p + "attention.dense.weight", C, C)
            bias(p + "attention.dense.bias", C)
            mat(p + "mlp.dense_h_to_4h.weight", F, C)
            bias(p + "mlp.dense_h_to_4h.bias", F)
            mat(p + "mlp.dense_4h_to_h.weight", C, F)
            bias(p + "mlp.dense_4h_to_h.bias", C)
        norm("gpt_neox.final_layer_norm.weight", C)
        bias("gpt_neox.final_layer_norm.bias", C)
        w["embed_out.weight"] = 2.0 * torch.randn((V, C), generator=g, dtype=torch.float64) / math.sqrt(C)
    else:
        w["model.embed_tokens.weight"] = (0.5 if not gemma else 0.2) * torch.randn(
            (V, C), generator=g, dtype=torch.float64)
        for i in range(c["layers"]):
            p = f"model.layers.{i}."
            norm(p + "input_layernorm.weight", C)
            mat(p + "self_attn.q_proj.weight", H * d, C)
            mat(p + "self_attn.k_proj.weight", Hkv * d, C)
            mat(p + "self_attn.v_proj.weight", Hkv * d, C)
            mat(p + "self_attn.o_proj.weight", C, H * d)
            if c["family"] == "qwen2":
                bias(p + "self_attn.q_proj.bias", H * d)
                bias(p + "self_attn.k_proj.bias", Hkv * d)
                bias(p + "self_attn.v_proj.bias", Hkv * d)
            if c["family"] in ("qwen3", "gemma3_text"):
                norm(p + "self_attn.q_norm.weight", d)
                norm(p + "self_attn.k_norm.weight", d)
            norm(p + "post_attention_layernorm.weight", C)
            if gemma:
                norm(p + "pre_feedforward_layernorm.weight", C)
                norm(p + "post_feedforward_layernorm.weight", C)
            mat(p + "mlp.gate_proj.weight", F, C)
            mat(p + "mlp.up_proj.weight", F, C)
            mat(p + "mlp.down_proj.weight", C, F)
        norm("model.norm.weight", C)
        if not c["tied"]:
            w["lm_head.weight"] = 2.0 * torch.randn((V, C), generator=g, dtype=torch.float64) / math.sqrt(C)
    return {k: family_files.round_to_storage(t, c["dtype"]) for k, t in w.items()}


def hf_config(c):
    """config.json as the family's real checkpoints write it."""
    f = c["family"]
    base = {"architectures": [ARCHITECTURES[f]], "model_type": f, "vocab_size": c["vocab"],
            "hidden_size": c["hidden"], "intermediate_size": c["inter"],
            "num_hidden_layers": c["layers"], "num_attention_heads": c["heads"],
            "max_position_embeddings": c["ctx"], "tie_word_embeddings": c["tied"],
            "bos_token_id": c["vocab"] - 1, "eos_token_id": c["vocab"] - 1,
            "torch_dtype": {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}[c["dtype"]]}
    if f == "gpt2":
        return {"architectures": [ARCHITECTURES[f]], "model_type": f, "vocab_size": c["vocab"],
                "n_embd": c["hidden"], "n_layer": c["layers"], "n_head": c["heads"],
                "n_positions": c["ctx"], "n_inner": c["inter"], "activation_function": c["act"],
                "layer_norm_epsilon": c["eps"], "tie_word_embeddings": c["tied"],
                "bos_token_id": c["vocab"] - 1, "eos_token_id": c["vocab"] - 1}
    if f == "gpt_neox":
        base.update({"layer_norm_eps": c["eps"], "hidden_act": "gelu", "rotary_pct": c["rotary_pct"],
                     "rotary_emb_base": c["rope_theta"], "use_parallel_residual": c["parallel_residual"],
                     "attention_bias": True})
        return base
    base.update({"num_key_value_heads": c["kv_heads"], "rms_norm_eps": c["eps"],
                 "rope_theta": c["rope_theta"], "rope_scaling": c.get("rope_scaling"),
                 "attention_bias": f == "qwen2", "attention_dropout": 0.0})
    if f == "llama":
        base.update({"hidden_act": "silu", "mlp_bias": False, "pretraining_tp": 1})
    elif f == "mistral":
        base.update({"hidden_act": "silu", "sliding_window": c["sliding_window"], "head_dim": c["head_dim"]})
    elif f == "qwen2":
        base.update({"hidden_act": "silu", "use_sliding_window": False,
                     "sliding_window": c["sliding_window"], "max_window_layers": 1})
    elif f == "qwen3":
        base.update({"hidden_act": "silu", "head_dim": c["head_dim"], "use_sliding_window": False,
                     "sliding_window": None, "max_window_layers": c["layers"]})
    elif f == "gemma3_text":
        base.update({"hidden_activation": "gelu_pytorch_tanh", "head_dim": c["head_dim"],
                     "query_pre_attn_scalar": c["query_pre_attn_scalar"],
                     "sliding_window": c["sliding_window"], "layer_types": c["layer_types"],
                     "rope_local_base_freq": c["rope_local_base_freq"],
                     "final_logit_softcapping": c["final_logit_softcapping"],
                     "attn_logit_softcapping": None, "pad_token_id": 0})
    elif f == "gemma2":
        base.update({"hidden_activation": "gelu_pytorch_tanh", "head_dim": c["head_dim"],
                     "query_pre_attn_scalar": c["query_pre_attn_scalar"],
                     "sliding_window": c["sliding_window"],
                     "final_logit_softcapping": c["final_logit_softcapping"],
                     "attn_logit_softcapping": c["attn_logit_softcapping"], "pad_token_id": 0})
    return base


def llama2c_weights(c, w):
    """The same random Llama, renamed into llama2.c's arrays (identical math)."""
    out = {"tok_embeddings": w["model.embed_tokens.weight"], "norm": w["model.norm.weight"]}
    names = {"attention_norm": "input_layernorm.weight", "wq": "self_attn.q_proj.weight",
             "wk": "self_attn.k_proj.weight", "wv": "self_attn.v_proj.weight",
             "wo": "self_attn.o_proj.weight", "ffn_norm": "post_attention_layernorm.weight",
             "w1": "mlp.gate_proj.weight", "w2": "mlp.down_proj.weight", "w3": "mlp.up_proj.weight"}
    for i in range(c["layers"]):
        for short, long in names.items():
            out[f"layers.{i}.{short}"] = w[f"model.layers.{i}.{long}"]
    if not c["tied"]:
        out["output"] = w["lm_head.weight"]
    return out


def write_folder(c, w, folder):
    """Writes the files; returns the names of the weight files."""
    os.makedirs(folder, exist_ok=True)
    if c["family"] == "llama2c":
        dims = {"dim": c["hidden"], "hidden_dim": c["inter"], "n_layers": c["layers"],
                "n_heads": c["heads"], "n_kv_heads": c["kv_heads"], "vocab_size": c["vocab"],
                "seq_len": c["ctx"], "tied": c["tied"]}
        family_files.write_llama2c_checkpoint(os.path.join(folder, "model.bin"), dims, llama2c_weights(c, w))
        family_files.write_llama2c_tokenizer(os.path.join(folder, "tokenizer.bin"), c["vocab"])
        return ["model.bin"]
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(hf_config(c), f, indent=2)
    files = family_files.write_weights(folder, w, c["dtype"], c["shards"], "make_family_references.py")
    family_files.write_byte_tokenizer(folder, c["vocab"])
    return files


def expected_info(c, w, files):
    """What `beamscope-cli info` must say: every stored tensor counted once."""
    llama2c = c["family"] == "llama2c"
    V = c["vocab"]
    return {"architecture": c["family"], "parameter_count": sum(t.numel() for t in w.values()),
            "dtype": c["dtype"], "vocab_size": V, "context_length": c["ctx"],
            "bos_id": 1 if llama2c else V - 1, "eos_ids": [1, 2] if llama2c else [V - 1],
            "weight_files": files}


def expectations(c, w):
    g = torch.Generator().manual_seed(1000 + c["seed"])
    V, P = c["vocab"], c["ctx"]

    def rand_ids(n):
        return torch.randint(0, V, (n,), generator=g).tolist()

    def last_logprobs(ids):
        return hf_math.logits_of(c, w, ids)[-1].log_softmax(-1)

    # One token, a few, more than any window, and the whole context.
    prompts = [[V - 1], rand_ids(7), rand_ids(13), rand_ids(P)]
    out = {"name": c["name"], "family": c["family"], "vocab_size": V, "context": P,
           "prompts": [{"ids": ids, "logprobs": last_logprobs(ids).tolist()} for ids in prompts]}
    # Greedy steps past the window, one model call per step from scratch.
    # HF's generate stops after an EOS token; llama2.c's run.c stops on BOS
    # (1) as well as </s> (2).
    eos = (1, 2) if c["family"] == "llama2c" else (V - 1,)
    ids = rand_ids(3)
    steps = []
    for _ in range(12):
        lp = last_logprobs(ids)
        top = torch.topk(lp, 5)
        token = int(top.indices[0])
        steps.append({"token": token, "logprob": float(lp[token]), "top_ids": top.indices.tolist(),
                      "top_logprobs": top.values.tolist(),
                      "margin": float(top.values[0] - top.values[1])})
        ids.append(token)
        if token in eos:
            break
    out["greedy"] = {"prompt": ids[:3], "steps": steps}
    out["feature_effects"] = feature_effects(c, w, prompts[-1])
    return out


def feature_effects(c, w, ids):
    """How far the log-probs after `ids` move when one feature of the case is
    switched (the window on or off, rope scaling off, soft-capping off): the
    C++ test asserts each is far above its tolerance, so a case cannot pass
    while the engine ignores (or wrongly applies) that feature."""
    def moved(**changes):
        other = dict(c, **changes)
        a = hf_math.logits_of(c, w, ids)[-1].log_softmax(-1)
        b = hf_math.logits_of(other, w, ids)[-1].log_softmax(-1)
        return float((a - b).abs().max())

    effects = {}
    if "sliding_attention" in c["layer_types"]:
        effects["sliding_window"] = moved(layer_types=["full_attention"] * c["layers"])
    elif c.get("sliding_window"):  # configured but off (Qwen2's use_sliding_window false)
        effects["unused_sliding_window"] = moved(layer_types=["sliding_attention"] * c["layers"])
    if c.get("rope_scaling"):
        effects["rope_scaling"] = moved(rope_scaling=None)
    if c.get("final_logit_softcapping"):
        effects["final_logit_softcapping"] = moved(final_logit_softcapping=None)
    if c.get("attn_logit_softcapping"):
        effects["attn_logit_softcapping"] = moved(attn_logit_softcapping=None)
    return effects


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: make_family_references.py OUT_DIR [case ...]")
    torch.set_num_threads(1)
    out_dir, wanted = sys.argv[1], set(sys.argv[2:])
    listed = []
    for raw in CASES:
        if wanted and raw["name"] not in wanted:
            continue
        c = settle(raw)
        w = random_weights(c)
        files = write_folder(c, w, os.path.join(out_dir, c["name"]))
        expected = expectations(c, w)
        expected["info"] = expected_info(c, w, files)
        with open(os.path.join(out_dir, c["name"] + ".expected.json"), "w") as f:
            json.dump(expected, f)
        listed.append({"name": c["name"], "family": c["family"], "dtype": c["dtype"]})
    with open(os.path.join(out_dir, "cases.json"), "w") as f:
        json.dump(listed, f, indent=1)


if __name__ == "__main__":
    main()
