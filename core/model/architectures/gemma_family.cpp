// config.json readers of Gemma 2 and Gemma 3 (text): the llama layout with
// (1 + w) RMS norms around both sub-layers, embeddings scaled by
// sqrt(hidden), GeGLU, query_pre_attn_scalar, alternating local (sliding
// window) and global layers and optional soft-capping. Defaults are those of
// transformers' configuration_gemma2.py / configuration_gemma3.py.
#include <cmath>
#include <string>

#include "model/architectures/architecture.h"
#include "model/architectures/config_reader.h"
#include "model/architectures/llama_layout.h"

namespace beamscope {

namespace {

TransformerConfig read_config(const ConfigReader& r, const std::string& type) {
  const bool gemma3 = type == "gemma3_text";
  TransformerConfig c;
  c.architecture = type;
  c.vocab = r.count("vocab_size", gemma3 ? 262208 : 256000);
  c.hidden = r.count("hidden_size", 2304);
  c.intermediate = r.count("intermediate_size", 9216);
  c.layers = r.layer_count("num_hidden_layers", 26);
  c.heads = r.count("num_attention_heads", 8);
  c.kv_heads = r.count("num_key_value_heads", 4);
  c.head_dim = r.count("head_dim", 256);
  c.context = r.count("max_position_embeddings", gemma3 ? 131072 : 8192);
  c.norm = NormKind::kRmsNormPlusOne;
  c.norm_eps = r.epsilon("rms_norm_eps", 1e-6f);
  c.position = PositionKind::kRotary;
  c.rotary_pairing = RotaryPairing::kHalves;
  c.rotary_dims = c.head_dim;
  RopeSpec global;
  global.theta = r.number("rope_theta", gemma3 ? 1'000'000.0f : 10000.0f);
  global = read_rope_scaling(r, global);
  // Gemma 3's local layers use their own base and no scaling.
  RopeSpec local;
  local.theta = gemma3 ? r.number("rope_local_base_freq", 10000.0f) : global.theta;
  c.ropes = {global, gemma3 ? local : global};
  c.mlp = MlpKind::kGated;
  c.activation = read_activation(r, r.has("hidden_activation") ? "hidden_activation" : "hidden_act",
                                 "gelu_pytorch_tanh");
  c.qkv_bias = c.out_bias = r.flag("attention_bias", false);
  c.qk_norm = gemma3;
  c.residual = ResidualLayout::kSandwich;
  c.tied_head = r.flag("tie_word_embeddings", true);
  // HF multiplies by sqrt(hidden) as a float32 (then in the weights' dtype;
  // the reference computes in float32 on the stored values, as we do).
  c.embedding_scale = std::sqrt(static_cast<float>(c.hidden));
  const float query_scalar = r.number("query_pre_attn_scalar", 256.0f);
  if (!(query_scalar > 0.0f)) r.fail("query_pre_attn_scalar must be positive");
  c.attention_scale = 1.0f / std::sqrt(query_scalar);
  c.attention_softcap = r.optional_number("attn_logit_softcapping").value_or(gemma3 ? 0.0f : 50.0f);
  c.final_softcap = r.optional_number("final_logit_softcapping").value_or(gemma3 ? 0.0f : 30.0f);
  if (r.is_null("attn_logit_softcapping")) c.attention_softcap = 0.0f;
  if (r.is_null("final_logit_softcapping")) c.final_softcap = 0.0f;

  const int window = r.window("sliding_window", 4096);
  if (!read_layer_types(r, c, window, 1)) {
    // Gemma 2: even layers slide. Gemma 3: every sliding_window_pattern-th
    // layer is global, the others local.
    const int pattern = gemma3 ? r.count("sliding_window_pattern", 6) : 2;
    c.layer_specs.clear();
    for (int i = 0; i < c.layers; ++i) {
      const bool global_layer = (i + 1) % pattern == 0;
      c.layer_specs.push_back(global_layer ? LayerSpec{0, 0} : LayerSpec{window, 1});
    }
  }
  validate_transformer_config(c, r.file());
  return c;
}

}  // namespace

TransformerConfig read_gemma_config(const nlohmann::json& config, const std::string& file,
                                    const char* model_type) {
  return read_config(ConfigReader(config, file), model_type);
}

}  // namespace beamscope
