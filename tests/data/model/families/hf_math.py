"""The forward passes of every family, written for this test from the
semantics of Hugging Face's modeling code (read, not copied; no `transformers`
package is used or installed). Everything runs in float64 over the values the
files store, recomputing the whole prefix for each query (no KV cache), so a
bug in an incremental path of the C++ engine cannot be mirrored here.

Each function names the file whose behaviour it follows.
"""
import math

import torch


# ---- norms and activations ------------------------------------------------------------------

def rms_norm(x, w, eps, one_plus=False):
    """LlamaRMSNorm (modeling_llama.py): x / sqrt(mean(x^2) + eps) * w.
    Gemma3RMSNorm (modeling_gemma3.py) scales by (1 + w) instead (one_plus)."""
    y = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    return y * (1.0 + w) if one_plus else y * w


def layer_norm(x, w, b, eps):
    """nn.LayerNorm as GPT-NeoX uses it (modeling_gpt_neox.py): biased variance."""
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * w + b


def activation(x, kind):
    """ACT2FN (activations.py): silu; gelu is exact (erf); gelu_pytorch_tanh and
    gelu_new are the tanh approximation."""
    if kind == "silu":
        return x * torch.sigmoid(x)
    if kind == "gelu":
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if kind in ("gelu_pytorch_tanh", "gelu_new"):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError(kind)


def soft_cap(x, cap):
    """Gemma's logit soft-capping (modeling_gemma3.py, final_logit_softcapping)."""
    return x if cap is None else torch.tanh(x / cap) * cap


# ---- rotary position embeddings -------------------------------------------------------------

def rope_inv_freq(dim, theta, scaling):
    """Inverse frequencies (modeling_rope_utils.py): the default
    1 / theta^(2i/dim); `linear` divides them by factor; `llama3` divides the
    low frequencies by factor, keeps the high ones and blends in between by
    wavelength against original_max_position_embeddings."""
    inv = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    if scaling is None:
        return inv
    kind = scaling.get("rope_type", scaling.get("type"))
    factor = scaling["factor"]
    if kind == "linear":
        return inv / factor
    if kind == "llama3":
        low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
        old_context = scaling["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old_context / low, old_context / high
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (old_context / wavelen - low) / (high - low)
        blended = (1 - smooth) * scaled / factor + smooth * scaled
        medium = (wavelen >= high_wavelen) & (wavelen <= low_wavelen)
        return torch.where(medium, blended, scaled)
    raise ValueError(kind)


def rope_rotate_half(x, inv_freq):
    """apply_rotary_pos_emb with rotate_half (modeling_llama.py): x is
    [T, heads, d]; dimension i pairs with i + d/2. Position t = row index.
    Only the first 2 * len(inv_freq) dims rotate (GPT-NeoX's rotary_pct,
    modeling_gpt_neox.py); the rest pass through."""
    T = x.shape[0]
    rot = 2 * inv_freq.shape[0]
    freqs = torch.arange(T, dtype=torch.float64)[:, None] * inv_freq[None, :]  # [T, rot/2]
    emb = torch.cat([freqs, freqs], dim=-1)[:, None, :]  # [T, 1, rot]
    cos, sin = emb.cos(), emb.sin()
    xr, xp = x[..., :rot], x[..., rot:]
    half = rot // 2
    rotated = torch.cat([-xr[..., half:], xr[..., :half]], dim=-1)
    return torch.cat([xr * cos + rotated * sin, xp], dim=-1)


def rope_interleaved(x, theta):
    """llama2.c's run.c: adjacent pairs (2j, 2j+1) of each head rotate by
    t / theta^(2j/head_size)."""
    T, _, d = x.shape
    inv = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    angle = torch.arange(T, dtype=torch.float64)[:, None] * inv[None, :]  # [T, d/2]
    cos, sin = angle.cos()[:, None, :], angle.sin()[:, None, :]
    even, odd = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out


# ---- attention ------------------------------------------------------------------------------

def attention(q, k, v, scale, window=None, softcap=None):
    """eager_attention_forward (modeling_llama.py / modeling_gemma3.py):
    q [T, Hq, d], k/v [T, Hkv, d]; query head h reads key/value head
    h // (Hq / Hkv) (repeat_kv). Causal; with a window, key j is visible from
    query i only when i - j < window (masking_utils.py sliding_window_overlay).
    Gemma's attn_logit_softcapping caps the scores before the mask."""
    T, Hq, _ = q.shape
    group = Hq // k.shape[1]
    i = torch.arange(T)[:, None]
    j = torch.arange(T)[None, :]
    hidden = j > i
    if window is not None:
        hidden = hidden | (i - j >= window)
    heads = []
    for h in range(Hq):
        scores = (q[:, h] @ k[:, h // group].T) * scale
        if softcap is not None:
            scores = torch.tanh(scores / softcap) * softcap
        scores = scores.masked_fill(hidden, float("-inf")).softmax(-1)
        heads.append(scores @ v[:, h // group])
    return torch.cat(heads, dim=-1)  # [T, Hq * d]


def linear(x, w, b=None):
    """nn.Linear: weights stored [out, in]."""
    y = x @ w.T
    return y if b is None else y + b


# ---- whole models ---------------------------------------------------------------------------

def llama_like_logits(c, w, ids):
    """Logits [T, V] for every position. Follows LlamaForCausalLM
    (modeling_llama.py), with the per-family switches in `c`:
    - Mistral (modeling_mistral.py): sliding_window on every layer.
    - Qwen2 (modeling_qwen2.py): q/k/v biases; a window only when use_sliding_window.
    - Qwen3 (modeling_qwen3.py): explicit head_dim, RMS q_norm/k_norm over each
      head before the rotation.
    - Gemma 3 (modeling_gemma3.py): embeddings x sqrt(hidden), (1 + w) norms,
      q/k norms, post-attention and pre/post-feedforward norms, scale
      query_pre_attn_scalar^-0.5, sliding layers with their own rope base
      (rope_local_base_freq, unscaled) and window, GeGLU (gelu tanh), final
      soft-capping.
    - Gemma 2 (modeling_gemma2.py): as Gemma 3 without q/k norms and with one
      rope base for all layers, plus attn_logit_softcapping on the scores.
    - llama2.c (run.c): interleaved rotary pairs (rope = "interleaved")."""
    H, Hkv, d = c["heads"], c["kv_heads"], c["head_dim"]
    gemma = c["family"] in ("gemma3_text", "gemma2")
    eps = c["eps"]
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    if gemma:
        x = x * math.sqrt(c["hidden"])
    T = len(ids)
    for layer in range(c["layers"]):
        p = f"model.layers.{layer}."
        sliding = c["layer_types"][layer] == "sliding_attention"
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps, gemma)

        def proj(name):
            return linear(h, w[p + f"self_attn.{name}_proj.weight"], w.get(p + f"self_attn.{name}_proj.bias"))

        q = proj("q").view(T, H, d)
        k = proj("k").view(T, Hkv, d)
        v = proj("v").view(T, Hkv, d)
        if p + "self_attn.q_norm.weight" in w:
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps, gemma)
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps, gemma)
        if c.get("rope") == "interleaved":
            q, k = rope_interleaved(q, c["rope_theta"]), rope_interleaved(k, c["rope_theta"])
        else:
            if c["family"] == "gemma3_text" and sliding:
                inv = rope_inv_freq(d, c["rope_local_base_freq"], None)
            else:
                inv = rope_inv_freq(d, c["rope_theta"], c.get("rope_scaling"))
            q, k = rope_rotate_half(q, inv), rope_rotate_half(k, inv)
        scale = c["query_pre_attn_scalar"] ** -0.5 if gemma else d ** -0.5
        window = c["sliding_window"] if sliding else None
        a = attention(q, k, v, scale, window, c.get("attn_logit_softcapping"))
        a = linear(a, w[p + "self_attn.o_proj.weight"])
        if gemma:
            x = x + rms_norm(a, w[p + "post_attention_layernorm.weight"], eps, True)
            h = rms_norm(x, w[p + "pre_feedforward_layernorm.weight"], eps, True)
        else:
            x = x + a
            h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = activation(linear(h, w[p + "mlp.gate_proj.weight"]), c["act"])
        m = linear(gate * linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
        if gemma:
            m = rms_norm(m, w[p + "post_feedforward_layernorm.weight"], eps, True)
        x = x + m
    x = rms_norm(x, w["model.norm.weight"], eps, gemma)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return soft_cap(x @ head.T, c.get("final_logit_softcapping"))


def gpt_neox_logits(c, w, ids):
    """Logits [T, V]. Follows GPTNeoXForCausalLM (modeling_gpt_neox.py):
    LayerNorm with bias; the fused query_key_value output is laid out per head
    as [heads, 3 * head_dim] (q, k, v of head 0, then head 1, ...); rotate-half
    rotary on the first int(head_dim * rotary_pct) dims with base
    rotary_emb_base; parallel residual x + attn(ln1(x)) + mlp(ln2(x)) or the
    sequential form; untied embed_out."""
    H, d, eps = c["heads"], c["head_dim"], c["eps"]
    T = len(ids)
    x = w["gpt_neox.embed_in.weight"][torch.tensor(ids)]
    rot = int(d * c["rotary_pct"])
    inv = rope_inv_freq(rot, c["rope_theta"], None)
    for layer in range(c["layers"]):
        p = f"gpt_neox.layers.{layer}."
        h = layer_norm(x, w[p + "input_layernorm.weight"], w[p + "input_layernorm.bias"], eps)
        qkv = linear(h, w[p + "attention.query_key_value.weight"],
                     w[p + "attention.query_key_value.bias"]).view(T, H, 3 * d)
        q, k, v = qkv[..., :d], qkv[..., d:2 * d], qkv[..., 2 * d:]
        q, k = rope_rotate_half(q, inv), rope_rotate_half(k, inv)
        a = linear(attention(q, k, v, d ** -0.5), w[p + "attention.dense.weight"],
                   w[p + "attention.dense.bias"])

        def mlp(y):
            y = layer_norm(y, w[p + "post_attention_layernorm.weight"],
                           w[p + "post_attention_layernorm.bias"], eps)
            y = activation(linear(y, w[p + "mlp.dense_h_to_4h.weight"], w[p + "mlp.dense_h_to_4h.bias"]),
                           c["act"])
            return linear(y, w[p + "mlp.dense_4h_to_h.weight"], w[p + "mlp.dense_4h_to_h.bias"])

        x = x + a + mlp(x) if c["parallel_residual"] else (x + a) + mlp(x + a)
    x = layer_norm(x, w["gpt_neox.final_layer_norm.weight"], w["gpt_neox.final_layer_norm.bias"], eps)
    return x @ w["embed_out.weight"].T


def gpt2_logits(c, w, ids):
    """Logits [T, V]. Follows GPT2LMHeadModel (modeling_gpt2.py): learned
    position embeddings added to the token embeddings, pre-LayerNorm blocks
    whose Conv1D weights are stored [in, out], fused c_attn split into q, k, v
    of H heads, gelu_new MLP, ln_f, the head tied to wte unless lm_head is
    stored."""
    H, C, eps = c["heads"], c["hidden"], c["eps"]
    d = C // H
    T = len(ids)
    x = w["transformer.wte.weight"][torch.tensor(ids)] + w["transformer.wpe.weight"][:T]
    for layer in range(c["layers"]):
        p = f"transformer.h.{layer}."
        h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (qkv[:, i * C:(i + 1) * C].reshape(T, H, d) for i in range(3))
        x = x + attention(q, k, v, d ** -0.5) @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = activation(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"], c["act"])
        x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)
    return x @ w.get("lm_head.weight", w["transformer.wte.weight"]).T


def logits_of(c, w, ids):
    if c["family"] == "gpt2":
        return gpt2_logits(c, w, ids)
    if c["family"] == "gpt_neox":
        return gpt_neox_logits(c, w, ids)
    return llama_like_logits(c, w, ids)
