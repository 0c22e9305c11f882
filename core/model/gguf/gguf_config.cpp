// GGUF metadata -> TransformerConfig. Keys are llama.cpp's ({arch}.block_count,
// {arch}.attention.head_count, ...); defaults are what llama.cpp assumes when
// a key is absent. Where llama.cpp's converter changed the weights, the
// config follows the stored form:
//   - llama: the converter permutes the rows of attn_q / attn_k so that the
//     rotation pairs neighbours (2i, 2i + 1) -- llama.cpp's "normal" rope --
//     where Hugging Face pairs i with i + d/2. On the permuted rows the
//     interleaved pairing is exactly HF's rotation, so no un-permute is needed.
//   - qwen2, qwen3, gemma3, gptneox are NeoX-style (halves) and unpermuted.
//   - gemma3: the converter stores norm weights as 1 + w, so the plain RMS
//     norm applies.
#include <cmath>
#include <string>

#include "model/gguf/gguf_model.h"
#include "model/gguf/gguf_tensor_type.h"

namespace beamscope {

namespace {

class Keys {
 public:
  Keys(const GgufFile& f, std::string arch) : f_(f), arch_(std::move(arch)) {}

  int count(const std::string& key, std::optional<int> fallback = std::nullopt) const {
    const auto v = f_.integer(arch_ + "." + key);
    if (!v) {
      if (fallback) return *fallback;
      f_.fail("lacks the key '" + arch_ + "." + key + "' a " + arch_ + " model needs");
    }
    if (*v < 1 || *v > (1 << 30))
      f_.fail("has '" + arch_ + "." + key + "' = " + std::to_string(*v) + ", out of range");
    return static_cast<int>(*v);
  }
  float number(const std::string& key, float fallback) const {
    const auto v = f_.real(arch_ + "." + key);
    if (!v) return fallback;
    if (!std::isfinite(*v) || *v <= 0)
      f_.fail("has '" + arch_ + "." + key + "' that is not a positive number");
    return static_cast<float>(*v);
  }
  std::optional<std::string> text(const std::string& key) const {
    return f_.string(arch_ + "." + key);
  }
  bool flag(const std::string& key, bool fallback) const {
    return f_.boolean(arch_ + "." + key).value_or(fallback);
  }

 private:
  const GgufFile& f_;
  std::string arch_;
};

// Rows of token_embd: the vocabulary when {arch}.vocab_size is absent.
int vocab_of(const GgufFile& f) {
  const GgufTensor* t = f.tensor("token_embd.weight");
  if (!t || t->dims.size() != 2) f.fail("has no 2-D tensor 'token_embd.weight'");
  if (t->dims[1] > (1u << 22))
    f.fail("has a vocabulary of " + std::to_string(t->dims[1]) + " tokens, too many");
  return static_cast<int>(t->dims[1]);
}

// rope_freqs.weight: llama.cpp's per-pair frequency divisors, which its
// converter computes from Llama 3.1+'s rope_scaling (type llama3); the rope
// then divides each inv_freq by its factor, as ggml_rope_ext does.
std::vector<float> rope_freq_factors(const GgufFile& f, int rotary_dims) {
  const GgufTensor* t = f.tensor("rope_freqs.weight");
  if (!t) return {};
  const auto pairs = static_cast<std::uint64_t>(rotary_dims / 2);
  if (t->dims != std::vector<std::uint64_t>{pairs})
    f.fail("gives 'rope_freqs.weight' " + std::to_string(t->elements) +
           " values where the rope has " + std::to_string(pairs) + " pairs");
  if (t->type != GgmlType::kF32 && t->type != GgmlType::kF16)
    f.fail("stores 'rope_freqs.weight' as " + std::string(ggml_type_name(t->type)) +
           ", not F32 or F16");
  std::vector<float> factors(pairs);
  dequantize(t->type, f.data(*t).data(), factors.size(), factors.data());
  for (float v : factors)
    if (!(v > 0.0f && std::isfinite(v)))
      f.fail("has a 'rope_freqs.weight' value that is not positive");
  return factors;
}

RopeSpec rope_of(const GgufFile& f, const Keys& k, float default_base) {
  RopeSpec rope;
  rope.theta = k.number("rope.freq_base", default_base);
  const std::string type = k.text("rope.scaling.type").value_or("none");
  if (type == "linear") {
    rope.scaling = RopeSpec::Scaling::kLinear;
    rope.factor = k.number("rope.scaling.factor", 1.0f);
  } else if (type != "none") {
    f.fail("uses rope scaling '" + type + "', which is not supported (only none and linear)");
  }
  return rope;
}

}  // namespace

TransformerConfig gguf_transformer_config(const GgufFile& f) {
  const auto arch = f.string("general.architecture");
  if (!arch) f.fail("has no general.architecture, so its model is unknown");
  const std::string a = *arch;
  const bool llama = a == "llama", qwen2 = a == "qwen2", qwen3 = a == "qwen3",
             gemma3 = a == "gemma3", gpt2 = a == "gpt2", neox = a == "gptneox";
  if (!(llama || qwen2 || qwen3 || gemma3 || gpt2 || neox))
    f.fail("has the architecture '" + a +
           "', which Beamscope cannot run (supported: gemma3, gpt2, gptneox, llama, qwen2, qwen3)");
  const Keys k(f, a);
  TransformerConfig c;
  c.architecture = a;
  c.hidden = k.count("embedding_length");
  c.layers = k.count("block_count");
  if (c.layers > kMaxTransformerLayers)  // before the layer kinds are sized by it
    f.fail("has " + a + ".block_count = " + std::to_string(c.layers) + ", more than " +
           std::to_string(kMaxTransformerLayers) + " layers");
  c.heads = k.count("attention.head_count");
  c.kv_heads = k.count("attention.head_count_kv", c.heads);
  if (c.hidden % c.heads != 0 && !f.find(a + ".attention.key_length"))
    f.fail("has an embedding length not divisible by the head count and no attention.key_length");
  c.head_dim = k.count("attention.key_length", c.hidden / c.heads);
  if (k.count("attention.value_length", c.head_dim) != c.head_dim)
    f.fail(
        "has attention.value_length different from attention.key_length, which is not supported");
  c.intermediate = k.count("feed_forward_length");
  c.vocab = vocab_of(f);
  c.context = k.count("context_length");
  c.layer_specs.assign(static_cast<std::size_t>(c.layers), LayerSpec{});

  if (gpt2 || neox) {
    c.norm = NormKind::kLayerNorm;
    c.norm_bias = true;
    c.norm_eps = k.number("attention.layer_norm_epsilon", 1e-5f);
    c.mlp = MlpKind::kPlain;
    c.qkv_bias = c.out_bias = c.mlp_bias = true;
    c.tied_head = !f.tensor("output.weight");
    if (gpt2) {
      c.position = PositionKind::kLearned;
      c.activation = Activation::kGeluTanh;  // gelu_new
      c.rotary_dims = 0;
    } else {
      c.position = PositionKind::kRotary;
      c.rotary_pairing = RotaryPairing::kHalves;
      c.activation = Activation::kGeluErf;  // Pythia's "gelu"
      c.rotary_dims = k.count("rope.dimension_count", c.head_dim);
      c.ropes = {rope_of(f, k, 10000.0f)};
      c.ropes[0].freq_factors = rope_freq_factors(f, c.rotary_dims);
      c.residual = k.flag("use_parallel_residual", true) ? ResidualLayout::kParallel
                                                         : ResidualLayout::kSequential;
    }
    validate_transformer_config(c, f.name());
    return c;
  }

  c.norm = NormKind::kRmsNorm;
  c.norm_eps = k.number("attention.layer_norm_rms_epsilon", 1e-5f);
  c.position = PositionKind::kRotary;
  c.rotary_pairing = llama ? RotaryPairing::kInterleaved : RotaryPairing::kHalves;
  c.rotary_dims = k.count("rope.dimension_count", c.head_dim);
  c.mlp = MlpKind::kGated;
  c.activation = gemma3 ? Activation::kGeluTanh : Activation::kSilu;
  c.qkv_bias = qwen2 || (llama && f.tensor("blk.0.attn_q.bias"));
  c.out_bias = llama && f.tensor("blk.0.attn_output.bias");
  c.mlp_bias = llama && f.tensor("blk.0.ffn_up.bias");
  c.qk_norm = qwen3 || gemma3;
  c.tied_head = !f.tensor("output.weight");
  c.ropes = {rope_of(f, k, gemma3 ? 1'000'000.0f : 10000.0f)};
  if (gemma3 && f.tensor("rope_freqs.weight"))
    f.fail("carries rope_freqs.weight, which llama.cpp does not use for gemma3 either");
  c.ropes[0].freq_factors = rope_freq_factors(f, c.rotary_dims);
  const int window =
      f.find(a + ".attention.sliding_window") ? k.count("attention.sliding_window") : 0;
  if (gemma3) {
    c.residual = ResidualLayout::kSandwich;
    c.embedding_scale = std::sqrt(static_cast<float>(c.hidden));
    c.attention_scale = 1.0f / std::sqrt(static_cast<float>(c.head_dim));
    // Local layers: rope base 10000 unscaled; every sixth layer is global
    // (llama.cpp's fixed pattern for Gemma 3).
    RopeSpec local;
    local.theta = 10000.0f;
    c.ropes.push_back(local);
    for (int i = 0; i < c.layers; ++i)
      if ((i + 1) % 6 != 0) c.layer_specs[static_cast<std::size_t>(i)] = {window, 1};
  } else if (window > 0) {
    for (auto& s : c.layer_specs) s.sliding_window = window;
  }
  validate_transformer_config(c, f.name());
  return c;
}

}  // namespace beamscope
