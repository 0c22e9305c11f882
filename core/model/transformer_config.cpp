#include "model/transformer_config.h"

#include <cmath>
#include <string>

#include "util/error.h"

namespace beamscope {

namespace {

// Far above any model this CPU engine can hold, low enough that products of
// them cannot overflow 64 bits and a corrupt config cannot ask for absurd
// allocations.
constexpr int kMaxHidden = 65536;
constexpr int kMaxHeads = 1024;
constexpr int kMaxContext = 1 << 21;
constexpr int kMaxVocab = 1 << 22;
constexpr int kMaxIntermediate = 1 << 18;
constexpr int kMaxHeadDim = 1024;

void check_range(std::string_view file, const char* what, long long value, long long max) {
  if (value <= 0 || value > max) {
    throw Error(std::string(file) + ": " + what + " = " + std::to_string(value) +
                " is outside the supported range 1.." + std::to_string(max) + ".");
  }
}

}  // namespace

float TransformerConfig::scale() const {
  return attention_scale > 0.0f ? attention_scale : 1.0f / std::sqrt(static_cast<float>(head_dim));
}

std::size_t TransformerConfig::parameter_count() const {
  const std::size_t C = hidden, F = intermediate, V = vocab, d = head_dim;
  const std::size_t q = static_cast<std::size_t>(heads) * d,
                    kv = static_cast<std::size_t>(kv_heads) * d;
  const std::size_t norm = norm_bias ? 2 * C : C;
  std::size_t layer = 2 * norm;                                  // before attention and MLP
  if (residual == ResidualLayout::kSandwich) layer += 2 * norm;  // after them
  layer += C * (q + 2 * kv) + (qkv_bias ? q + 2 * kv : 0);
  if (qk_norm) layer += 2 * d;
  layer += q * C + (out_bias ? C : 0);
  if (mlp == MlpKind::kGated) {
    layer += 3 * C * F + (mlp_bias ? 2 * F + C : 0);
  } else {
    layer += 2 * C * F + (mlp_bias ? F + C : 0);
  }
  std::size_t total = V * C + static_cast<std::size_t>(layers) * layer + norm;
  if (position == PositionKind::kLearned) total += static_cast<std::size_t>(context) * C;
  if (!tied_head) total += V * C;
  return total;
}

void validate_transformer_config(const TransformerConfig& c, std::string_view file) {
  check_range(file, "hidden_size", c.hidden, kMaxHidden);
  check_range(file, "num_attention_heads", c.heads, kMaxHeads);
  check_range(file, "num_key_value_heads", c.kv_heads, kMaxHeads);
  check_range(file, "head_dim", c.head_dim, kMaxHeadDim);
  check_range(file, "num_hidden_layers", c.layers, kMaxTransformerLayers);
  check_range(file, "intermediate_size", c.intermediate, kMaxIntermediate);
  check_range(file, "vocab_size", c.vocab, kMaxVocab);
  check_range(file, "max_position_embeddings", c.context, kMaxContext);
  if (c.heads % c.kv_heads != 0) {
    throw Error(std::string(file) + ": num_attention_heads " + std::to_string(c.heads) +
                " is not a multiple of num_key_value_heads " + std::to_string(c.kv_heads) + ".");
  }
  if (static_cast<long long>(c.heads) * c.head_dim > kMaxHidden) {
    throw Error(std::string(file) + ": num_attention_heads x head_dim = " +
                std::to_string(static_cast<long long>(c.heads) * c.head_dim) + " is too large.");
  }
  if (!(c.norm_eps > 0.0f && c.norm_eps < 1.0f)) {
    throw Error(std::string(file) + ": the norm epsilon must be in (0, 1).");
  }
  if (static_cast<int>(c.layer_specs.size()) != c.layers) {
    throw Error(std::string(file) + ": the layer kinds do not match num_hidden_layers.");
  }
  if (c.position == PositionKind::kRotary) {
    if (c.rotary_dims < 2 || c.rotary_dims > c.head_dim || c.rotary_dims % 2 != 0) {
      throw Error(std::string(file) + ": the rotary dimensions (" + std::to_string(c.rotary_dims) +
                  ") must be even and between 2 and head_dim " + std::to_string(c.head_dim) + ".");
    }
    for (const RopeSpec& r : c.ropes) {
      if (!(r.theta > 1.0f && std::isfinite(r.theta))) {
        throw Error(std::string(file) + ": rope_theta must be a finite number above 1.");
      }
      if (!(r.factor > 0.0f && std::isfinite(r.factor))) {
        throw Error(std::string(file) + ": rope_scaling factor must be a positive number.");
      }
      if (r.scaling == RopeSpec::Scaling::kLlama3 &&
          (!(r.high_freq_factor > r.low_freq_factor) || !(r.low_freq_factor > 0.0f) ||
           r.original_max_positions <= 0)) {
        throw Error(std::string(file) +
                    ": llama3 rope_scaling needs high_freq_factor > low_freq_factor > 0 and a "
                    "positive original_max_position_embeddings.");
      }
      if (!r.freq_factors.empty() &&
          r.freq_factors.size() != static_cast<std::size_t>(c.rotary_dims / 2)) {
        throw Error(std::string(file) + ": the rope frequency factors number " +
                    std::to_string(r.freq_factors.size()) + ", not one per rotary pair (" +
                    std::to_string(c.rotary_dims / 2) + ").");
      }
      for (float f : r.freq_factors) {
        if (!(f > 0.0f && std::isfinite(f))) {
          throw Error(std::string(file) + ": a rope frequency factor is not a positive number.");
        }
      }
    }
  }
  for (const LayerSpec& l : c.layer_specs) {
    if (l.sliding_window < 0) {
      throw Error(std::string(file) + ": sliding_window must not be negative.");
    }
    if (c.position == PositionKind::kRotary &&
        (l.rope < 0 || l.rope >= static_cast<int>(c.ropes.size()))) {
      throw Error(std::string(file) + ": a layer names a rotary table that does not exist.");
    }
  }
  for (float v : {c.embedding_scale, c.attention_scale, c.attention_softcap, c.final_softcap}) {
    if (!(v >= 0.0f && std::isfinite(v))) {
      throw Error(std::string(file) +
                  ": scales and soft-caps (query_pre_attn_scalar, *_softcapping) must be "
                  "finite and positive.");
    }
  }
}

}  // namespace beamscope
