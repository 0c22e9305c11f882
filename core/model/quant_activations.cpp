// Activation rows to 8-bit blocks (see quant_activations.h).
#include "model/quant_activations.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace beamscope {

namespace {

using Index = Eigen::Index;

// float -> half-float -> float, rounding to nearest even (Q8_0 stores its
// scale as a half). Scales here are positive and far from half's overflow
// (max|x| / 127); below its normal range the value is rounded to the
// subnormal grid.
float round_to_half(float f) {
  std::uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const std::uint32_t exponent = (bits >> 23) & 0xFF;
  if (exponent == 0xFF || f == 0.0f) return f;
  // The spacing of halves around f: 2^(e - 10) for normal halves
  // (e >= -14), 2^-24 below.
  const int e = std::max(static_cast<int>(exponent) - 127, -14);
  const float step = std::ldexp(1.0f, e - 10);
  return std::nearbyint(f / step) * step;
}

// One group of 8 quantized values into kGroupOrder.
void store_group(const int* q, std::int8_t* out) {
  for (int i = 0; i < 8; ++i)
    out[QuantizedActivations::position(i)] = static_cast<std::int8_t>(q[i]);
}

void quantize_q8_0(const float* x, Index K, std::int8_t* q, float* d) {
  for (Index b = 0; b < K / 32; ++b) {
    const float* v = x + 32 * b;
    float amax = 0.0f;
    for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(v[i]));
    d[b] = round_to_half(amax / 127.0f);
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    int values[32];
    for (int i = 0; i < 32; ++i) values[i] = static_cast<int>(std::nearbyint(v[i] * id));
    for (int g = 0; g < 4; ++g) store_group(values + 8 * g, q + 32 * b + 8 * g);
  }
}

void quantize_q8_k(const float* x, Index K, std::int8_t* q, float* d) {
  for (Index b = 0; b < K / 256; ++b) {
    const float* v = x + 256 * b;
    float amax = 0.0f, max = 0.0f;
    for (int i = 0; i < 256; ++i) {
      if (std::fabs(v[i]) > amax) {
        amax = std::fabs(v[i]);
        max = v[i];
      }
    }
    int values[256] = {};
    if (amax == 0.0f) {
      d[b] = 0.0f;
    } else {
      const float iscale = -127.0f / max;
      for (int i = 0; i < 256; ++i)
        values[i] = std::min(127, static_cast<int>(std::nearbyint(iscale * v[i])));
      d[b] = 1.0f / iscale;
    }
    for (int g = 0; g < 32; ++g) store_group(values + 8 * g, q + 256 * b + 8 * g);
  }
}

}  // namespace

void QuantizedActivations::quantize(const float* x, Index T, Index K_, ActivationBlocks kind_) {
  kind = kind_;
  rows = T;
  K = K_;
  const auto n = static_cast<std::size_t>(T * K);
  if (q.size() < n) q.resize(n);
  d.resize(static_cast<std::size_t>(T * (K / block())));
  sums.resize(static_cast<std::size_t>(T * (K / 16)));
  for (Index t = 0; t < T; ++t) {
    std::int8_t* qt = q.data() + t * K;
    float* dt = d.data() + t * (K / block());
    if (kind == ActivationBlocks::kQ8_0) {
      quantize_q8_0(x + t * K, K, qt, dt);
    } else {
      quantize_q8_k(x + t * K, K, qt, dt);
    }
    // Each 16 consecutive values are two whole groups: their order inside
    // does not change the sum.
    for (Index s = 0; s < K / 16; ++s) {
      int sum = 0;
      for (int i = 0; i < 16; ++i) sum += qt[16 * s + i];
      sums[static_cast<std::size_t>(t * (K / 16) + s)] = static_cast<std::int16_t>(sum);
    }
  }
}

}  // namespace beamscope
