// GPT-NeoX (Pythia): LayerNorm with biases, partial rotary embeddings
// (rotary_pct of each head, rotate_half), a fused query_key_value projection
// in HF's per-head layout, a plain GELU MLP, GPT-J's parallel residual and an
// untied embed_out head. Defaults: transformers' configuration_gpt_neox.py.
#include <string>

#include "model/architectures/architecture.h"
#include "model/architectures/config_reader.h"
#include "model/architectures/tensor_loader.h"
#include "model/transformer_model.h"
#include "model/weight_files.h"

namespace beamscope {

namespace {

TransformerConfig read_config(const ConfigReader& r) {
  TransformerConfig c;
  c.architecture = "gpt_neox";
  c.vocab = r.count("vocab_size", 50432);
  c.hidden = r.count("hidden_size", 6144);
  c.layers = r.layer_count("num_hidden_layers", 44);
  c.heads = c.kv_heads = r.count("num_attention_heads", 64);
  if (c.hidden % c.heads != 0) {
    r.fail("hidden_size " + std::to_string(c.hidden) + " is not divisible by num_attention_heads " +
           std::to_string(c.heads));
  }
  c.head_dim = c.hidden / c.heads;
  c.intermediate = r.count("intermediate_size", 24576);
  c.context = r.count("max_position_embeddings", 2048);
  c.norm = NormKind::kLayerNorm;
  c.norm_bias = true;
  c.norm_eps = r.epsilon("layer_norm_eps", 1e-5f);
  c.position = PositionKind::kRotary;
  c.rotary_pairing = RotaryPairing::kHalves;
  // Newer transformers call these partial_rotary_factor and rope_theta.
  const float pct = r.number("partial_rotary_factor", r.number("rotary_pct", 0.25f));
  if (!(pct > 0.0f && pct <= 1.0f)) r.fail("rotary_pct must be in (0, 1]");
  c.rotary_dims = static_cast<int>(static_cast<float>(c.head_dim) * pct);
  RopeSpec rope;
  rope.theta = r.number("rope_theta", r.number("rotary_emb_base", 10000.0f));
  c.ropes = {read_rope_scaling(r, rope)};
  c.layer_specs.assign(static_cast<std::size_t>(c.layers), LayerSpec{});
  c.mlp = MlpKind::kPlain;
  c.activation = read_activation(r, "hidden_act", "gelu");
  c.qkv_bias = c.out_bias = r.flag("attention_bias", true);
  c.mlp_bias = true;
  c.residual = r.flag("use_parallel_residual", true) ? ResidualLayout::kParallel
                                                     : ResidualLayout::kSequential;
  c.tied_head = r.flag("tie_word_embeddings", false);
  validate_transformer_config(c, r.file());
  return c;
}

// query_key_value rows come per head ([H][q k v][d]); the forward pass
// wants q | k | v ([q k v][H][d]). Works on [3C, cols] rows (cols = C for
// the weight, 1 for the bias).
FloatBuffer per_head_to_stacked(const FloatBuffer& fused, int heads, int d, std::size_t cols) {
  FloatBuffer out(fused.size());
  for (int h = 0; h < heads; ++h) {
    for (int part = 0; part < 3; ++part) {
      for (int i = 0; i < d; ++i) {
        const std::size_t from = (static_cast<std::size_t>(h) * 3 * d + part * d + i) * cols;
        const std::size_t to =
            (static_cast<std::size_t>(part) * heads * d + static_cast<std::size_t>(h) * d + i) *
            cols;
        std::copy_n(fused.data() + from, cols, out.data() + to);
      }
    }
  }
  return out;
}

ops::NormWeights layer_norm(TensorLoader& t, const std::string& name, std::uint64_t size) {
  return {t.read(name + ".weight", {size}), t.read(name + ".bias", {size})};
}

}  // namespace

TransformerConfig read_gpt_neox_config(const nlohmann::json& config, const std::string& file,
                                       const char*) {
  return read_config(ConfigReader(config, file));
}

ArchitectureOutput load_gpt_neox(const ArchitectureInput& input, TransformerConfig c) {
  const WeightFiles files = WeightFiles::open_folder(input.dir);
  TensorLoader t(files, {"gpt_neox."}, input.progress);
  using U = std::uint64_t;
  const U C = c.hidden, F = c.intermediate, V = c.vocab;
  TransformerWeights w;
  for (int i = 0; i < c.layers; ++i) {
    const std::string p = "layers." + std::to_string(i) + ".";
    TransformerLayerWeights l;
    l.attn_norm = layer_norm(t, p + "input_layernorm", C);
    l.mlp_norm = layer_norm(t, p + "post_attention_layernorm", C);
    const FloatBuffer qkv = per_head_to_stacked(
        t.read(p + "attention.query_key_value.weight", {3 * C, C}), c.heads, c.head_dim, C);
    l.qkv = t.pack_transposed(qkv.data(), C, 3 * C);
    if (c.qkv_bias) {
      l.qkv_bias = per_head_to_stacked(t.read(p + "attention.query_key_value.bias", {3 * C}),
                                       c.heads, c.head_dim, 1);
    }
    l.out = t.linear({p + "attention.dense.weight"}, {C}, C);
    if (c.out_bias) l.out_bias = t.read(p + "attention.dense.bias", {C});
    l.up = t.linear({p + "mlp.dense_h_to_4h.weight"}, {F}, C);
    l.up_bias = t.read(p + "mlp.dense_h_to_4h.bias", {F});
    l.down = t.linear({p + "mlp.dense_4h_to_h.weight"}, {C}, F);
    l.down_bias = t.read(p + "mlp.dense_4h_to_h.bias", {C});
    w.layers.push_back(std::move(l));
  }
  w.final_norm = layer_norm(t, "final_layer_norm", C);
  if (c.tied_head) {
    w.head = t.linear({"embed_in.weight"}, {V}, C);
  } else {
    w.embedding = t.embedding("embed_in.weight", V, C);
    w.head = t.linear({"embed_out.weight"}, {V}, C);
  }
  t.check_all_used(
      [&](const std::string& name) {
        // Buffers older exports keep: the causal mask and the rotary table.
        return name.ends_with("attention.bias") || name.ends_with("attention.masked_bias") ||
               name.ends_with("rotary_emb.inv_freq") || (c.tied_head && name == "embed_out.weight");
      },
      "a gpt_neox model with " + std::to_string(c.layers) + " layers");
  ArchitectureOutput out;
  out.weight_files = files.paths();
  out.dtype = files.dtype();
  out.model = std::make_unique<TransformerModel>(std::move(c), std::move(w), input.dir.string());
  return out;
}

}  // namespace beamscope
