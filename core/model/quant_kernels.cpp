// The quantized panel kernels: each type's re-blocked panel (see
// quant_panels.h) decoded row by row into float packets, which a sink either
// multiplies into register accumulators (a decode step: the panel is read
// once from memory) or stores (a prefill: decoded once for all rows).
//
// Each value is computed exactly as dequantize() computes it (the same
// products and differences, in the same order, one rounding each), and this
// file and gguf_tensor_type.cpp are compiled with -ffp-contract=off so that
// neither fuses a multiply and a subtract the other keeps apart.
#include <cassert>
#include <vector>

#include "model/quant_int8_layout.h"
#include "model/quant_panels.h"
#include "model/quant_simd.h"

namespace beamscope {

namespace {

using namespace quant_simd;
using Index = Eigen::Index;
// Packets per panel row: PanelMatrix's panels are two packets wide.
constexpr int G = 2;
constexpr Index W = G * kLanes;

// Offsets of a field in a re-blocked block: GGUF byte offset o -> o * W.
EIGEN_ALWAYS_INLINE const u8* field(const u8* block, int gguf_offset) {
  return block + gguf_offset * W;
}

// Q8_0: half d, 32 int8. Value d * q.
struct Q8_0 {
  static constexpr int kBlock = 32, kBytes = 34;
  template <typename Sink>
  EIGEN_ALWAYS_INLINE static void block(const u8* b, Index k0, Sink& sink) {
    Packet d[G], w[G];
    for (int g = 0; g < G; ++g) d[g] = load_halves(b + 2 * g * kLanes);
    const u8* qs = field(b, 2);
    for (int r = 0; r < 32; ++r) {
      for (int g = 0; g < G; ++g) w[g] = ei::pmul(d[g], to_float(load_i8(qs + r * W + g * kLanes)));
      sink(k0 + r, w);
    }
  }
};

// Q4_0: half d, 16 bytes: value r < 16 the low nibble of byte r, value
// r + 16 the high one. Value (q - 8) * d.
struct Q4_0 {
  static constexpr int kBlock = 32, kBytes = 18;
  template <typename Sink>
  EIGEN_ALWAYS_INLINE static void block(const u8* b, Index k0, Sink& sink) {
    Packet d[G], w[G];
    for (int g = 0; g < G; ++g) d[g] = load_halves(b + 2 * g * kLanes);
    const u8* qs = field(b, 2);
    for (int r = 0; r < 32; ++r) {
      const u8* row = qs + (r % 16) * W;
      for (int g = 0; g < G; ++g) {
        const Ints q = mask(shr(load_u8(row + g * kLanes), 4 * (r / 16)), 0xF);
        w[g] = ei::pmul(to_float(minus(q, 8)), d[g]);
      }
      sink(k0 + r, w);
    }
  }
};

// Q4_K / Q5_K: half d, half dmin, 12 bytes of eight 6-bit (scale, min)
// pairs, [Q5_K: 32 bytes of fifth bits], 128 bytes of nibbles. Sub-block j
// (32 values) takes the low (j even) or high nibbles of bytes 32 (j / 2) ..
// + 31. Value (d * scale) * q - dmin * min.
template <bool kFive>
struct Q45_K {
  static constexpr int kBlock = 256, kBytes = kFive ? 176 : 144;
  template <typename Sink>
  EIGEN_ALWAYS_INLINE static void block(const u8* b, Index k0, Sink& sink) {
    Packet d[G], dmin[G], ds[G], ms[G], w[G];
    for (int g = 0; g < G; ++g) {
      d[g] = load_halves(b + 2 * g * kLanes);
      dmin[g] = load_halves(field(b, 2) + 2 * g * kLanes);
    }
    const u8* sc = field(b, 4);
    const u8* qh = field(b, 16);
    const u8* qs = field(b, kFive ? 48 : 16);
    for (int j = 0; j < 8; ++j) {
      for (int g = 0; g < G; ++g) {
        const Index c = g * kLanes;
        Ints scale, min;
        if (j < 4) {
          scale = mask(load_u8(sc + j * W + c), 63);
          min = mask(load_u8(sc + (j + 4) * W + c), 63);
        } else {
          const Ints both = load_u8(sc + (j + 4) * W + c);
          scale = either(mask(both, 0xF), shl(shr(load_u8(sc + (j - 4) * W + c), 6), 4));
          min = either(shr(both, 4), shl(shr(load_u8(sc + j * W + c), 6), 4));
        }
        ds[g] = ei::pmul(d[g], to_float(scale));
        ms[g] = ei::pmul(dmin[g], to_float(min));
      }
      const u8* rows = qs + 32 * (j / 2) * W;
      const int shift = 4 * (j % 2);
      for (int l = 0; l < 32; ++l) {
        if constexpr (kFive) {  // the fifth bit joins on the row's bytes
          const RowBytes q = row_or(row_bits(load_row(rows + l * W), shift, 0xF),
                                    row_small_shl(row_bits(load_row(qh + l * W), j, 1), 4));
          for (int g = 0; g < G; ++g)
            w[g] = ei::psub(ei::pmul(ds[g], to_float(widen_unsigned(q, g))), ms[g]);
        } else {  // a nibble alone: widened first, one instruction fewer (measured)
          for (int g = 0; g < G; ++g) {
            const Ints q = mask(shr(load_u8(rows + l * W + g * kLanes), shift), 0xF);
            w[g] = ei::psub(ei::pmul(ds[g], to_float(q)), ms[g]);
          }
        }
        sink(k0 + 32 * j + l, w);
      }
    }
  }
};

// Q6_K: 128 bytes of low nibbles, 64 bytes of 2-bit highs, 16 int8 scales,
// half d. Value 128 h + 32 k + l (k < 4, l < 32) takes the nibble (k >= 2:
// high) of low byte 64 h + l + 32 (k % 2), the 2 bits at shift 2k of high
// byte 32 h + l, minus 32, and scale 8 h + 2k + l / 16. Value
// (d * scale) * q.
struct Q6_K {
  static constexpr int kBlock = 256, kBytes = 210;
  template <typename Sink>
  EIGEN_ALWAYS_INLINE static void block(const u8* b, Index k0, Sink& sink) {
    Packet d[G], dsc[G], w[G];
    for (int g = 0; g < G; ++g) d[g] = load_halves(field(b, 208) + 2 * g * kLanes);
    const u8* ql = b;
    const u8* qh = field(b, 128);
    const u8* sc = field(b, 192);
    for (int h = 0; h < 2; ++h) {
      for (int k = 0; k < 4; ++k) {
        for (int l = 0; l < 32; ++l) {
          if (l % 16 == 0) {
            const u8* scale = sc + (8 * h + 2 * k + l / 16) * W;
            for (int g = 0; g < G; ++g)
              dsc[g] = ei::pmul(d[g], to_float(load_i8(scale + g * kLanes)));
          }
          // The 6-bit values of the whole row, combined as bytes (q - 32
          // fits a signed byte), then widened packet by packet.
          const RowBytes lo =
              row_bits(load_row(ql + (64 * h + l + 32 * (k % 2)) * W), 4 * (k / 2), 0xF);
          const RowBytes hi = row_bits(load_row(qh + (32 * h + l) * W), 2 * k, 3);
          const RowBytes q = row_minus(row_or(lo, row_small_shl(hi, 4)), 32);
          for (int g = 0; g < G; ++g) w[g] = ei::pmul(dsc[g], to_float(widen_signed(q, g)));
          sink(k0 + 128 * h + 32 * k + l, w);
        }
      }
    }
  }
};

// Q4_1 / Q5_0 / Q5_1: half d [, half m], [Q5: a 32-bit mask of fifth bits,
// bit r for value r], 16 bytes of nibbles as Q4_0. Value (q - 16) * d
// (Q5_0) or q * d + m (Q4_1, Q5_1).
template <bool kMin, bool kFive>
struct Q45_01 {
  static constexpr int kBlock = 32, kBytes = 18 + (kMin ? 2 : 0) + (kFive ? 4 : 0);
  template <typename Sink>
  EIGEN_ALWAYS_INLINE static void block(const u8* b, Index k0, Sink& sink) {
    Packet d[G], m[G], w[G];
    for (int g = 0; g < G; ++g) {
      d[g] = load_halves(b + 2 * g * kLanes);
      if constexpr (kMin) m[g] = load_halves(field(b, 2) + 2 * g * kLanes);
    }
    const u8* qh = field(b, kMin ? 4 : 2);
    const u8* qs = field(b, 2 + (kMin ? 2 : 0) + (kFive ? 4 : 0));
    for (int r = 0; r < 32; ++r) {
      RowBytes q = row_bits(load_row(qs + (r % 16) * W), 4 * (r / 16), 0xF);
      if constexpr (kFive)
        q = row_or(q, row_small_shl(row_bits(load_row(qh + (r / 8) * W), r % 8, 1), 4));
      for (int g = 0; g < G; ++g) {
        if constexpr (kMin) {
          w[g] = ei::padd(ei::pmul(to_float(widen_unsigned(q, g)), d[g]), m[g]);
        } else {
          w[g] = ei::pmul(to_float(widen_signed(row_minus(q, 16), g)), d[g]);
        }
      }
      sink(k0 + r, w);
    }
  }
};

// Q2_K: 16 scale bytes (low nibble scale, high nibble min), 64 bytes of
// 2-bit values, half d, half dmin. Value 128 h + 32 j + 16 p + l is the 2
// bits at shift 2j of byte 32 h + 16 p + l, with scale byte 8 h + 2 j + p.
// Value (d * scale) * q - dmin * min.
struct Q2_K {
  static constexpr int kBlock = 256, kBytes = 84;
  template <typename Sink>
  EIGEN_ALWAYS_INLINE static void block(const u8* b, Index k0, Sink& sink) {
    Packet d[G], dmin[G], ds[G], ms[G], w[G];
    for (int g = 0; g < G; ++g) {
      d[g] = load_halves(field(b, 80) + 2 * g * kLanes);
      dmin[g] = load_halves(field(b, 82) + 2 * g * kLanes);
    }
    const u8* sc = b;
    const u8* qs = field(b, 16);
    for (int s = 0; s < 16; ++s) {
      const int h = s / 8, j = (s % 8) / 2, p = s % 2;
      for (int g = 0; g < G; ++g) {
        const Ints both = load_u8(sc + s * W + g * kLanes);
        ds[g] = ei::pmul(d[g], to_float(mask(both, 0xF)));
        ms[g] = ei::pmul(dmin[g], to_float(shr(both, 4)));
      }
      const u8* rows = qs + (32 * h + 16 * p) * W;
      for (int l = 0; l < 16; ++l) {
        for (int g = 0; g < G; ++g) {
          const Ints q = mask(shr(load_u8(rows + l * W + g * kLanes), 2 * j), 3);
          w[g] = ei::psub(ei::pmul(ds[g], to_float(q)), ms[g]);
        }
        sink(k0 + 128 * h + 32 * j + 16 * p + l, w);
      }
    }
  }
};

// Q3_K: 32 bytes of high bits, 64 bytes of 2-bit values (as Q2_K), 12 bytes
// of sixteen 6-bit scales biased by 32, half d. Value 128 h + 32 j + i
// (i < 32) is lowered by 4 when bit 4 h + j of high byte i is clear.
// Scale s: low 4 bits from byte s (s < 8) or the high nibble of byte s - 8,
// top 2 bits from byte 8 + s % 4 at shift 2 (s / 4). Value (d * scale) * q.
struct Q3_K {
  static constexpr int kBlock = 256, kBytes = 110;
  template <typename Sink>
  EIGEN_ALWAYS_INLINE static void block(const u8* b, Index k0, Sink& sink) {
    Packet d[G], ds[G], w[G];
    for (int g = 0; g < G; ++g) d[g] = load_halves(field(b, 108) + 2 * g * kLanes);
    const u8* hmask = b;
    const u8* qs = field(b, 32);
    const u8* sc = field(b, 96);
    for (int s = 0; s < 16; ++s) {
      const int h = s / 8, j = (s % 8) / 2, p = s % 2;
      for (int g = 0; g < G; ++g) {
        const Index c = g * kLanes;
        const Ints low =
            s < 8 ? mask(load_u8(sc + s * W + c), 0xF) : shr(load_u8(sc + (s - 8) * W + c), 4);
        const Ints top = mask(shr(load_u8(sc + (8 + s % 4) * W + c), 2 * (s / 4)), 3);
        ds[g] = ei::pmul(d[g], to_float(minus(either(low, shl(top, 4)), 32)));
      }
      for (int l = 0; l < 16; ++l) {
        const int i = 16 * p + l;
        const RowBytes q = row_bits(load_row(qs + (32 * h + i) * W), 2 * j, 3);
        const RowBytes high = row_bits(load_row(hmask + i * W), 4 * h + j, 1);
        const RowBytes value = row_minus(row_or(q, row_small_shl(high, 2)), 4);
        for (int g = 0; g < G; ++g) w[g] = ei::pmul(ds[g], to_float(widen_signed(value, g)));
        sink(k0 + 128 * h + 32 * j + i, w);
      }
    }
  }
};

// A quant from one field is widened packet by packet (load_u8 widens as it
// loads); one combined from two fields (Q5_*, Q3_K, Q6_K) is combined on the
// bytes of the whole row first, then widened: fewer shuffles per value, which
// is what bounds a decode step (Q6_K ~10 % faster; a lone nibble the other
// way round was ~10 % slower).

// Every block of a panel, k ascending.
template <typename Type, typename Sink>
EIGEN_ALWAYS_INLINE void each_row(const u8* panel, Index K, Sink& sink) {
  const Index blocks = K / Type::kBlock;
  for (Index b = 0; b < blocks; ++b)
    Type::block(panel + b * Type::kBytes * W, b * Type::kBlock, sink);
}

// PanelMatrix's panel_product for one panel, the weights decoded in
// registers: the same accumulators, the same order, the same stores.
template <int MR, typename Type>
void product(const u8* panel, const float* x, Index K, float* out, Index ldy, Index cols,
             bool accumulate) {
  Packet acc[MR][G];
  for (int t = 0; t < MR; ++t)
    for (int g = 0; g < G; ++g) acc[t][g] = ei::pset1<Packet>(0.0f);
  auto sink = [&](Index k, const Packet* w) __attribute__((always_inline)) {
    for (int t = 0; t < MR; ++t) {
      const Packet xb = ei::pset1<Packet>(x[t * K + k]);
      for (int g = 0; g < G; ++g) acc[t][g] = ei::pmadd(xb, w[g], acc[t][g]);
    }
  };
  each_row<Type>(panel, K, sink);
  for (int t = 0; t < MR; ++t) {
    float* y = out + t * ldy;
    if (cols == W) {
      for (int g = 0; g < G; ++g) {
        Packet v = acc[t][g];
        if (accumulate) v = ei::padd(ei::ploadu<Packet>(y + g * kLanes), v);
        ei::pstoreu(y + g * kLanes, v);
      }
    } else {
      alignas(64) float row[W];
      for (int g = 0; g < G; ++g) ei::pstore(row + g * kLanes, acc[t][g]);
      for (Index c = 0; c < cols; ++c) y[c] = accumulate ? y[c] + row[c] : row[c];
    }
  }
}

template <typename Type>
void product_rows(Index T, const u8* panel, const float* x, Index K, float* out, Index ldy,
                  Index cols, bool accumulate) {
  switch (T) {
    case 1:
      return product<1, Type>(panel, x, K, out, ldy, cols, accumulate);
    case 2:
      return product<2, Type>(panel, x, K, out, ldy, cols, accumulate);
    case 3:
      return product<3, Type>(panel, x, K, out, ldy, cols, accumulate);
    case 4:
      return product<4, Type>(panel, x, K, out, ldy, cols, accumulate);
    case 5:
      return product<5, Type>(panel, x, K, out, ldy, cols, accumulate);
    case 6:
      return product<6, Type>(panel, x, K, out, ldy, cols, accumulate);
    case 7:
      return product<7, Type>(panel, x, K, out, ldy, cols, accumulate);
    case 8:
      return product<8, Type>(panel, x, K, out, ldy, cols, accumulate);
    default:
      assert(false && "QuantPanels::multiply_panel: 1..8 rows");
  }
}

template <typename Type>
void decode(const u8* panel, Index K, float* out) {
  auto sink = [out](Index k, const Packet* w) __attribute__((always_inline)) {
    for (int g = 0; g < G; ++g) ei::pstore(out + k * W + g * kLanes, w[g]);
  };
  each_row<Type>(panel, K, sink);
}

// Calls body(Type{}) for the panel's type.
template <typename Body>
void with_type(GgmlType type, Body&& body) {
  switch (type) {
    case GgmlType::kQ8_0:
      return body(Q8_0{});
    case GgmlType::kQ4_0:
      return body(Q4_0{});
    case GgmlType::kQ4_K:
      return body(Q45_K<false>{});
    case GgmlType::kQ5_K:
      return body(Q45_K<true>{});
    case GgmlType::kQ6_K:
      return body(Q6_K{});
    case GgmlType::kQ4_1:
      return body(Q45_01<true, false>{});
    case GgmlType::kQ5_0:
      return body(Q45_01<false, true>{});
    case GgmlType::kQ5_1:
      return body(Q45_01<true, true>{});
    case GgmlType::kQ2_K:
      return body(Q2_K{});
    case GgmlType::kQ3_K:
      return body(Q3_K{});
    default:
      assert(false && "QuantPanels: a type decodes() refuses");
  }
}

}  // namespace

bool QuantPanels::decodes(GgmlType type) {
  switch (type) {
    case GgmlType::kQ8_0:
    case GgmlType::kQ4_0:
    case GgmlType::kQ4_K:
    case GgmlType::kQ5_K:
    case GgmlType::kQ6_K:
    case GgmlType::kQ4_1:
    case GgmlType::kQ5_0:
    case GgmlType::kQ5_1:
    case GgmlType::kQ2_K:
    case GgmlType::kQ3_K:
      return true;
    default:
      return false;
  }
}

void QuantPanels::multiply_panel(Index p, const float* x, Index T, float* out, Index ldy,
                                 Index cols, bool accumulate) const {
  assert(width_ == W);
  const Segment& s = segment_of(p);
  // Integer panels never come here (PanelMatrix::multiply), and Q4_K / Q6_K
  // ones hold the integer kernel's layout, which decode() does not read.
  assert(!(integer_ && quant_int8::kernel_layout(s.type, width_)));
  const auto* panel = reinterpret_cast<const u8*>(panel_data(s, p));
  with_type(s.type, [&]<typename Type>(Type) {
    product_rows<Type>(T, panel, x, K_, out, ldy, cols, accumulate);
  });
}

void QuantPanels::decode_panel(Index p, float* out) const {
  const Segment& s = segment_of(p);
  const auto* panel = reinterpret_cast<const u8*>(panel_data(s, p));
  if (integer_ && quant_int8::kernel_layout(s.type, width_)) {
    // The integer kernel's layout (quant_int8_layout.h) back into the
    // fields decode() reads: a column read (a tied head's token embedding)
    // is rare next to products.
    thread_local std::vector<u8> fields;
    fields.resize(s.panel_bytes);
    const std::size_t block_bytes = s.panel_bytes / static_cast<std::size_t>(K_ / 256);
    for (std::size_t at = 0; at < s.panel_bytes; at += block_bytes)
      quant_int8::from_kernel_layout(s.type, panel + at, fields.data() + at, width_);
    with_type(s.type, [&]<typename Type>(Type) { decode<Type>(fields.data(), K_, out); });
    return;
  }
  with_type(s.type, [&]<typename Type>(Type) { decode<Type>(panel, K_, out); });
}

}  // namespace beamscope
