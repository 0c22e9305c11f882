// The kernel-ready layout (quant_int8_layout.h): each quant value read from
// the field layout and written where the AVX2 kernel wants it, and back.
#include "model/quant_int8_layout.h"

#include <cstring>
#include <vector>

#include "model/quant_activations.h"
#include "model/quant_int8_panel.h"

namespace beamscope::quant_int8 {

namespace {

using u8 = std::uint8_t;

constexpr int kSlice = 16;  // columns per slice of the AVX2 kernel

// Storage position of value k in a 256-value block (QuantizedActivations).
int position(int k) { return k / 8 * 8 + QuantizedActivations::position(k % 8); }
// And the value at storage position P.
int natural(int P) { return P / 8 * 8 + QuantizedActivations::kGroupOrder[P % 8]; }

// A bit field of `bits` bits at `shift` of byte `at`.
struct Place {
  std::size_t at;
  int shift;
};

int read(const u8* block, Place p, int bits) {
  return (block[p.at] >> p.shift) & ((1 << bits) - 1);
}
void write(u8* block, Place p, int v) { block[p.at] |= static_cast<u8>(v << p.shift); }

// Where value k of column c lies: Q4_K's nibble, Q6_K's low nibble and high
// bit pair, in each layout (see the header for the kernel layout, the
// file's block description in gguf_tensor_type.cpp for the field layout).
Place q4_k_field(int k, Index c, Index width) {
  const int j = k / 32, l = k % 32;
  return {static_cast<std::size_t>((16 + 32 * (j / 2) + l) * width + c), 4 * (j % 2)};
}

Place q4_k_kernel(int k, Index c, Index width) {
  const int P = position(k), j = P / 32, r = P % 32 / 4, e = P % 4;
  const Index slice = c / kSlice, h = c % kSlice / 8, cc = c % 8;
  const Index vec = (8 * (j / 2) + r) * 2 + h;
  return {static_cast<std::size_t>(16 * width + 2048 * slice + 32 * vec + 4 * cc + e), 4 * (j % 2)};
}

Place q6_k_field_low(int k, Index c, Index width) {
  const int h = k / 128, kk = k % 128 / 32, l = k % 32;
  return {static_cast<std::size_t>((64 * h + l + 32 * (kk % 2)) * width + c), 4 * (kk / 2)};
}

Place q6_k_field_high(int k, Index c, Index width) {
  const int h = k / 128, kk = k % 128 / 32, l = k % 32;
  return {static_cast<std::size_t>((128 + 32 * h + l) * width + c), 2 * kk};
}

std::size_t q6_k_kernel_base(int P, Index c) {
  const int s = P / 16, e = P % 4;
  const Index slice = c / kSlice, h = c % kSlice / 8, cc = c % 8;
  return static_cast<std::size_t>(3072 * slice + 96 * (2 * s + h) + 4 * cc + e);
}

Place q6_k_kernel_low(int k, Index c) {
  const int P = position(k), a = P % 16 / 4;
  return {q6_k_kernel_base(P, c) + 32 * static_cast<std::size_t>(a / 2), 4 * (a % 2)};
}

Place q6_k_kernel_high(int k, Index c) {
  const int P = position(k), a = P % 16 / 4;
  return {q6_k_kernel_base(P, c) + 64, 2 * a};
}

// The bytes the layouts differ in: Q4_K's nibbles, Q6_K's low nibbles and
// high bits.
struct Region {
  std::size_t offset, size;
};
Region region(GgmlType type, Index width) {
  const auto w = static_cast<std::size_t>(width);
  return type == GgmlType::kQ4_K ? Region{16 * w, 128 * w} : Region{0, 192 * w};
}

// Every value of the block from `in` (one layout) into `out` (the other),
// whose region is zeroed first.
template <bool kToKernel>
void convert(GgmlType type, const u8* in, u8* out, Index width) {
  const Region r = region(type, width);
  std::memset(out + r.offset, 0, r.size);
  for (Index c = 0; c < width; ++c) {
    for (int k = 0; k < 256; ++k) {
      if (type == GgmlType::kQ4_K) {
        const Place field = q4_k_field(k, c, width), kernel = q4_k_kernel(k, c, width);
        write(out, kToKernel ? kernel : field, read(in, kToKernel ? field : kernel, 4));
      } else {
        const Place field_low = q6_k_field_low(k, c, width), kernel_low = q6_k_kernel_low(k, c);
        const Place field_high = q6_k_field_high(k, c, width), kernel_high = q6_k_kernel_high(k, c);
        write(out, kToKernel ? kernel_low : field_low,
              read(in, kToKernel ? field_low : kernel_low, 4));
        write(out, kToKernel ? kernel_high : field_high,
              read(in, kToKernel ? field_high : kernel_high, 2));
      }
    }
  }
}

}  // namespace

bool kernel_layout(GgmlType type, Index width) {
  return vectorized() && width % kSlice == 0 &&
         (type == GgmlType::kQ4_K || type == GgmlType::kQ6_K);
}

namespace {

// The load-time direction, byte by byte rather than value by value (a
// 1B-parameter model's load took 2.4 -> 6.2 s with convert<true>): Q4_K's
// bytes are only moved; Q6_K's values are read per column, then packed.
void q4_k_to_kernel(const u8* in, u8* out, Index width) {
  const u8* quants = in + 16 * width;
  u8* to = out + 16 * width;
  for (Index slice = 0; slice < width / kSlice; ++slice) {
    for (int i = 0; i < 4; ++i) {
      for (int r = 0; r < 8; ++r) {
        for (int h = 0; h < 2; ++h, to += 32) {
          for (int e = 0; e < 4; ++e) {
            const u8* row = quants + (32 * i + natural(4 * r + e)) * width + kSlice * slice + 8 * h;
            for (int c = 0; c < 8; ++c) to[4 * c + e] = row[c];
          }
        }
      }
    }
  }
}

void q6_k_to_kernel(const u8* in, u8* out, Index width) {
  u8 values[256];  // one column's, by storage position
  for (Index column = 0; column < width; ++column) {
    for (int k = 0; k < 256; ++k) {
      values[position(k)] = static_cast<u8>(read(in, q6_k_field_low(k, column, width), 4) |
                                            read(in, q6_k_field_high(k, column, width), 2) << 4);
    }
    const Index h = column % kSlice / 8, cc = column % 8;
    u8* slice = out + 3072 * (column / kSlice);
    for (int s = 0; s < 16; ++s) {
      u8* at = slice + 96 * (2 * s + h) + 4 * cc;
      const u8* v = values + 16 * s;
      for (int e = 0; e < 4; ++e) {
        at[e] = static_cast<u8>((v[e] & 0xF) | (v[4 + e] & 0xF) << 4);
        at[32 + e] = static_cast<u8>((v[8 + e] & 0xF) | (v[12 + e] & 0xF) << 4);
        at[64 + e] = static_cast<u8>(v[e] >> 4 | (v[4 + e] >> 4) << 2 | (v[8 + e] >> 4) << 4 |
                                     (v[12 + e] >> 4) << 6);
      }
    }
  }
}

}  // namespace

void to_kernel_layout(GgmlType type, std::uint8_t* block, Index width) {
  const Region r = region(type, width);
  thread_local std::vector<u8> copy;
  copy.assign(block, block + r.offset + r.size);
  if (type == GgmlType::kQ4_K) return q4_k_to_kernel(copy.data(), block, width);
  q6_k_to_kernel(copy.data(), block, width);
}

void from_kernel_layout(GgmlType type, const std::uint8_t* in, std::uint8_t* out, Index width) {
  const GgmlTypeInfo info = *ggml_type_info(static_cast<std::uint32_t>(type));
  std::memcpy(out, in, info.block_bytes * static_cast<std::size_t>(width));
  convert<false>(type, in, out, width);
}

}  // namespace beamscope::quant_int8
