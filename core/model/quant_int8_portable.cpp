// The integer kernels in plain C++ (builds without AVX2, e.g.
// BEAMSCOPE_NATIVE=OFF): per column and block the same integer sums as the
// AVX2 kernel (quant_int8_avx2.cpp) and then the same float operations, so
// both give the same bits; slower, one value at a time.
#include "model/quant_int8_panel.h"

#if !(defined(__AVX2__) && defined(__FMA__) && defined(__F16C__))

#include <cmath>
#include <cstring>

#include "model/half_float.h"

namespace beamscope::quant_int8 {

namespace {

using u8 = std::uint8_t;

// Column c of a re-blocked block (QuantPanels: the field at GGUF offset o
// starts at o * width; unit u of column c at o * width + (u * width + c) *
// unit size).
struct Column {
  const u8* block;
  Index width, c;
  int byte(int offset, int unit) const { return block[(offset + unit) * width + c]; }
  float half(int offset, int unit = 0) const {
    std::uint16_t h;
    std::memcpy(&h, block + offset * width + 2 * (unit * width + c), 2);
    return f16_to_f32(h);
  }
};

struct Sums {
  std::int32_t values = 0;  // scaled sums of q x
  std::int32_t mins = 0;    // Q4_K: sum of min * (sum of x) per sub-block
};

Sums q8_0(const Column& w, const QuantizedActivations& x, Index t, Index k0) {
  Sums s;
  for (int r = 0; r < 32; ++r) s.values += static_cast<std::int8_t>(w.byte(2, r)) * x.at(t, k0 + r);
  return s;
}

Sums q4_0(const Column& w, const QuantizedActivations& x, Index t, Index k0) {
  Sums s;
  for (int r = 0; r < 32; ++r)
    s.values += (((w.byte(2, r % 16) >> (4 * (r / 16))) & 0xF) - 8) * x.at(t, k0 + r);
  return s;
}

// Q4_K, or Q5_K (kFive: fifth bits at 16, nibbles at 48).
template <bool kFive>
Sums q45_k(const Column& w, const QuantizedActivations& x, Index t, Index k0) {
  Sums s;
  const std::int16_t* sums = x.row_sums(t) + k0 / 16;
  for (int j = 0; j < 8; ++j) {
    int scale, min;
    if (j < 4) {
      scale = w.byte(4, j) & 63;
      min = w.byte(4, j + 4) & 63;
    } else {
      scale = (w.byte(4, j + 4) & 0xF) | ((w.byte(4, j - 4) >> 6) << 4);
      min = (w.byte(4, j + 4) >> 4) | ((w.byte(4, j) >> 6) << 4);
    }
    std::int32_t dot = 0;
    for (int l = 0; l < 32; ++l) {
      int q = (w.byte(kFive ? 48 : 16, 32 * (j / 2) + l) >> (4 * (j % 2))) & 0xF;
      if (kFive) q |= ((w.byte(16, l) >> j) & 1) << 4;
      dot += q * x.at(t, k0 + 32 * j + l);
    }
    s.values += scale * dot;
    s.mins += min * (sums[2 * j] + sums[2 * j + 1]);
  }
  return s;
}

Sums q6_k(const Column& w, const QuantizedActivations& x, Index t, Index k0) {
  Sums s;
  const std::int16_t* sums = x.row_sums(t) + k0 / 16;
  std::int32_t offset = 0;
  for (int sub = 0; sub < 16; ++sub) {
    const int scale = static_cast<std::int8_t>(w.byte(192, sub));
    std::int32_t dot = 0;
    for (int v = 16 * sub; v < 16 * sub + 16; ++v) {
      const int h = v / 128, k = (v % 128) / 32, l = v % 32;
      const int low = (w.byte(0, 64 * h + l + 32 * (k % 2)) >> (4 * (k / 2))) & 0xF;
      const int high = (w.byte(128, 32 * h + l) >> (2 * k)) & 3;
      dot += (low | (high << 4)) * x.at(t, k0 + v);
    }
    s.values += scale * dot;
    offset += scale * sums[sub];
  }
  s.values -= 32 * offset;
  return s;
}

}  // namespace

bool vectorized() { return false; }

void multiply_panel(GgmlType type, const std::uint8_t* panel, Index K, Index width,
                    const QuantizedActivations& x, float* out, Index ldy, Index cols,
                    bool accumulate) {
  const GgmlTypeInfo info = *ggml_type_info(static_cast<std::uint32_t>(type));
  const Index blocks = K / info.block;
  for (Index t = 0; t < x.rows; ++t) {
    for (Index c = 0; c < cols; ++c) {
      float y = 0.0f;
      for (Index b = 0; b < blocks; ++b) {
        const Column w{panel + static_cast<std::size_t>(b) * info.block_bytes * width, width, c};
        const float dx = x.scale(t, b);
        if (type == GgmlType::kQ8_0 || type == GgmlType::kQ4_0) {
          const Sums s = type == GgmlType::kQ8_0 ? q8_0(w, x, t, 32 * b) : q4_0(w, x, t, 32 * b);
          y = std::fma(w.half(0) * dx, static_cast<float>(s.values), y);
        } else if (type == GgmlType::kQ4_K || type == GgmlType::kQ5_K) {
          const Sums s = type == GgmlType::kQ4_K ? q45_k<false>(w, x, t, 256 * b)
                                                 : q45_k<true>(w, x, t, 256 * b);
          y = std::fma(w.half(0) * dx, static_cast<float>(s.values), y);
          y = std::fma(-(w.half(0, 1) * dx), static_cast<float>(s.mins), y);
        } else {
          y = std::fma(w.half(208) * dx, static_cast<float>(q6_k(w, x, t, 256 * b).values), y);
        }
      }
      float& o = out[t * ldy + c];
      o = accumulate ? o + y : y;
    }
  }
}

}  // namespace beamscope::quant_int8

#endif
