// The transformer forward pass. This and panel_matrix.cpp are the only
// translation units of the model that run Eigen's product kernels, to keep
// build times down.
#include "model/transformer_model.h"

#include <Eigen/Core>
#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "model/ops/activations.h"
#include "model/ops/attention.h"
#include "model/ops/norms.h"
#include "model/ops/rotary.h"
#include "model/transformer_kv_cache.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace beamscope {

namespace {

using ops::MatrixMap;
using ConstRowVectorMap = Eigen::Map<const Eigen::RowVectorXf>;
using RowMatrix = ops::RowMatrix;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;

template <typename Buffer>
void grow(Buffer& buffer, std::size_t n) {
  if (buffer.size() < n) buffer.resize(n);
}

// y = x W (or y += x W).  [T, K] x [K, N] -> [T, N], for a decode of a few
// rows and a prefill of many alike (PanelMatrix explains why one kernel).
void linear(const float* x, Eigen::Index T, const PanelMatrix& w, float* y, bool accumulate) {
  w.multiply(x, T, y, accumulate);
}

void add_bias(float* y, Eigen::Index T, const FloatBuffer& bias) {
  if (bias.empty()) return;
  const Eigen::Index N = static_cast<Eigen::Index>(bias.size());
  MatrixMap(y, T, N).rowwise() += ConstRowVectorMap(bias.data(), N);
}

std::size_t matrix_bytes(const TransformerLayerWeights& w) {
  return w.qkv.bytes() + w.out.bytes() + w.up.bytes() + w.down.bytes();
}

std::size_t vector_bytes(const TransformerLayerWeights& w) {
  std::size_t n = (w.qkv_bias.size() + w.out_bias.size() + w.up_bias.size() + w.down_bias.size()) *
                  sizeof(float);
  for (const ops::NormWeights* norm :
       {&w.attn_norm, &w.mlp_norm, &w.post_attn_norm, &w.post_mlp_norm, &w.q_norm, &w.k_norm}) {
    n += norm->bytes();
  }
  return n;
}

}  // namespace

TransformerModel::TransformerModel(TransformerConfig config, TransformerWeights weights,
                                   std::string path)
    : config_(std::move(config)), weights_(std::move(weights)) {
  const std::string where = path.empty() ? config_.architecture + " model" : path;
  validate_transformer_config(config_, where);
  const TransformerConfig& c = config_;
  const Eigen::Index C = c.hidden, F = c.intermediate, V = c.vocab;
  const Eigen::Index QKV = c.q_width() + 2 * c.kv_width();
  const Eigen::Index F_up = c.mlp == MlpKind::kGated ? 2 * F : F;
  auto wrong = [&](const std::string& what) {
    throw Error(where + ": the weights do not fit the config (" + what + ").");
  };
  auto check_matrix = [&](const PanelMatrix& m, Eigen::Index K, Eigen::Index N, const char* what) {
    if (m.rows() != K || m.cols() != N) wrong(what);
  };
  auto check_vector = [&](const FloatBuffer& v, std::size_t n, bool wanted, const char* what) {
    if (v.size() != (wanted ? n : 0)) wrong(what);
  };
  auto check_norm = [&](const ops::NormWeights& n, std::size_t size, bool wanted,
                        const char* what) {
    check_vector(n.weight, size, wanted, what);
    check_vector(n.bias, size, wanted && c.norm_bias && c.norm == NormKind::kLayerNorm, what);
  };
  if (static_cast<int>(weights_.layers.size()) != c.layers) wrong("number of layers");
  const bool sandwich = c.residual == ResidualLayout::kSandwich;
  for (const TransformerLayerWeights& w : weights_.layers) {
    check_norm(w.attn_norm, C, true, "attention norm");
    check_norm(w.mlp_norm, C, true, "MLP norm");
    check_norm(w.post_attn_norm, C, sandwich, "post-attention norm");
    check_norm(w.post_mlp_norm, C, sandwich, "post-MLP norm");
    check_vector(w.q_norm.weight, c.head_dim, c.qk_norm, "q norm");
    check_vector(w.k_norm.weight, c.head_dim, c.qk_norm, "k norm");
    check_matrix(w.qkv, C, QKV, "q/k/v projection");
    check_vector(w.qkv_bias, QKV, c.qkv_bias, "q/k/v bias");
    check_matrix(w.out, c.q_width(), C, "output projection");
    check_vector(w.out_bias, C, c.out_bias, "output bias");
    check_matrix(w.up, C, F_up, "MLP up projection");
    check_vector(w.up_bias, F_up, c.mlp_bias, "MLP up bias");
    check_matrix(w.down, F, C, "MLP down projection");
    check_vector(w.down_bias, C, c.mlp_bias, "MLP down bias");
  }
  check_norm(weights_.final_norm, C, true, "final norm");
  check_matrix(weights_.head, C, V, "output head");
  if (!c.tied_head && (weights_.embedding.rows() != V || weights_.embedding.cols() != C)) {
    wrong("token embeddings");
  }
  check_vector(weights_.positions, static_cast<std::size_t>(c.context) * C,
               c.position == PositionKind::kLearned, "position embeddings");
  if (c.position == PositionKind::kRotary) {
    for (const RopeSpec& r : c.ropes) inv_freq_.push_back(ops::rope_inv_freq(r, c.rotary_dims));
  }

  // All matrices in one block, in the order a step reads them.
  std::vector<PanelMatrix*> in_step_order;
  for (TransformerLayerWeights& w : weights_.layers) {
    in_step_order.insert(in_step_order.end(), {&w.qkv, &w.out, &w.up, &w.down});
  }
  in_step_order.push_back(&weights_.head);
  PanelMatrix::share_one_block(in_step_order);

  // Every cache of this model draws from one pool, so clones share pages.
  kv_pool_ = std::make_shared<KvPagePool>(c.layers, static_cast<int>(c.kv_width()));

  info_.architecture = c.architecture;
  info_.path = std::move(path);
  info_.vocab_size = c.vocab;
  info_.context_length = c.context;
  info_.parameter_count = c.parameter_count();
  // What is held: the matrices as packed (16-bit where the file was, padding
  // included) and the rest as stored.
  info_.weight_bytes = weights_.embedding.bytes() + weights_.positions.size() * sizeof(float) +
                       weights_.final_norm.bytes();
  for (const PanelMatrix* m : in_step_order) info_.weight_bytes += m->bytes();
  for (const TransformerLayerWeights& w : weights_.layers) info_.weight_bytes += vector_bytes(w);
  (void)matrix_bytes;
}

std::unique_ptr<KvCache> TransformerModel::new_cache() const {
  return std::make_unique<TransformerKvCache>(kv_pool_, config_.context);
}

TransformerKvCache& TransformerModel::own_cache(KvCache& cache) const {
  auto* own = dynamic_cast<TransformerKvCache*>(&cache);
  if (!own || own->n_layer() != config_.layers || own->width() != config_.kv_width() ||
      own->max_positions() != config_.context) {
    throw Error("The KV cache was not made by this model.");
  }
  return *own;
}

void TransformerModel::check_token(std::int32_t token) const {
  if (token < 0 || token >= config_.vocab) {
    throw Error("Token id " + std::to_string(token) + " is outside the model's vocabulary (0.." +
                std::to_string(config_.vocab - 1) + ").");
  }
}

void TransformerModel::prefill(KvCache& cache, std::span<const std::int32_t> tokens,
                               std::span<float> logits) {
  prefill_rows(cache, tokens, logits, /*all_logits=*/false);
}

void TransformerModel::prefill_all_logits(KvCache& cache, std::span<const std::int32_t> tokens,
                                          std::span<float> logits) {
  prefill_rows(cache, tokens, logits, /*all_logits=*/true);
}

void TransformerModel::prefill_rows(KvCache& cache, std::span<const std::int32_t> tokens,
                                    std::span<float> logits, bool all_logits) {
  TransformerKvCache& kv = own_cache(cache);
  if (tokens.empty()) throw Error("Prefill needs at least one token.");
  const std::size_t wanted_rows = all_logits ? tokens.size() : 1;
  if (logits.size() != wanted_rows * config_.vocab) {
    throw Error("Prefill needs room for " + std::to_string(wanted_rows) + " x " +
                std::to_string(config_.vocab) + " logits.");
  }
  for (auto t : tokens) check_token(t);
  const int start = kv.length();
  const std::size_t total = static_cast<std::size_t>(start) + tokens.size();
  if (total > static_cast<std::size_t>(config_.context)) {
    throw Error("The sequence would be " + std::to_string(total) +
                " tokens long, but the model's context length is " +
                std::to_string(config_.context) + " tokens.");
  }
  kv.reserve(static_cast<int>(total));
  grow(scratch_.rows, tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    scratch_.rows[i] = {&kv, tokens[i], start + static_cast<int>(i)};
  }
  forward({scratch_.rows.data(), tokens.size()}, tokens.size() - wanted_rows, logits);
  kv.set_length(static_cast<int>(total));
}

void TransformerModel::decode(std::span<KvCache* const> caches,
                              std::span<const std::int32_t> tokens, std::span<float> logits) {
  const std::size_t batch = caches.size();
  if (tokens.size() != batch) {
    throw Error("Decode got " + std::to_string(batch) + " caches but " +
                std::to_string(tokens.size()) + " tokens.");
  }
  if (logits.size() != batch * config_.vocab) {
    throw Error("Decode needs room for " + std::to_string(batch) + " x " +
                std::to_string(config_.vocab) + " logits.");
  }
  if (batch == 0) return;
  grow(scratch_.rows, batch);
  for (std::size_t i = 0; i < batch; ++i) {
    if (!caches[i]) throw Error("Decode got a null KV cache.");
    TransformerKvCache& kv = own_cache(*caches[i]);
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

void TransformerModel::attention(int l, std::span<const Row> rows) {
  const TransformerConfig& c = config_;
  const TransformerLayerWeights& w = weights_.layers[l];
  const Eigen::Index T = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index Q = c.q_width(), KVW = c.kv_width(), QKV = Q + 2 * KVW;
  Scratch& s = scratch_;
  float* qkv = s.qkv.data();

  // [T, C] x [C, (H + 2KV) d] -> [T, (H + 2KV) d]
  linear(s.h.data(), T, w.qkv, qkv, false);
  add_bias(qkv, T, w.qkv_bias);
  const LayerSpec& spec = c.layer_specs[l];
  const std::size_t half = static_cast<std::size_t>(c.rotary_dims / 2);
  for (Eigen::Index t = 0; t < T; ++t) {
    float* q = qkv + t * QKV;
    float* k = q + Q;
    if (c.qk_norm) {  // per head, before the rotation (Qwen3, Gemma 3)
      ops::normalize_heads(c.norm, q, c.heads, c.head_dim, w.q_norm, c.norm_eps);
      ops::normalize_heads(c.norm, k, c.kv_heads, c.head_dim, w.k_norm, c.norm_eps);
    }
    if (c.position == PositionKind::kRotary) {
      const std::size_t at = (static_cast<std::size_t>(spec.rope) * T + t) * half;
      ops::rotate_heads(c.rotary_pairing, q, c.heads, c.head_dim, c.rotary_dims, s.cos.data() + at,
                        s.sin.data() + at);
      ops::rotate_heads(c.rotary_pairing, k, c.kv_heads, c.head_dim, c.rotary_dims,
                        s.cos.data() + at, s.sin.data() + at);
    }
    // Store every row's k, v first, so rows of one sequence (prefill) see
    // each other causally: row t attends to positions [.., position_t].
    TransformerKvCache& kv = *rows[t].cache;
    std::copy_n(k, KVW, kv.key_row(l, rows[t].position));
    std::copy_n(k + KVW, KVW, kv.value_row(l, rows[t].position));
  }
  const ops::AttentionShape shape{c.heads, c.kv_heads, c.head_dim, c.scale(), c.attention_softcap};
  // Row t's heads [h0, h1), with the scores scratch of the thread running it.
  auto attend_part = [&](Eigen::Index t, int h0, int h1, int slot) {
    const TransformerKvCache& kv = *rows[t].cache;
    const Eigen::Index end = rows[t].position + 1;
    // A sliding window of W keeps the last W positions, this one included
    // (HF: kv_idx > q_idx - W).
    const Eigen::Index first =
        spec.sliding_window > 0 ? std::max<Eigen::Index>(0, end - spec.sliding_window) : 0;
    const std::ptrdiff_t key_offset = l * kv.pool().layer_stride();
    const ops::KvRows pages{kv.rows(), key_offset, key_offset + kv.pool().key_to_value()};
    ops::attend(pages, first, end, qkv + t * QKV, shape,
                s.scores.data() + static_cast<std::size_t>(slot) * s.scores_per_thread,
                s.attn.data() + t * Q, h0, h1);
  };
  // Attention reads every row's keys and values (4 beams: four caches) and
  // ran on one thread while the others waited for the next product. Rows
  // and, with fewer rows than threads, groups of heads go to the pool; each
  // head's arithmetic is the same on any thread, so the bits are too.
  ThreadPool& pool = ThreadPool::shared();
  const int threads = pool.threads();  // forward() gave each of them a scores block
  Eigen::Index positions = 0;
  for (const Row& r : rows) positions += r.position + 1;
  constexpr Eigen::Index kMinParallelFmas = Eigen::Index{1} << 16;
  if (threads == 1 || threads > s.scores_threads || 2 * positions * Q < kMinParallelFmas) {
    for (Eigen::Index t = 0; t < T; ++t) attend_part(t, 0, c.heads, 0);
    return;
  }
  const int parts =
      T >= threads ? 1 : std::min<int>(c.heads, static_cast<int>((threads + T - 1) / T));
  pool.run(static_cast<int>(T) * parts, [&](int chunk) {
    const int p = chunk % parts;
    attend_part(chunk / parts, c.heads * p / parts, c.heads * (p + 1) / parts,
                ThreadPool::worker_index());
  });
}

void TransformerModel::mlp(const TransformerLayerWeights& w, float* h, Eigen::Index T, float* dest,
                           bool accumulate) {
  const TransformerConfig& c = config_;
  const Eigen::Index F = c.intermediate;
  Scratch& s = scratch_;
  if (c.mlp == MlpKind::kPlain) {
    linear(h, T, w.up, s.mlp.data(), false);  // [T, C] x [C, F] -> [T, F]
    add_bias(s.mlp.data(), T, w.up_bias);
    ops::activate(c.activation, s.mlp.data(), T * F);
    linear(s.mlp.data(), T, w.down, dest, accumulate);  // [T, F] x [F, C] -> [T, C]
  } else {
    linear(h, T, w.up, s.mlp.data(), false);  // [T, C] x [C, 2F] -> [T, 2F]
    add_bias(s.mlp.data(), T, w.up_bias);
    for (Eigen::Index t = 0; t < T; ++t) {
      float* gate = s.mlp.data() + t * 2 * F;
      ops::activate(c.activation, gate, F);
      Eigen::Map<Eigen::ArrayXf>(s.gated.data() + t * F, F) =
          Eigen::Map<Eigen::ArrayXf>(gate, F) * Eigen::Map<Eigen::ArrayXf>(gate + F, F);
    }
    linear(s.gated.data(), T, w.down, dest, accumulate);  // [T, F] x [F, C] -> [T, C]
  }
  add_bias(dest, T, w.down_bias);
}

void TransformerModel::forward(std::span<const Row> rows, std::size_t first_logit_row,
                               std::span<float> logits) {
  const TransformerConfig& c = config_;
  const Eigen::Index T = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index C = c.hidden, F = c.intermediate, V = c.vocab;
  const Eigen::Index QKV = c.q_width() + 2 * c.kv_width();
  const std::size_t half = static_cast<std::size_t>(c.rotary_dims / 2);

  Scratch& s = scratch_;
  grow(s.x, T * C);
  grow(s.h, T * C);
  grow(s.qkv, T * QKV);
  grow(s.attn, T * c.q_width());
  grow(s.branch, T * C);
  grow(s.mlp, T * (c.mlp == MlpKind::kGated ? 2 * F : F));
  if (c.mlp == MlpKind::kGated) grow(s.gated, T * F);
  // One [H, positions] scores block per pool thread (attention() splits rows
  // and heads over them), grown in doublings from 1,024 positions so that a
  // long context does not reserve H x context per thread up front.
  {
    Eigen::Index longest = 0;
    for (const Row& r : rows) longest = std::max<Eigen::Index>(longest, r.position + 1);
    std::size_t capacity = std::max<std::size_t>(
        1024, std::bit_ceil(static_cast<std::size_t>(std::max<Eigen::Index>(longest, 1))));
    capacity = std::min<std::size_t>(capacity, static_cast<std::size_t>(std::max(c.context, 1)));
    capacity = std::max<std::size_t>(capacity, static_cast<std::size_t>(longest));
    const int threads = ThreadPool::shared().threads();
    const std::size_t per_thread = static_cast<std::size_t>(c.heads) * capacity;
    if (per_thread > s.scores_per_thread || threads > s.scores_threads) {
      s.scores_per_thread = std::max(per_thread, s.scores_per_thread);
      s.scores_threads = std::max(threads, s.scores_threads);
      grow(s.scores, s.scores_per_thread * static_cast<std::size_t>(s.scores_threads));
    }
  }
  grow(s.cos, c.ropes.size() * T * half);
  grow(s.sin, c.ropes.size() * T * half);
  MatrixMap x(s.x.data(), T, C);  // [T, C]
  MatrixMap h(s.h.data(), T, C);  // [T, C]

  // Embeddings -> [T, C]. A tied model's embeddings are its head's columns.
  for (Eigen::Index t = 0; t < T; ++t) {
    if (c.tied_head) {
      weights_.head.copy_column(rows[t].token, x.row(t).data());
    } else {
      weights_.embedding.copy_row(rows[t].token, x.row(t).data());
    }
    if (c.position == PositionKind::kLearned) {
      x.row(t) += ConstMatrixMap(weights_.positions.data(), c.context, C).row(rows[t].position);
    }
    if (c.embedding_scale != 1.0f) x.row(t) *= c.embedding_scale;
  }
  // This pass's rotary angles, per table: [ropes][T, rot/2].
  for (std::size_t r = 0; r < inv_freq_.size(); ++r) {
    for (Eigen::Index t = 0; t < T; ++t) {
      const std::size_t at = (r * T + t) * half;
      ops::rope_angles(inv_freq_[r], rows[t].position, s.cos.data() + at, s.sin.data() + at);
    }
  }

  for (int l = 0; l < c.layers; ++l) {
    const TransformerLayerWeights& w = weights_.layers[l];
    ops::normalize(c.norm, x, w.attn_norm, c.norm_eps, h);
    attention(l, rows);
    MatrixMap branch(s.branch.data(), T, C);
    switch (c.residual) {
      case ResidualLayout::kSequential:
        // x += attn W_o + b, then x += mlp(norm(x))
        linear(s.attn.data(), T, w.out, s.x.data(), true);
        add_bias(s.x.data(), T, w.out_bias);
        ops::normalize(c.norm, x, w.mlp_norm, c.norm_eps, h);
        mlp(w, s.h.data(), T, s.x.data(), true);
        break;
      case ResidualLayout::kParallel:
        // x += (attn W_o + b) + mlp(norm2(x)), both from the same x
        linear(s.attn.data(), T, w.out, s.branch.data(), false);
        add_bias(s.branch.data(), T, w.out_bias);
        ops::normalize(c.norm, x, w.mlp_norm, c.norm_eps, h);
        mlp(w, s.h.data(), T, s.branch.data(), true);
        x += branch;
        break;
      case ResidualLayout::kSandwich:
        linear(s.attn.data(), T, w.out, s.branch.data(), false);
        add_bias(s.branch.data(), T, w.out_bias);
        ops::normalize(c.norm, branch, w.post_attn_norm, c.norm_eps, branch);
        x += branch;
        ops::normalize(c.norm, x, w.mlp_norm, c.norm_eps, h);
        mlp(w, s.h.data(), T, s.branch.data(), false);
        ops::normalize(c.norm, branch, w.post_mlp_norm, c.norm_eps, branch);
        x += branch;
        break;
    }
  }

  // Head, only for the rows whose logits are wanted (prefill: the last one).
  const Eigen::Index R = T - static_cast<Eigen::Index>(first_logit_row);
  const MatrixMap x_out(s.x.data() + first_logit_row * C, R, C);  // [R, C]
  MatrixMap h_out(s.h.data(), R, C);
  ops::normalize(c.norm, x_out, weights_.final_norm, c.norm_eps, h_out);
  // [R, C] x [C, V] -> [R, V]
  linear(h_out.data(), R, weights_.head, logits.data(), false);
  if (c.final_softcap > 0.0f) {
    Eigen::Map<Eigen::ArrayXf> out(logits.data(), R * V);
    out = (out / c.final_softcap).tanh() * c.final_softcap;
  }
}

}  // namespace beamscope
