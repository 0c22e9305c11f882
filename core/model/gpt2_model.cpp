// GPT-2 as a configuration of the transformer forward pass.
#include "model/gpt2_model.h"

#include <string>

#include "model/safetensors.h"
#include "util/error.h"

namespace beamscope {

namespace {

// Checks every tensor's size (the visitor re-derives them, so a hand-built
// Gpt2Weights is held to the same shapes as a loaded one), then moves the
// weights into the transformer's layout, dropping each row-major matrix once
// it is packed so the weights are held once.
//
// Matrices `in_file` names are packed from the file instead (the loader
// checked their shapes): F32 ones straight from the mapping when aligned,
// others through one reused buffer.
TransformerWeights gpt2_transformer_weights(const Gpt2Config& config, Gpt2Weights& weights,
                                            const std::string& path,
                                            const Gpt2FileMatrices* in_file) {
  validate_gpt2_config(config, path.empty() ? "GPT-2 config" : path);
  auto left_in_file = [&](const std::string& name) {
    return in_file && in_file->tensors.count(name);
  };
  for_each_gpt2_tensor(
      config, weights, [&](const std::string& name, const auto& shape, FloatBuffer& storage) {
        if (left_in_file(name)) return;
        std::size_t n = 1;
        for (auto d : shape) n *= d;
        if (storage.size() != n) {
          throw Error("GPT-2 weights: tensor '" + name + "' has " + std::to_string(storage.size()) +
                      " values, expected " + std::to_string(n) + ".");
        }
      });
  const bool tied = in_file ? in_file->tied_head() : weights.tied_head();
  if (!tied && !left_in_file("lm_head.weight") &&
      weights.lm_head.size() != static_cast<std::size_t>(config.vocab_size) * config.n_embd) {
    throw Error("GPT-2 weights: lm_head has the wrong size.");
  }
  FloatBuffer scratch;
  std::uint64_t bytes_done = in_file ? in_file->bytes_done : 0;
  auto floats = [&](const std::string& name, const FloatBuffer& storage) -> const float* {
    if (!left_in_file(name)) return storage.data();
    const SafetensorsTensor& t = *in_file->tensors.at(name);
    const auto raw = in_file->file->raw(t);
    bytes_done += raw.size();
    if (t.dtype == SafetensorsDtype::F32 && reinterpret_cast<std::uintptr_t>(raw.data()) % 4 == 0) {
      return reinterpret_cast<const float*>(raw.data());
    }
    scratch.resize(t.element_count);
    in_file->file->read_floats(t, scratch);
    return scratch.data();
  };
  auto report = [&] {
    if (!in_file || !in_file->progress) return;
    const double total = static_cast<double>(in_file->bytes_total);
    if (!in_file->progress(total > 0 ? std::min(1.0, bytes_done / total) : 1.0,
                           "Loading weights")) {
      throw Cancelled();
    }
  };
  const Eigen::Index V = config.vocab_size, C = config.n_embd, F = config.n_inner;
  TransformerWeights out;
  PanelArena arena;  // see PanelArena: each matrix written once
  enum class Layout { kRows, kTransposed };
  auto pack = [&](const std::string& name, const FloatBuffer& storage, Eigen::Index K,
                  Eigen::Index N, Layout layout) {
    if (left_in_file(name)) {
      // An F16 / BF16 file's matrices are packed from its 16-bit values.
      const SafetensorsTensor& t = *in_file->tensors.at(name);
      const auto raw = in_file->file->raw(t);
      const bool halves = t.dtype == SafetensorsDtype::F16 || t.dtype == SafetensorsDtype::BF16;
      if (halves && reinterpret_cast<std::uintptr_t>(raw.data()) % 2 == 0) {
        bytes_done += raw.size();
        const auto* bits = reinterpret_cast<const std::uint16_t*>(raw.data());
        const auto source = t.dtype == SafetensorsDtype::F16 ? PanelMatrix::Storage::kF16
                                                             : PanelMatrix::Storage::kBF16;
        return layout == Layout::kRows ? PanelMatrix::from_rows(bits, source, K, N, arena)
                                       : PanelMatrix::from_transposed(bits, source, K, N, arena);
      }
    }
    const float* values = floats(name, storage);
    return layout == Layout::kRows ? PanelMatrix::from_rows(values, K, N, arena)
                                   : PanelMatrix::from_transposed(values, K, N, arena);
  };
  for (std::size_t i = 0; i < weights.layers.size(); ++i) {
    Gpt2LayerWeights& w = weights.layers[i];
    const std::string h = "h." + std::to_string(i) + ".";
    TransformerLayerWeights l;
    l.attn_norm = {std::move(w.ln_1_weight), std::move(w.ln_1_bias)};
    l.mlp_norm = {std::move(w.ln_2_weight), std::move(w.ln_2_bias)};
    l.qkv = pack(h + "attn.c_attn.weight", w.attn_weight, C, 3 * C, Layout::kRows);
    l.qkv_bias = std::move(w.attn_bias);
    l.out = pack(h + "attn.c_proj.weight", w.attn_proj_weight, C, C, Layout::kRows);
    l.out_bias = std::move(w.attn_proj_bias);
    l.up = pack(h + "mlp.c_fc.weight", w.mlp_fc_weight, C, F, Layout::kRows);
    l.up_bias = std::move(w.mlp_fc_bias);
    l.down = pack(h + "mlp.c_proj.weight", w.mlp_proj_weight, F, C, Layout::kRows);
    l.down_bias = std::move(w.mlp_proj_bias);
    w = Gpt2LayerWeights();  // its matrices are packed; free them now
    out.layers.push_back(std::move(l));
    report();
  }
  out.head = tied ? pack("wte.weight", weights.wte, C, V, Layout::kTransposed)
                  : pack("lm_head.weight", weights.lm_head, C, V, Layout::kTransposed);
  // An untied wte stays float, as GPT-2's engine always held it.
  if (!tied) {
    out.embedding =
        EmbeddingTable(floats("wte.weight", weights.wte), V, C, EmbeddingTable::Narrow::kNever);
  }
  report();
  out.positions = std::move(weights.wpe);
  out.final_norm = {std::move(weights.ln_f_weight), std::move(weights.ln_f_bias)};
  return out;
}

}  // namespace

Gpt2Model::Parts gpt2_parts(const Gpt2Config& config, Gpt2Weights weights, const std::string& path,
                            const Gpt2FileMatrices* in_file) {
  const bool tied = in_file ? in_file->tied_head() : weights.tied_head();
  TransformerWeights converted = gpt2_transformer_weights(config, weights, path, in_file);
  return {gpt2_transformer_config(config, tied), std::move(converted)};
}

TransformerConfig gpt2_transformer_config(const Gpt2Config& g, bool tied_head) {
  TransformerConfig c;
  c.architecture = "gpt2";
  c.hidden = g.n_embd;
  c.layers = g.n_layer;
  c.heads = c.kv_heads = g.n_head;
  c.head_dim = g.n_head > 0 ? g.n_embd / g.n_head : 0;
  c.intermediate = g.n_inner;
  c.vocab = g.vocab_size;
  c.context = g.n_positions;
  c.norm = NormKind::kLayerNorm;
  c.norm_eps = g.layer_norm_epsilon;
  c.norm_bias = true;
  c.position = PositionKind::kLearned;
  c.layer_specs.assign(static_cast<std::size_t>(std::max(0, g.n_layer)), LayerSpec{});
  c.mlp = MlpKind::kPlain;
  c.activation = g.activation == Gpt2Config::Activation::GeluTanh ? Activation::kGeluTanh
                                                                  : Activation::kGeluErf;
  c.qkv_bias = c.out_bias = c.mlp_bias = true;
  c.residual = ResidualLayout::kSequential;
  c.tied_head = tied_head;
  return c;
}

Gpt2Model::Gpt2Model(const Gpt2Config& config, Gpt2Weights weights, std::string path)
    : Gpt2Model(gpt2_parts(config, std::move(weights), path), config, path) {}

Gpt2Model::Gpt2Model(const Gpt2Config& config, Gpt2Weights weights, const Gpt2FileMatrices& in_file,
                     std::string path)
    : Gpt2Model(gpt2_parts(config, std::move(weights), path, &in_file), config, path) {}

Gpt2Model::Gpt2Model(Parts parts, const Gpt2Config& config, std::string path)
    : TransformerModel(std::move(parts.config), std::move(parts.weights), std::move(path)),
      config_(config) {}

}  // namespace beamscope
