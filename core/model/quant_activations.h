#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace beamscope {

// Activation rows quantized to 8-bit blocks the way llama.cpp quantizes them
// before a product with quantized weights (ggml's Q8_0 and Q8_K), so that the
// integer kernels (quant_int8_kernels.cpp) give llama.cpp's numbers:
//  - kQ8_0 (for Q8_0 and Q4_0 weights): per 32 values d = max|x| / 127, rounded to a
//    half-float as Q8_0 stores it, q = round(x * 127 / max|x|);
//  - kQ8_K (for the K-quants): per 256 values d = max / -127 with `max` the
//    value of largest magnitude (its sign kept), q = min(127, round(x / d)),
//    and the sum of each 16 consecutive q (the K-quants' mins and offsets
//    are multiplied by those sums instead of by every value; Q4_0's offset
//    too, so both kinds keep them).
// Rounding is to nearest, ties to even. Each group of 8 values is stored in
// the order the kernels pair them with the weights: positions 0 2 4 6 1 3 5
// 7 (kGroupOrder).
enum class ActivationBlocks { kQ8_0, kQ8_K };

struct QuantizedActivations {
  using Index = Eigen::Index;
  static constexpr int kGroupOrder[8] = {0, 2, 4, 6, 1, 3, 5, 7};

  ActivationBlocks kind = ActivationBlocks::kQ8_0;
  Index rows = 0, K = 0;
  std::vector<std::int8_t> q;      // [rows][K], groups of 8 in kGroupOrder
  std::vector<float> d;            // [rows][K / block()]
  std::vector<std::int16_t> sums;  // [rows][K / 16]

  int block() const { return kind == ActivationBlocks::kQ8_0 ? 32 : 256; }
  // x [rows, K] row-major; K a multiple of block().
  void quantize(const float* x, Index rows, Index K, ActivationBlocks kind);

  const std::int8_t* row(Index t) const { return q.data() + t * K; }
  float scale(Index t, Index b) const { return d[static_cast<std::size_t>(t * (K / block()) + b)]; }
  const std::int16_t* row_sums(Index t) const { return sums.data() + t * (K / 16); }
  // Value k of row t, in natural order (tests, the portable kernel).
  int at(Index t, Index k) const { return row(t)[k / 8 * 8 + position(k % 8)]; }
  static int position(int i) { return i % 2 == 0 ? i / 2 : 4 + i / 2; }
};

}  // namespace beamscope
