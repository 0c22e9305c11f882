// The GPT-2 forward pass. This is the only translation unit of the model that
// includes Eigen's product kernels, to keep build times down.
#include "model/gpt2_model.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <string>

#include "model/gpt2_kv_cache.h"
#include "util/error.h"

namespace beamscope {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using ConstRowVectorMap = Eigen::Map<const Eigen::RowVectorXf>;

template <typename Buffer>
void grow(Buffer& buffer, std::size_t n) {
  if (buffer.size() < n) buffer.resize(n);
}

// out = (x - mean) / sqrt(var + eps) * gain + bias, per row.  [R, C] -> [R, C]
void layer_norm(const MatrixMap& x, const FloatBuffer& gain, const FloatBuffer& bias, float eps,
                MatrixMap& out) {
  const ConstRowVectorMap g(gain.data(), x.cols());
  const ConstRowVectorMap b(bias.data(), x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const float mean = x.row(r).mean();
    const float variance = (x.row(r).array() - mean).square().mean();  // biased, like PyTorch
    const float inv_std = 1.0f / std::sqrt(variance + eps);
    out.row(r) = ((x.row(r).array() - mean) * inv_std * g.array() + b.array()).matrix();
  }
}

// In place.  [R, F] -> [R, F]
void gelu(MatrixMap& m, Gpt2Config::Activation activation) {
  if (activation == Gpt2Config::Activation::GeluTanh) {
    const float k = std::sqrt(2.0f / static_cast<float>(M_PI));
    auto a = m.array();
    a = 0.5f * a * (1.0f + (k * (a + 0.044715f * a.cube())).tanh());
  } else {
    const float inv_sqrt2 = 1.0f / std::sqrt(2.0f);
    float* p = m.data();
    for (Eigen::Index i = 0; i < m.size(); ++i)
      p[i] = 0.5f * p[i] * (1.0f + std::erf(p[i] * inv_sqrt2));
  }
}

// y = x W (or y += x W).  [T, K] x [K, N] -> [T, N], for a decode of a few
// rows and a prefill of many alike (PanelMatrix explains why one kernel).
void linear(const MatrixMap& x, const PanelMatrix& w, MatrixMap& y, bool accumulate) {
  w.multiply(x.data(), x.rows(), y.data(), accumulate);
}

// One row's causal self-attention over n visible positions, all heads at
// once: out[h] = softmax(K_h q_h * scale) V_h for every head h, where K and V
// are the cache's [n, C] rows (head h is columns [h*d, (h+1)*d)) and q is the
// row's query [C]. Both caches are read once, front to back, a whole row of C
// at a time: per-head GEMVs over strided [n, d] slices made 2 * H small calls
// per row and layer, and walked each cache row H times (with 4 beams at
// position 128, ~12 % of a decode step). `scores` is scratch of H * n floats.
void attend(const float* keys, const float* values, Eigen::Index n, const float* q, int H,
            Eigen::Index d, float scale, float* scores, float* out) {
  using ConstVector = Eigen::Map<const Eigen::VectorXf>;
  const Eigen::Index C = H * d;
  // scores[h, i] = (k_i,h . q_h) * scale  -> [H, n], one head's scores contiguous
  for (Eigen::Index i = 0; i < n; ++i) {
    const float* k = keys + i * C;
    for (int h = 0; h < H; ++h) {
      scores[h * n + i] = ConstVector(k + h * d, d).dot(ConstVector(q + h * d, d)) * scale;
    }
  }
  for (int h = 0; h < H; ++h) {  // softmax per head
    Eigen::Map<Eigen::ArrayXf> p(scores + h * n, n);
    p = (p - p.maxCoeff()).exp();
    p /= p.sum();
  }
  // out[h] = sum_i p[h, i] v_i,h
  Eigen::Map<Eigen::RowVectorXf> o(out, C);
  o.setZero();
  for (Eigen::Index i = 0; i < n; ++i) {
    const float* v = values + i * C;
    for (int h = 0; h < H; ++h) {
      o.segment(h * d, d) += scores[h * n + i] * ConstVector(v + h * d, d).transpose();
    }
  }
}

}  // namespace

Gpt2Model::Gpt2Model(const Gpt2Config& config, Gpt2Weights weights, std::string path)
    : config_(config), weights_(std::move(weights)) {
  validate_gpt2_config(config_, path.empty() ? "GPT-2 config" : path);
  // The visitor re-derives every expected size, so a hand-built Gpt2Weights
  // (tests, benchmarks) is held to the same shapes as a loaded one.
  for_each_gpt2_tensor(
      config_, weights_, [&](const std::string& name, const auto& shape, FloatBuffer& storage) {
        std::size_t n = 1;
        for (auto d : shape) n *= d;
        if (storage.size() != n) {
          throw Error("GPT-2 weights: tensor '" + name + "' has " + std::to_string(storage.size()) +
                      " values, expected " + std::to_string(n) + ".");
        }
      });
  if (!weights_.tied_head() &&
      weights_.lm_head.size() != static_cast<std::size_t>(config_.vocab_size) * config_.n_embd) {
    throw Error("GPT-2 weights: lm_head has the wrong size.");
  }
  info_.architecture = "gpt2";
  info_.path = std::move(path);
  info_.vocab_size = config_.vocab_size;
  info_.context_length = config_.n_positions;
  info_.parameter_count = config_.parameter_count(weights_.tied_head());

  // Repack every matrix once and drop its row-major copy (see layers_).
  const Eigen::Index V = config_.vocab_size, C = config_.n_embd, F = config_.n_inner;
  layers_.reserve(weights_.layers.size());
  for (Gpt2LayerWeights& w : weights_.layers) {
    layers_.push_back({PanelMatrix::from_rows(w.attn_weight.data(), C, 3 * C),
                       PanelMatrix::from_rows(w.attn_proj_weight.data(), C, C),
                       PanelMatrix::from_rows(w.mlp_fc_weight.data(), C, F),
                       PanelMatrix::from_rows(w.mlp_proj_weight.data(), F, C)});
    for (FloatBuffer* packed :
         {&w.attn_weight, &w.attn_proj_weight, &w.mlp_fc_weight, &w.mlp_proj_weight}) {
      FloatBuffer().swap(*packed);
    }
  }
  tied_head_ = weights_.tied_head();
  head_ = PanelMatrix::from_transposed(weights_.head().data(), C, V);
  FloatBuffer().swap(tied_head_ ? weights_.wte : weights_.lm_head);
  // All matrices in one block, in the order a step reads them.
  std::vector<PanelMatrix*> in_step_order;
  for (LayerMatrices& m : layers_) {
    in_step_order.insert(in_step_order.end(), {&m.attn, &m.attn_proj, &m.mlp_fc, &m.mlp_proj});
  }
  in_step_order.push_back(&head_);
  PanelMatrix::share_one_block(in_step_order);

  // What is held from here on: the matrices as packed (halves for an F16
  // file, padding included) and the rest as floats.
  info_.weight_bytes = weights_.bytes();
  for (const PanelMatrix* m : in_step_order) info_.weight_bytes += m->bytes();
}

std::unique_ptr<KvCache> Gpt2Model::new_cache() const {
  return std::make_unique<Gpt2KvCache>(config_.n_layer, config_.n_embd, config_.n_positions);
}

Gpt2KvCache& Gpt2Model::as_gpt2_cache(KvCache& cache) const {
  auto* gpt2 = dynamic_cast<Gpt2KvCache*>(&cache);
  if (!gpt2 || gpt2->n_layer() != config_.n_layer || gpt2->n_embd() != config_.n_embd ||
      gpt2->max_positions() != config_.n_positions) {
    throw Error("The KV cache was not made by this model.");
  }
  return *gpt2;
}

void Gpt2Model::check_token(std::int32_t token) const {
  if (token < 0 || token >= config_.vocab_size) {
    throw Error("Token id " + std::to_string(token) + " is outside the model's vocabulary (0.." +
                std::to_string(config_.vocab_size - 1) + ").");
  }
}

void Gpt2Model::prefill(KvCache& cache, std::span<const std::int32_t> tokens,
                        std::span<float> logits) {
  prefill_rows(cache, tokens, logits, /*all_logits=*/false);
}

void Gpt2Model::prefill_all_logits(KvCache& cache, std::span<const std::int32_t> tokens,
                                   std::span<float> logits) {
  prefill_rows(cache, tokens, logits, /*all_logits=*/true);
}

void Gpt2Model::prefill_rows(KvCache& cache, std::span<const std::int32_t> tokens,
                             std::span<float> logits, bool all_logits) {
  Gpt2KvCache& kv = as_gpt2_cache(cache);
  if (tokens.empty()) throw Error("Prefill needs at least one token.");
  const std::size_t wanted_rows = all_logits ? tokens.size() : 1;
  if (logits.size() != wanted_rows * config_.vocab_size) {
    throw Error("Prefill needs room for " + std::to_string(wanted_rows) + " x " +
                std::to_string(config_.vocab_size) + " logits.");
  }
  for (auto t : tokens) check_token(t);
  const int start = kv.length();
  const std::size_t total = static_cast<std::size_t>(start) + tokens.size();
  if (total > static_cast<std::size_t>(config_.n_positions)) {
    throw Error("The sequence would be " + std::to_string(total) +
                " tokens long, but the model's context length is " +
                std::to_string(config_.n_positions) + " tokens.");
  }
  kv.reserve(static_cast<int>(total));
  grow(scratch_.rows, tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    scratch_.rows[i] = {&kv, tokens[i], start + static_cast<int>(i)};
  }
  forward({scratch_.rows.data(), tokens.size()}, tokens.size() - wanted_rows, logits);
  kv.set_length(static_cast<int>(total));
}

void Gpt2Model::decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
                       std::span<float> logits) {
  const std::size_t batch = caches.size();
  if (tokens.size() != batch) {
    throw Error("Decode got " + std::to_string(batch) + " caches but " +
                std::to_string(tokens.size()) + " tokens.");
  }
  if (logits.size() != batch * config_.vocab_size) {
    throw Error("Decode needs room for " + std::to_string(batch) + " x " +
                std::to_string(config_.vocab_size) + " logits.");
  }
  if (batch == 0) return;
  grow(scratch_.rows, batch);
  for (std::size_t i = 0; i < batch; ++i) {
    if (!caches[i]) throw Error("Decode got a null KV cache.");
    Gpt2KvCache& kv = as_gpt2_cache(*caches[i]);
    for (std::size_t j = 0; j < i; ++j) {
      // Two rows writing the same cache position would corrupt it.
      if (caches[j] == caches[i]) throw Error("Decode got the same KV cache twice.");
    }
    check_token(tokens[i]);
    kv.reserve(kv.length() + 1);
    scratch_.rows[i] = {&kv, tokens[i], kv.length()};
  }
  forward({scratch_.rows.data(), batch}, 0, logits);
  for (std::size_t i = 0; i < batch; ++i) {
    scratch_.rows[i].cache->set_length(scratch_.rows[i].position + 1);
  }
}

void Gpt2Model::forward(std::span<const Row> rows, std::size_t first_logit_row,
                        std::span<float> logits) {
  const Eigen::Index T = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index C = config_.n_embd, F = config_.n_inner, V = config_.vocab_size;
  const int H = config_.n_head, d = config_.head_dim();
  const float eps = config_.layer_norm_epsilon;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));

  Scratch& s = scratch_;
  grow(s.x, T * C);
  grow(s.h, T * C);
  grow(s.qkv, T * 3 * C);
  grow(s.attn, T * C);
  grow(s.mlp, T * F);
  grow(s.scores, static_cast<std::size_t>(H) * config_.n_positions);
  MatrixMap x(s.x.data(), T, C);          // [T, C]
  MatrixMap h(s.h.data(), T, C);          // [T, C]
  MatrixMap qkv(s.qkv.data(), T, 3 * C);  // [T, 3C]
  MatrixMap attn(s.attn.data(), T, C);    // [T, C]
  MatrixMap mlp(s.mlp.data(), T, F);      // [T, F]

  // Embeddings: x[t] = wte[token] + wpe[position].  -> [T, C]
  // A tied model's wte is the head: row `token` of wte is column `token` of
  // head_ [C, V].
  const ConstMatrixMap wpe(weights_.wpe.data(), config_.n_positions, C);
  for (Eigen::Index t = 0; t < T; ++t) {
    if (tied_head_) {
      head_.copy_column(rows[t].token, x.row(t).data());
      x.row(t) += wpe.row(rows[t].position);
    } else {
      x.row(t) =
          ConstMatrixMap(weights_.wte.data(), V, C).row(rows[t].token) + wpe.row(rows[t].position);
    }
  }

  for (int l = 0; l < config_.n_layer; ++l) {
    const Gpt2LayerWeights& w = weights_.layers[l];
    const LayerMatrices& m = layers_[l];

    // --- attention ---
    layer_norm(x, w.ln_1_weight, w.ln_1_bias, eps, h);  // [T, C]
    // [T, C] x [C, 3C] -> [T, 3C]
    linear(h, m.attn, qkv, false);
    qkv.rowwise() += ConstRowVectorMap(w.attn_bias.data(), 3 * C);

    // Store every row's k, v first, so rows of one sequence (prefill) see
    // each other causally: row t attends to positions [0, position_t].
    for (Eigen::Index t = 0; t < T; ++t) {
      Gpt2KvCache& kv = *rows[t].cache;
      const std::size_t at = static_cast<std::size_t>(rows[t].position) * C;
      Eigen::Map<Eigen::RowVectorXf>(kv.keys(l) + at, C) = qkv.row(t).segment(C, C);
      Eigen::Map<Eigen::RowVectorXf>(kv.values(l) + at, C) = qkv.row(t).segment(2 * C, C);
    }
    for (Eigen::Index t = 0; t < T; ++t) {
      const Gpt2KvCache& kv = *rows[t].cache;
      attend(kv.keys(l), kv.values(l), rows[t].position + 1, qkv.row(t).data(), H, d, scale,
             s.scores.data(), attn.row(t).data());
    }
    // x += attn W_proj + b:  [T, C] x [C, C] -> [T, C]
    linear(attn, m.attn_proj, x, true);
    x.rowwise() += ConstRowVectorMap(w.attn_proj_bias.data(), C);

    // --- MLP ---
    layer_norm(x, w.ln_2_weight, w.ln_2_bias, eps, h);  // [T, C]
    // [T, C] x [C, F] -> [T, F]
    linear(h, m.mlp_fc, mlp, false);
    mlp.rowwise() += ConstRowVectorMap(w.mlp_fc_bias.data(), F);
    gelu(mlp, config_.activation);
    // x += gelu(.) W_proj + b:  [T, F] x [F, C] -> [T, C]
    linear(mlp, m.mlp_proj, x, true);
    x.rowwise() += ConstRowVectorMap(w.mlp_proj_bias.data(), C);
  }

  // Head, only for the rows whose logits are wanted (prefill: the last one).
  const Eigen::Index R = T - static_cast<Eigen::Index>(first_logit_row);
  const MatrixMap x_out(s.x.data() + first_logit_row * C, R, C);  // [R, C]
  MatrixMap h_out(s.h.data(), R, C);
  layer_norm(x_out, weights_.ln_f_weight, weights_.ln_f_bias, eps, h_out);
  MatrixMap out(logits.data(), R, V);
  // [R, C] x [C, V] -> [R, V]
  linear(h_out, head_, out, false);
}

}  // namespace beamscope
