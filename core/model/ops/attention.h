#pragma once

#include <Eigen/Core>
#include <cstddef>

namespace beamscope::ops {

// The shape of one row's attention over a KV cache.
struct AttentionShape {
  int heads = 0;     // H query heads
  int kv_heads = 0;  // KV key/value heads; query head h reads kv head h / (H / KV)
  int head_dim = 0;  // d
  float scale = 1.0f;
  float softcap = 0.0f;  // 0 = none; else scores -> softcap * tanh(scores / softcap)
};

// Where one layer's keys and values of a sequence live: position i's key row
// (KV * d floats) is rows[i] + key_offset, its value row rows[i] +
// value_offset. The rows sit in pages of a KvPagePool, so consecutive
// positions need not be adjacent.
struct KvRows {
  const float* const* rows = nullptr;
  std::ptrdiff_t key_offset = 0;
  std::ptrdiff_t value_offset = 0;
  const float* key(Eigen::Index i) const { return rows[i] + key_offset; }
  const float* value(Eigen::Index i) const { return rows[i] + value_offset; }
};

// One row's causal self-attention, all heads at once: out[h] = softmax(K_g
// q_h * scale) V_g over cache positions [first, end), g = h's kv head. q and
// out are H * d. Both caches are read once, front to back, a whole row at a
// time (values a block of rows at a time, each head's sums in registers):
// per-head GEMVs over strided slices made 2 * H small calls per row and
// layer and walked each cache row H times. `scores` is scratch of
// H * (end - first) floats. Every sum runs in position order, so a row's
// result does not depend on how heads or rows are split.
//
// Query heads [first_head, end_head) only (default: all): threads split a
// row's heads; each head's arithmetic is the same either way, and only its
// own rows of `scores` and segments of `out` are written.
void attend(const KvRows& kv, Eigen::Index first, Eigen::Index end, const float* q,
            const AttentionShape& shape, float* scores, float* out, int first_head = 0,
            int end_head = -1);

}  // namespace beamscope::ops
