#pragma once

#include <Eigen/Core>
#include <cmath>

#include "model/transformer_config.h"

namespace beamscope::ops {

// In place on n floats. The tanh form is the expression GPT-2's engine used
// (its logits stay bit-identical); the others follow torch's definitions.
inline void activate(Activation kind, float* data, Eigen::Index n) {
  Eigen::Map<Eigen::ArrayXf> a(data, n);
  switch (kind) {
    case Activation::kGeluTanh: {
      const float k = std::sqrt(2.0f / static_cast<float>(M_PI));
      a = 0.5f * a * (1.0f + (k * (a + 0.044715f * a.cube())).tanh());
      return;
    }
    case Activation::kGeluErf: {
      const float inv_sqrt2 = 1.0f / std::sqrt(2.0f);
      for (Eigen::Index i = 0; i < n; ++i)
        data[i] = 0.5f * data[i] * (1.0f + std::erf(data[i] * inv_sqrt2));
      return;
    }
    case Activation::kSilu:
      a = a / (1.0f + (-a).exp());
      return;
  }
}

}  // namespace beamscope::ops
