#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace beamscope {

// How `x` is normalised before (and, in Gemma, after) each sub-layer.
enum class NormKind {
  kLayerNorm,       // (x - mean) / sqrt(var + eps) * w (+ b)        GPT-2, GPT-NeoX
  kRmsNorm,         // x / sqrt(mean(x^2) + eps) * w                 Llama, Mistral, Qwen
  kRmsNormPlusOne,  // x / sqrt(mean(x^2) + eps) * (1 + w)           Gemma
};

enum class Activation {
  kGeluErf,   // 0.5x(1 + erf(x / sqrt 2))                         "gelu"
  kGeluTanh,  // 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3)))       "gelu_new", "gelu_pytorch_tanh"
  kSilu,      // x / (1 + e^-x)                                    "silu", "swish"
};

enum class MlpKind {
  kPlain,  // down(act(up x + b) ) + b                   GPT-2, GPT-NeoX
  kGated,  // down(act(gate x) * up x)                   Llama & co, Gemma (GeGLU)
};

// Where the sub-layers' outputs join the residual stream.
enum class ResidualLayout {
  kSequential,  // x += attn(norm1 x); x += mlp(norm2 x)
  kParallel,    // x += attn(norm1 x) + mlp(norm2 x)                      GPT-NeoX
  kSandwich,    // x += norm2(attn(norm1 x)); x += norm4(mlp(norm3 x))     Gemma 2/3
};

enum class PositionKind {
  kLearned,  // a [P, C] table added to the token embedding (GPT-2)
  kRotary,   // rotary embeddings on q and k
};

// Which dimensions a rotary embedding turns together.
enum class RotaryPairing {
  kHalves,       // i with i + rot/2 (HF's rotate_half)
  kInterleaved,  // 2i with 2i + 1 (Meta's original layout, llama2.c)
};

// One rotary table: inv_freq[i] = 1 / theta^(2i / rot), then rescaled.
struct RopeSpec {
  enum class Scaling { kNone, kLinear, kLlama3 };
  float theta = 10000.0f;
  Scaling scaling = Scaling::kNone;
  float factor = 1.0f;            // linear and llama3
  float low_freq_factor = 1.0f;   // llama3
  float high_freq_factor = 4.0f;  // llama3
  int original_max_positions = 8192;
  // llama.cpp's rope_freqs.weight (GGUF of Llama 3.1+): one divisor per
  // rotary pair, applied after the scaling above; empty: none. Its converter
  // bakes llama3 scaling into these instead of writing rope_scaling.
  std::vector<float> freq_factors;
  bool operator==(const RopeSpec&) const = default;
};

// What differs between the layers of one model (Gemma's local/global, a
// Mistral or Qwen2 sliding window).
struct LayerSpec {
  int sliding_window = 0;  // 0 = attend to every earlier position
  int rope = 0;            // index into TransformerConfig::ropes
  bool operator==(const LayerSpec&) const = default;
};

// Everything the forward pass needs to know about an architecture, filled in
// by that architecture's config.json reader. Sizes: C = hidden, H heads of
// d = head_dim, KV key/value heads (H % KV == 0), F = intermediate.
struct TransformerConfig {
  std::string architecture;  // "llama", "gpt2", ... (ModelInfo::architecture)
  int hidden = 0;
  int layers = 0;
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  int intermediate = 0;
  int vocab = 0;
  int context = 0;  // positions a sequence may have

  NormKind norm = NormKind::kRmsNorm;
  float norm_eps = 1e-6f;
  bool norm_bias = false;  // LayerNorm with a bias

  PositionKind position = PositionKind::kRotary;
  RotaryPairing rotary_pairing = RotaryPairing::kHalves;
  int rotary_dims = 0;  // dims of each head that rotate (even, <= head_dim)
  std::vector<RopeSpec> ropes;
  std::vector<LayerSpec> layer_specs;  // one per layer

  MlpKind mlp = MlpKind::kGated;
  Activation activation = Activation::kSilu;
  bool qkv_bias = false;
  bool out_bias = false;
  bool mlp_bias = false;
  bool qk_norm = false;  // RMS norm of each q and k head (Qwen3, Gemma 3)
  ResidualLayout residual = ResidualLayout::kSequential;
  bool tied_head = true;

  float embedding_scale = 1.0f;    // Gemma: sqrt(hidden)
  float attention_scale = 0.0f;    // 0 = 1/sqrt(head_dim)
  float attention_softcap = 0.0f;  // 0 = none (Gemma 2)
  float final_softcap = 0.0f;      // 0 = none

  int q_width() const { return heads * head_dim; }
  int kv_width() const { return kv_heads * head_dim; }
  float scale() const;
  // Parameters stored, each tensor once (a tied head counted once).
  std::size_t parameter_count() const;
};

// The most layers a config may declare. Readers check it as soon as they read
// the count, before anything is sized by it (a GGUF block_count of 2^30 once
// asked for 8 GB of layer kinds before validate_transformer_config ran).
inline constexpr int kMaxTransformerLayers = 1024;

// Throws beamscope::Error naming `file` when sizes are out of range or
// inconsistent, so a corrupt config cannot ask for absurd allocations.
void validate_transformer_config(const TransformerConfig& config, std::string_view file);

}  // namespace beamscope
