// llama.cpp's tensor names -> TransformerWeights. Every weight is stored as
// llama.cpp computes with it: a matrix is [out rows of in values] (GGML dims
// {in, out}), i.e. the transpose of y = x W, so it packs with
// PanelMatrix::from_transposed (or, quantized, PanelMatrix::from_quantized,
// whose QuantParts are those rows as the file holds them); q | k | v and
// gate | up are stacked by rows.
// Names:
//   token_embd [C, V], position_embd [C, P] (gpt2), output_norm, output [C, V]
//   blk.N.attn_norm, attn_q / attn_k / attn_v or attn_qkv (gpt2, gptneox),
//   attn_q_norm / attn_k_norm (qwen3, gemma3), attn_output,
//   post_attention_norm (gemma3), ffn_norm, ffn_gate, ffn_up, ffn_down,
//   post_ffw_norm (gemma3); .bias beside .weight where the family has biases.
#include <cstdlib>
#include <optional>
#include <set>
#include <string>

#include "model/gguf/gguf_model.h"
#include "util/error.h"

namespace beamscope {

namespace {

using U = std::uint64_t;

class Tensors {
 public:
  Tensors(const GgufFile& f, const ProgressFn& progress) : f_(f), progress_(progress) {
    for (const GgufTensor& t : f.tensors()) total_ += t.bytes;
  }

  bool has(const std::string& name) const { return f_.tensor(name) != nullptr; }

  // Tensor `name`, which must have GGML dims {in, rows} (or {in} when
  // rows == 0) and a type Beamscope decodes.
  const GgufTensor& checked(const std::string& name, U in, U rows) const {
    const GgufTensor* t = f_.tensor(name);
    if (!t) f_.fail("lacks the tensor '" + name + "'");
    const std::vector<U> want = rows ? std::vector<U>{in, rows} : std::vector<U>{in};
    if (t->dims != want)
      f_.fail("gives tensor '" + name + "' the shape " + shape(t->dims) +
              " where the metadata needs " + shape(want));
    const auto info = ggml_type_info(static_cast<std::uint32_t>(t->type));
    if (!info->dequantizable)
      f_.fail("stores tensor '" + name + "' as " + info->name +
              ", a type Beamscope cannot decode (supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, "
              "Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K)");
    return *t;
  }
  // Appends tensor `name` (as checked()) decoded to floats.
  void append(const std::string& name, U in, U rows, FloatBuffer& out) {
    const GgufTensor& t = checked(name, in, rows);
    const std::size_t at = out.size();
    out.resize(at + t.elements);
    dequantize(t.type, f_.data(t).data(), t.elements, out.data() + at);
    mark_used(t);
  }
  void mark_used(const GgufTensor& t) {
    used_.insert(t.name);
    done_ += t.bytes;
    if (progress_ &&
        !progress_(total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0,
                   "Loading weights"))
      throw Cancelled();
  }
  // Matrices [outs[i], in] stacked, kept quantized when the kernel decodes
  // their types (see QuantPanels), else nullopt.
  std::optional<PanelMatrix> quantized(const std::vector<std::string>& names,
                                       const std::vector<U>& outs, U in) {
    if (!keep_quantized_) return std::nullopt;
    std::vector<QuantPart> parts;
    std::vector<const GgufTensor*> tensors;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const GgufTensor& t = checked(names[i] + ".weight", in, outs[i]);
      if (!QuantPanels::decodes(t.type)) return std::nullopt;
      parts.push_back({t.type, f_.data(t).data(), static_cast<PanelMatrix::Index>(outs[i])});
      tensors.push_back(&t);
    }
    auto m = PanelMatrix::from_quantized(parts, static_cast<PanelMatrix::Index>(in), arena_,
                                         integer_products_);
    if (m)
      for (const GgufTensor* t : tensors) mark_used(*t);
    return m;
  }
  // An untied token-embedding table [rows, in]: a quantized one kept as its
  // blocks (one row is read per token), anything else as floats.
  EmbeddingTable embedding(const std::string& name, U in, U rows) {
    const GgufTensor& t = checked(name, in, rows);
    const auto r = static_cast<std::int64_t>(rows), c = static_cast<std::int64_t>(in);
    if (keep_quantized_ && ggml_type_info(static_cast<std::uint32_t>(t.type))->block > 1) {
      EmbeddingTable table(t.type, f_.data(t).data(), r, c);
      mark_used(t);
      return table;
    }
    FloatBuffer values;
    append(name, in, rows, values);
    return EmbeddingTable(values.data(), r, c);
  }
  FloatBuffer vector(const std::string& name, U n) {
    FloatBuffer out;
    append(name, n, 0, out);
    return out;
  }
  ops::NormWeights norm(const std::string& name, U n, bool bias) {
    ops::NormWeights w;
    w.weight = vector(name + ".weight", n);
    if (bias) w.bias = vector(name + ".bias", n);
    return w;
  }
  // Matrices [outs[i], in] stacked into one W [in, sum outs].
  PanelMatrix linear(const std::vector<std::string>& names, const std::vector<U>& outs, U in) {
    if (auto m = quantized(names, outs, in)) return std::move(*m);
    rows_.clear();  // reused: its pages are fresh once, not per matrix
    U total = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
      append(names[i] + ".weight", in, outs[i], rows_);
      total += outs[i];
    }
    return PanelMatrix::from_transposed(rows_.data(), static_cast<PanelMatrix::Index>(in),
                                        static_cast<PanelMatrix::Index>(total), arena_);
  }
  FloatBuffer biases(const std::vector<std::string>& names, const std::vector<U>& outs) {
    FloatBuffer out;
    for (std::size_t i = 0; i < names.size(); ++i) append(names[i] + ".bias", outs[i], 0, out);
    return out;
  }
  // A tensor the config read itself (rope_freqs.weight).
  void read_elsewhere(const std::string& name) { used_.insert(name); }
  void check_all_used() const {
    for (const GgufTensor& t : f_.tensors())
      if (!used_.count(t.name))
        f_.fail("holds the tensor '" + t.name +
                "', which is not part of the model its metadata describes");
  }

 private:
  static std::string shape(const std::vector<U>& dims) {
    std::string s = "[";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
  }
  const GgufFile& f_;
  ProgressFn progress_;
  std::set<std::string> used_;
  std::size_t total_ = 0, done_ = 0;
  PanelArena arena_;  // see PanelArena: each matrix written once
  // BEAMSCOPE_GGUF_DEQUANTIZE=1 dequantizes every matrix at load, as before
  // the quantized kernels (benchmarks compare the two).
  bool keep_quantized_ = [] {
    const char* v = std::getenv("BEAMSCOPE_GGUF_DEQUANTIZE");
    return !v || std::string(v) != "1";
  }();
  // Products with activations quantized to 8-bit blocks, as llama.cpp
  // computes them (its speed and its numbers), unless
  // BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS=1: float activations, log-probs within
  // 1e-4 of float arithmetic on the dequantized weights (core/model/README.md,
  // "Integer products").
  bool integer_products_ = [] {
    const char* v = std::getenv("BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS");
    return !v || std::string(v) != "1";
  }();
  FloatBuffer rows_;  // the matrix being packed, as floats
};

}  // namespace

TransformerWeights gguf_transformer_weights(const GgufFile& f, const TransformerConfig& c,
                                            const ProgressFn& progress) {
  Tensors t(f, progress);
  const U C = c.hidden, F = c.intermediate, V = c.vocab, Q = c.q_width(), KV = c.kv_width();
  const bool ln_bias = c.norm == NormKind::kLayerNorm && c.norm_bias;
  const bool fused_qkv = c.architecture == "gpt2" || c.architecture == "gptneox";
  TransformerWeights w;
  for (int i = 0; i < c.layers; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    TransformerLayerWeights l;
    l.attn_norm = t.norm(p + "attn_norm", C, ln_bias);
    if (fused_qkv) {
      l.qkv = t.linear({p + "attn_qkv"}, {Q + 2 * KV}, C);
      if (c.qkv_bias) l.qkv_bias = t.biases({p + "attn_qkv"}, {Q + 2 * KV});
    } else {
      const std::vector<std::string> qkv = {p + "attn_q", p + "attn_k", p + "attn_v"};
      l.qkv = t.linear(qkv, {Q, KV, KV}, C);
      if (c.qkv_bias) l.qkv_bias = t.biases(qkv, {Q, KV, KV});
    }
    if (c.qk_norm) {
      l.q_norm = t.norm(p + "attn_q_norm", c.head_dim, false);
      l.k_norm = t.norm(p + "attn_k_norm", c.head_dim, false);
    }
    l.out = t.linear({p + "attn_output"}, {C}, Q);
    if (c.out_bias) l.out_bias = t.vector(p + "attn_output.bias", C);
    if (c.residual == ResidualLayout::kSandwich) {
      l.post_attn_norm = t.norm(p + "post_attention_norm", C, false);
      l.post_mlp_norm = t.norm(p + "post_ffw_norm", C, false);
    }
    l.mlp_norm = t.norm(p + "ffn_norm", C, ln_bias);
    if (c.mlp == MlpKind::kGated) {
      l.up = t.linear({p + "ffn_gate", p + "ffn_up"}, {F, F}, C);
      if (c.mlp_bias) l.up_bias = t.biases({p + "ffn_gate", p + "ffn_up"}, {F, F});
    } else {
      l.up = t.linear({p + "ffn_up"}, {F}, C);
      if (c.mlp_bias) l.up_bias = t.vector(p + "ffn_up.bias", F);
    }
    l.down = t.linear({p + "ffn_down"}, {C}, F);
    if (c.mlp_bias) l.down_bias = t.vector(p + "ffn_down.bias", C);
    w.layers.push_back(std::move(l));
  }
  w.final_norm = t.norm("output_norm", C, ln_bias);
  if (c.position == PositionKind::kLearned) {
    FloatBuffer table;
    t.append("position_embd.weight", C, static_cast<U>(c.context), table);
    w.positions = std::move(table);
  }
  if (c.tied_head) {
    w.head = t.linear({"token_embd"}, {V}, C);
  } else {
    w.embedding = t.embedding("token_embd.weight", C, V);
    w.head = t.linear({"output"}, {V}, C);
  }
  if (!c.ropes.empty() && !c.ropes[0].freq_factors.empty()) t.read_elsewhere("rope_freqs.weight");
  t.check_all_used();
  return w;
}

std::string gguf_dtype(const GgufFile& f) {
  std::set<std::string> types;
  for (const GgufTensor& t : f.tensors())
    if (t.dims.size() >= 2) types.insert(ggml_type_name(t.type));
  if (types.size() == 1) return *types.begin();
  std::string s;
  for (const auto& n : types) s += (s.empty() ? "" : ", ") + n;
  return "mixed (" + s + ")";
}

}  // namespace beamscope
