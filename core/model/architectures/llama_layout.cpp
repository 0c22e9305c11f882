#include "model/architectures/llama_layout.h"

#include "model/architectures/config_reader.h"
#include "model/transformer_model.h"
#include "model/weight_files.h"

namespace beamscope {

namespace {

ops::NormWeights norm(TensorLoader& t, const std::string& name, std::uint64_t size) {
  return {t.read(name, {size}), {}};
}

}  // namespace

TransformerWeights load_llama_layout(const TransformerConfig& c, TensorLoader& t) {
  using U = std::uint64_t;
  const U C = c.hidden, F = c.intermediate, V = c.vocab, Q = c.q_width(), KV = c.kv_width();
  const bool sandwich = c.residual == ResidualLayout::kSandwich;
  TransformerWeights w;
  for (int i = 0; i < c.layers; ++i) {
    const std::string p = "layers." + std::to_string(i) + ".";
    const std::string a = p + "self_attn.", m = p + "mlp.";
    TransformerLayerWeights l;
    l.attn_norm = norm(t, p + "input_layernorm.weight", C);
    if (sandwich) {
      l.post_attn_norm = norm(t, p + "post_attention_layernorm.weight", C);
      l.mlp_norm = norm(t, p + "pre_feedforward_layernorm.weight", C);
      l.post_mlp_norm = norm(t, p + "post_feedforward_layernorm.weight", C);
    } else {
      l.mlp_norm = norm(t, p + "post_attention_layernorm.weight", C);
    }
    const std::vector<std::string> qkv = {a + "q_proj.weight", a + "k_proj.weight",
                                          a + "v_proj.weight"};
    l.qkv = t.linear(qkv, {Q, KV, KV}, C);
    if (c.qkv_bias) {
      l.qkv_bias = t.biases({a + "q_proj.bias", a + "k_proj.bias", a + "v_proj.bias"}, {Q, KV, KV});
    }
    if (c.qk_norm) {
      l.q_norm = norm(t, a + "q_norm.weight", c.head_dim);
      l.k_norm = norm(t, a + "k_norm.weight", c.head_dim);
    }
    l.out = t.linear({a + "o_proj.weight"}, {C}, Q);
    if (c.out_bias) l.out_bias = t.read(a + "o_proj.bias", {C});
    l.up = t.linear({m + "gate_proj.weight", m + "up_proj.weight"}, {F, F}, C);
    l.down = t.linear({m + "down_proj.weight"}, {C}, F);
    if (c.mlp_bias) {
      l.up_bias = t.biases({m + "gate_proj.bias", m + "up_proj.bias"}, {F, F});
      l.down_bias = t.read(m + "down_proj.bias", {C});
    }
    w.layers.push_back(std::move(l));
  }
  w.final_norm = norm(t, "norm.weight", C);
  if (c.tied_head) {
    w.head = t.linear({"embed_tokens.weight"}, {V}, C);
  } else {
    w.embedding = t.embedding("embed_tokens.weight", V, C);
    w.head = t.linear({"lm_head.weight"}, {V}, C);
  }
  return w;
}

ArchitectureOutput build_llama_layout_model(const ArchitectureInput& input,
                                            TransformerConfig config) {
  const WeightFiles files = WeightFiles::open_folder(input.dir);
  TensorLoader tensors(files, {"model."}, input.progress);
  TransformerWeights weights = load_llama_layout(config, tensors);
  const std::string model =
      "a " + config.architecture + " model with " + std::to_string(config.layers) + " layers";
  tensors.check_all_used(
      [&](const std::string& name) {
        // A tied checkpoint may still carry the head HF ignores; rotary
        // tables some exports keep are recomputed.
        return (config.tied_head && name == "lm_head.weight") ||
               name.ends_with("rotary_emb.inv_freq");
      },
      model);
  ArchitectureOutput out;
  out.weight_files = files.paths();
  out.dtype = files.dtype();
  out.model =
      std::make_unique<TransformerModel>(std::move(config), std::move(weights), input.dir.string());
  return out;
}

bool read_layer_types(const ConfigReader& r, TransformerConfig& c, int window, int local_rope) {
  const nlohmann::json* types = r.find("layer_types");
  if (!types) return false;
  if (!types->is_array() || types->size() != static_cast<std::size_t>(c.layers)) {
    r.fail("\"layer_types\" must list one type per layer (" + std::to_string(c.layers) + ")");
  }
  c.layer_specs.clear();
  for (const auto& t : *types) {
    const std::string type = t.is_string() ? t.get<std::string>() : std::string();
    if (type == "sliding_attention") {
      c.layer_specs.push_back({window, local_rope});
    } else if (type == "full_attention") {
      c.layer_specs.push_back({0, 0});
    } else {
      r.fail("\"layer_types\" may hold only \"sliding_attention\" and \"full_attention\"");
    }
  }
  return true;
}

}  // namespace beamscope
