// The kernel-ready layout (quant_int8_layout.h): written at load from the
// file's blocks column by column, and read back value by value into the
// field layout for column reads.
#include "model/quant_int8_layout.h"

#include <cstring>

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

// Every value of the block at `in` (kernel layout) into `out` (field
// layout), whose region is zeroed first.
void to_fields(GgmlType type, const u8* in, u8* out, Index width) {
  const Region r = region(type, width);
  std::memset(out + r.offset, 0, r.size);
  for (Index c = 0; c < width; ++c) {
    for (int k = 0; k < 256; ++k) {
      if (type == GgmlType::kQ4_K) {
        write(out, q4_k_field(k, c, width), read(in, q4_k_kernel(k, c, width), 4));
      } else {
        write(out, q6_k_field_low(k, c, width), read(in, q6_k_kernel_low(k, c), 4));
        write(out, q6_k_field_high(k, c, width), read(in, q6_k_kernel_high(k, c), 2));
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

// Q6_K's 256 values of one column (by storage position) into the slice's
// three vectors per sub-block, octet h, column cc of the octet.
void pack_q6_k(const u8 values[256], u8* slice, Index h, Index cc) {
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

}  // namespace

// At load, straight from the file's block (the field layout of one column,
// width 1) and byte by byte where it can: a pass over field-layout panels
// after the scatter made a 1B-parameter model's load about 1 s longer.
void scatter_column(GgmlType type, const std::uint8_t* in, std::uint8_t* block, Index c,
                    Index width) {
  const Index h = c % kSlice / 8, cc = c % 8;
  auto half = [&](int offset, int unit) {
    for (int byte = 0; byte < 2; ++byte)
      block[offset * width + 2 * (unit * width + c) + byte] = in[offset + 2 * unit + byte];
  };
  if (type == GgmlType::kQ4_K) {
    half(0, 0);
    half(0, 1);
    for (int u = 0; u < 12; ++u) block[(4 + u) * width + c] = in[4 + u];
    // Vector (8 i + r) * 2 + h, byte 4 cc + e: file byte 16 + 32 i + the
    // value index of position 4 r + e (both nibbles move together).
    u8* quants = block + 16 * width + 2048 * (c / kSlice) + 32 * h + 4 * cc;
    for (int i = 0; i < 4; ++i)
      for (int r = 0; r < 8; ++r)
        for (int e = 0; e < 4; ++e)
          quants[64 * (8 * i + r) + e] = in[16 + 32 * i + natural(4 * r + e)];
    return;
  }
  for (int u = 0; u < 16; ++u) block[(192 + u) * width + c] = in[192 + u];
  half(208, 0);
  u8 values[256];
  for (int k = 0; k < 256; ++k) {
    values[position(k)] = static_cast<u8>(read(in, q6_k_field_low(k, 0, 1), 4) |
                                          read(in, q6_k_field_high(k, 0, 1), 2) << 4);
  }
  pack_q6_k(values, block + 3072 * (c / kSlice), h, cc);
}

void from_kernel_layout(GgmlType type, const std::uint8_t* in, std::uint8_t* out, Index width) {
  const GgmlTypeInfo info = *ggml_type_info(static_cast<std::uint32_t>(type));
  std::memcpy(out, in, info.block_bytes * static_cast<std::size_t>(width));
  to_fields(type, in, out, width);
}

}  // namespace beamscope::quant_int8
