// config.json readers of Llama, Mistral, Qwen2 and Qwen3 (one layout, see
// llama_layout.h). Defaults are those of transformers' configuration_*.py.
#include <cmath>
#include <string>

#include "model/architectures/architecture.h"
#include "model/architectures/config_reader.h"
#include "model/architectures/llama_layout.h"

namespace beamscope {

namespace {

struct FamilyDefaults {
  int context;
  bool qkv_bias;  // q/k/v biases regardless of attention_bias (Qwen2)
  bool qk_norm;   // Qwen3
};

FamilyDefaults defaults_of(const std::string& type) {
  if (type == "mistral") return {4096 * 32, false, false};
  if (type == "qwen2") return {32768, true, false};
  if (type == "qwen3") return {32768, false, true};
  return {2048, false, false};  // llama
}

TransformerConfig read_config(const ConfigReader& r, const std::string& type) {
  const FamilyDefaults d = defaults_of(type);
  TransformerConfig c;
  c.architecture = type;
  c.hidden = r.count("hidden_size");
  c.layers = r.layer_count("num_hidden_layers");
  c.heads = r.count("num_attention_heads");
  c.kv_heads = r.count("num_key_value_heads", c.heads);
  if (!r.has("head_dim") && c.hidden % c.heads != 0) {
    r.fail("hidden_size " + std::to_string(c.hidden) + " is not divisible by num_attention_heads " +
           std::to_string(c.heads) + " and there is no head_dim");
  }
  c.head_dim = r.count("head_dim", c.hidden / c.heads);
  c.intermediate = r.count("intermediate_size");
  c.vocab = r.count("vocab_size");
  c.context = r.count("max_position_embeddings", d.context);
  c.norm = NormKind::kRmsNorm;
  c.norm_eps = r.epsilon("rms_norm_eps", 1e-6f);
  c.position = PositionKind::kRotary;
  c.rotary_pairing = RotaryPairing::kHalves;
  const float partial = r.number("partial_rotary_factor", 1.0f);
  if (!(partial > 0.0f && partial <= 1.0f)) r.fail("partial_rotary_factor must be in (0, 1]");
  c.rotary_dims = static_cast<int>(static_cast<float>(c.head_dim) * partial);
  RopeSpec rope;
  rope.theta = r.number("rope_theta", 10000.0f);
  c.ropes = {read_rope_scaling(r, rope)};
  c.mlp = MlpKind::kGated;
  c.activation = read_activation(r, "hidden_act", "silu");
  const bool attention_bias = r.flag("attention_bias", false);
  c.qkv_bias = d.qkv_bias || attention_bias;
  c.out_bias = type != "qwen2" && attention_bias;
  c.mlp_bias = type == "llama" && r.flag("mlp_bias", false);
  c.qk_norm = d.qk_norm;
  c.residual = ResidualLayout::kSequential;
  c.tied_head = r.flag("tie_word_embeddings", false);

  // Sliding windows: Mistral on every layer; Qwen2/3 only with
  // use_sliding_window, from layer max_window_layers on; layer_types wins.
  int window = 0;
  if (type == "mistral") {
    // Absent: MistralConfig's 4096; null: no window.
    window = r.window("sliding_window", 4096);
  } else if ((type == "qwen2" || type == "qwen3") && r.flag("use_sliding_window", false)) {
    window = r.window("sliding_window", 0);
  }
  c.layer_specs.assign(static_cast<std::size_t>(c.layers), LayerSpec{});
  if (!read_layer_types(r, c, window, 0)) {
    const int first_sliding =
        type == "mistral" ? 0 : r.optional_count("max_window_layers").value_or(28);
    for (int i = first_sliding; i < c.layers; ++i) c.layer_specs[i].sliding_window = window;
  }
  validate_transformer_config(c, r.file());
  return c;
}

}  // namespace

TransformerConfig read_llama_family_config(const nlohmann::json& config, const std::string& file,
                                           const char* model_type) {
  return read_config(ConfigReader(config, file), model_type);
}

}  // namespace beamscope
