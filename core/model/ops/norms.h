#pragma once

#include <Eigen/Core>

#include "model/aligned_buffer.h"
#include "model/transformer_config.h"

namespace beamscope::ops {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;

// A norm's parameters: weight [C], and bias [C] for a LayerNorm that has one
// (empty otherwise).
struct NormWeights {
  FloatBuffer weight;
  FloatBuffer bias;
  std::size_t bytes() const { return (weight.size() + bias.size()) * sizeof(float); }
};

// out = norm(x) per row, [R, C] -> [R, C]; out may be x itself.
//  kLayerNorm:      (x - mean) / sqrt(var + eps) * w + b (biased variance, as PyTorch)
//  kRmsNorm:        w * (x / sqrt(mean(x^2) + eps))       (HF LlamaRMSNorm)
//  kRmsNormPlusOne: (x / sqrt(mean(x^2) + eps)) * (1 + w)  (HF Gemma3RMSNorm)
void normalize(NormKind kind, const MatrixMap& x, const NormWeights& w, float eps, MatrixMap& out);

// The same for `count` vectors of `width` floats at `data` (in place): the
// per-head q/k norms of Qwen3 and Gemma 3.
void normalize_heads(NormKind kind, float* data, int count, int width, const NormWeights& w,
                     float eps);

}  // namespace beamscope::ops
