#include "model/ops/attention.h"

#include <cmath>

namespace beamscope::ops {

void attend(const KvRows& kv, Eigen::Index first, Eigen::Index end, const float* q,
            const AttentionShape& s, float* scores, float* out, int first_head, int end_head) {
  using ConstVector = Eigen::Map<const Eigen::VectorXf>;
  const int h0 = first_head, h1 = end_head < 0 ? s.heads : end_head;
  const Eigen::Index d = s.head_dim, n = end - first;
  const int group = s.heads / s.kv_heads;
  // scores[h, i] = (k_i,g . q_h) * scale  -> [H, n], one head's scores contiguous
  for (Eigen::Index i = 0; i < n; ++i) {
    const float* k = kv.key(first + i);
    for (int h = h0; h < h1; ++h) {
      scores[h * n + i] =
          ConstVector(k + (h / group) * d, d).dot(ConstVector(q + h * d, d)) * s.scale;
    }
  }
  if (s.softcap > 0.0f) {  // Gemma 2: before the softmax, as HF
    Eigen::Map<Eigen::ArrayXf> all(scores + h0 * n, (h1 - h0) * n);
    all = (all / s.softcap).tanh() * s.softcap;
  }
  for (int h = h0; h < h1; ++h) {  // softmax per head
    Eigen::Map<Eigen::ArrayXf> p(scores + h * n, n);
    p = (p - p.maxCoeff()).exp();
    p /= p.sum();
  }
  // out[h] = sum_i p[h, i] v_i,g
  Eigen::Map<Eigen::RowVectorXf> o(out + h0 * d, (h1 - h0) * d);
  o.setZero();
  for (Eigen::Index i = 0; i < n; ++i) {
    const float* v = kv.value(first + i);
    for (int h = h0; h < h1; ++h) {
      o.segment((h - h0) * d, d) +=
          scores[h * n + i] * ConstVector(v + (h / group) * d, d).transpose();
    }
  }
}

}  // namespace beamscope::ops
