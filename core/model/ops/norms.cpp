#include "model/ops/norms.h"

#include <cmath>

namespace beamscope::ops {

namespace {

using ConstRowVectorMap = Eigen::Map<const Eigen::RowVectorXf>;

template <typename Row>
void rms_row(const Row& x, const float* weight, Eigen::Index C, bool plus_one, float eps,
             float* out) {
  const float mean_square = x.array().square().mean();
  const float inv = 1.0f / std::sqrt(mean_square + eps);
  Eigen::Map<Eigen::RowVectorXf> o(out, C);
  const ConstRowVectorMap w(weight, C);
  if (plus_one) {
    o = ((x.array() * inv) * (1.0f + w.array())).matrix();
  } else {
    o = (w.array() * (x.array() * inv)).matrix();
  }
}

}  // namespace

void normalize(NormKind kind, const MatrixMap& x, const NormWeights& w, float eps, MatrixMap& out) {
  const Eigen::Index C = x.cols();
  if (kind == NormKind::kLayerNorm) {
    // Kept exactly as GPT-2's engine computed it: its logits stay bit-identical.
    const ConstRowVectorMap g(w.weight.data(), C);
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      const float mean = x.row(r).mean();
      const float variance = (x.row(r).array() - mean).square().mean();  // biased, like PyTorch
      const float inv_std = 1.0f / std::sqrt(variance + eps);
      if (w.bias.empty()) {
        out.row(r) = ((x.row(r).array() - mean) * inv_std * g.array()).matrix();
      } else {
        const ConstRowVectorMap b(w.bias.data(), C);
        out.row(r) = ((x.row(r).array() - mean) * inv_std * g.array() + b.array()).matrix();
      }
    }
    return;
  }
  const bool plus_one = kind == NormKind::kRmsNormPlusOne;
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const Eigen::RowVectorXf row = x.row(r);  // out may alias x
    rms_row(row, w.weight.data(), C, plus_one, eps, out.row(r).data());
  }
}

void normalize_heads(NormKind kind, float* data, int count, int width, const NormWeights& w,
                     float eps) {
  MatrixMap heads(data, count, width);
  normalize(kind, heads, w, eps, heads);
}

}  // namespace beamscope::ops
