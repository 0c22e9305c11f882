#include "model/ops/rotary.h"

#include <cmath>

namespace beamscope::ops {

std::vector<float> rope_inv_freq(const RopeSpec& spec, int rotary_dims) {
  const int half = rotary_dims / 2;
  std::vector<float> inv_freq(static_cast<std::size_t>(half));
  for (int i = 0; i < half; ++i) {
    const float exponent = static_cast<float>(2 * i) / static_cast<float>(rotary_dims);
    inv_freq[i] = 1.0f / std::pow(spec.theta, exponent);
  }
  if (spec.scaling == RopeSpec::Scaling::kLinear) {
    for (float& f : inv_freq) f /= spec.factor;
  } else if (spec.scaling == RopeSpec::Scaling::kLlama3) {
    // Long wavelengths (low frequencies) are slowed by `factor`, short ones
    // kept, and the band between blended smoothly.
    const float old_context = static_cast<float>(spec.original_max_positions);
    const float low_freq_wavelen = old_context / spec.low_freq_factor;
    const float high_freq_wavelen = old_context / spec.high_freq_factor;
    for (float& f : inv_freq) {
      const float wavelen = 2.0f * static_cast<float>(M_PI) / f;
      const float scaled = wavelen > low_freq_wavelen ? f / spec.factor : f;
      if (wavelen < high_freq_wavelen || wavelen > low_freq_wavelen) {
        f = scaled;
      } else {
        const float smooth = (old_context / wavelen - spec.low_freq_factor) /
                             (spec.high_freq_factor - spec.low_freq_factor);
        f = (1.0f - smooth) * scaled / spec.factor + smooth * scaled;
      }
    }
  }
  if (!spec.freq_factors.empty()) {
    for (std::size_t i = 0; i < inv_freq.size(); ++i) inv_freq[i] /= spec.freq_factors[i];
  }
  return inv_freq;
}

void rope_angles(const std::vector<float>& inv_freq, int position, float* cos, float* sin) {
  const float p = static_cast<float>(position);
  for (std::size_t i = 0; i < inv_freq.size(); ++i) {
    const float angle = p * inv_freq[i];
    cos[i] = std::cos(angle);
    sin[i] = std::sin(angle);
  }
}

void rotate_heads(RotaryPairing pairing, float* data, int count, int head_dim, int rotary_dims,
                  const float* cos, const float* sin) {
  const int half = rotary_dims / 2;
  for (int h = 0; h < count; ++h) {
    float* x = data + static_cast<std::size_t>(h) * head_dim;
    for (int i = 0; i < half; ++i) {
      float& a = pairing == RotaryPairing::kHalves ? x[i] : x[2 * i];
      float& b = pairing == RotaryPairing::kHalves ? x[i + half] : x[2 * i + 1];
      const float a0 = a, b0 = b;
      a = a0 * cos[i] - b0 * sin[i];
      b = b0 * cos[i] + a0 * sin[i];
    }
  }
}

}  // namespace beamscope::ops
