#pragma once

// The AVX2 integer kernel's first half (quant_int8_avx2.cpp only): a
// re-blocked block of 16 columns (QuantPanels' layout) unpacked into one byte
// per value in the order vpmaddubsw pairs them with the activations, its
// scales spread for vpmaddwd. Per type; each passes its groups of 8 k to a
// sink, which stores them (many rows) or multiplies them at once (one row).
#include <immintrin.h>

#include <cstdint>

#include "model/quant_int8_panel.h"

namespace beamscope::quant_int8::avx2 {

using u8 = std::uint8_t;
using V = __m256i;
using F = __m256;

// 16 columns at c0 of a re-blocked block of `width` columns (QuantPanels:
// unit u of the field at GGUF offset o, column c, at (o + u) * width + c for
// bytes, o * width + 2 (u * width + c) for halves).
struct Slice {
  const u8* block;
  Index width, c0;
  const u8* row(int offset, int unit) const { return block + (offset + unit) * width + c0; }
  // 8 columns' (8 h ..) halves, as floats.
  F halves(int offset, int unit, int h) const {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(
        block + offset * width + 2 * (unit * width + c0 + 8 * h))));
  }
  // 8 columns' (8 h ..) bytes of one field row, widened to 32 bits.
  V bytes(int offset, int unit, int h) const {
    return _mm256_cvtepu8_epi32(
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(row(offset, unit) + 8 * h)));
  }
  V signed_bytes(int offset, int unit, int h) const {
    return _mm256_cvtepi8_epi32(
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(row(offset, unit) + 8 * h)));
  }
};

EIGEN_ALWAYS_INLINE V two_rows(const u8* p, Index width) {
  if (width == 16) return _mm256_loadu_si256(reinterpret_cast<const V*>(p));
  return _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(p + width),
                             reinterpret_cast<const __m128i*>(p));
}

// Eight field rows (8 consecutive k of the 16 columns) as four vectors of
// four columns: dword c of vector v holds column 4 v + c's bytes at k 0 2 4 6
// in lane 0 and at k 1 3 5 7 in lane 1, the activations' kGroupOrder.
EIGEN_ALWAYS_INLINE void transpose8(const u8* p, Index width, V out[4]) {
  const V a = two_rows(p, width), b = two_rows(p + 2 * width, width);
  const V c = two_rows(p + 4 * width, width), d = two_rows(p + 6 * width, width);
  const V lab = _mm256_unpacklo_epi8(a, b), lcd = _mm256_unpacklo_epi8(c, d);
  const V hab = _mm256_unpackhi_epi8(a, b), hcd = _mm256_unpackhi_epi8(c, d);
  out[0] = _mm256_unpacklo_epi16(lab, lcd);
  out[1] = _mm256_unpackhi_epi16(lab, lcd);
  out[2] = _mm256_unpacklo_epi16(hab, hcd);
  out[3] = _mm256_unpackhi_epi16(hab, hcd);
}

EIGEN_ALWAYS_INLINE V low_bits(V v, int shift, int mask) {
  return _mm256_and_si256(_mm256_srl_epi16(v, _mm_cvtsi32_si128(shift)),
                          _mm256_set1_epi8(static_cast<char>(mask)));
}

// Two 16-bit values per dword: a low, b high (both fit 16 bits signed).
EIGEN_ALWAYS_INLINE V pack_pair(V a, V b) {
  return _mm256_or_si256(_mm256_and_si256(a, _mm256_set1_epi32(0xFFFF)), _mm256_slli_epi32(b, 16));
}

// One block of 16 columns, unpacked.
struct alignas(32) Unpacked {
  V w[32][4];         // group g (k 8 g ..), columns 4 v .., as transpose8
  V magnitude[4][4];  // Q8_0: |w| (unsigned: |-128| = 128)
  V scale[16][4];     // sub-block s: each column's scale twice (16-bit), both lanes
  V pairs[8][2];      // two sub-blocks' mins (Q5_K), 8 columns
  F d[2], dmin[2];
};

// A column scale vector (8 columns of 8 h .., 32-bit) into scale[..][2 h],
// [2 h + 1] as vpmaddwd wants them.
EIGEN_ALWAYS_INLINE void spread(V v, V* out, int h) {
  const V p = pack_pair(v, v);
  out[2 * h] = _mm256_permute2x128_si256(p, p, 0x00);
  out[2 * h + 1] = _mm256_permute2x128_si256(p, p, 0x11);
}

// Sub-block j's 6-bit scale and min (8 columns of 8 h .., 32-bit) from the
// 12 bytes Q4_K and Q5_K pack them in (field at 4): j < 4 in the low 6 bits
// of bytes j and j + 4; j >= 4 in the nibbles of byte j + 4 and the top 2
// bits of bytes j - 4 and j.
EIGEN_ALWAYS_INLINE void k_scale_min(const Slice& s, int j, int h, V& scale, V& min) {
  const V m63 = _mm256_set1_epi32(63);
  if (j < 4) {
    scale = _mm256_and_si256(s.bytes(4, j, h), m63);
    min = _mm256_and_si256(s.bytes(4, j + 4, h), m63);
  } else {
    const V both = s.bytes(4, j + 4, h);
    scale = _mm256_or_si256(_mm256_and_si256(both, _mm256_set1_epi32(0xF)),
                            _mm256_slli_epi32(_mm256_srli_epi32(s.bytes(4, j - 4, h), 6), 4));
    min = _mm256_or_si256(_mm256_srli_epi32(both, 4),
                          _mm256_slli_epi32(_mm256_srli_epi32(s.bytes(4, j, h), 6), 4));
  }
}

// Sum over i < n of u.pairs[i] . (sums[2 i], sums[2 i + 1]), octet h (the
// unpacked and the kernel-ready blocks alike).
template <typename Block>
EIGEN_ALWAYS_INLINE V pair_sums(const Block& u, int n, const std::int16_t* sums, int h) {
  V m = _mm256_setzero_si256();
  for (int i = 0; i < n; ++i) {
    const int both =
        static_cast<std::uint16_t>(sums[2 * i]) | (static_cast<int>(sums[2 * i + 1]) << 16);
    m = _mm256_add_epi32(m, _mm256_madd_epi16(u.pairs[i][h], _mm256_set1_epi32(both)));
  }
  return m;
}

// Each unpack_* passes every group of 8 k (four column vectors of bytes)
// to sink(g, w): stored for many rows (Store), multiplied in registers for
// one (OneRow).
template <typename Sink>
EIGEN_ALWAYS_INLINE void unpack_q8_0(const Slice& s, Unpacked& u, Sink& sink) {
  for (int h = 0; h < 2; ++h) u.d[h] = s.halves(0, 0, h);
  for (int g = 0; g < 4; ++g) {
    V w[4];
    transpose8(s.row(2, 8 * g), s.width, w);
    sink(g, w);
  }
}

// Q4_0: half d, 16 bytes: byte r holds value r (low nibble) and r + 16.
template <typename Sink>
EIGEN_ALWAYS_INLINE void unpack_q4_0(const Slice& s, Unpacked& u, Sink& sink) {
  for (int h = 0; h < 2; ++h) u.d[h] = s.halves(0, 0, h);
  for (int r0 = 0; r0 < 16; r0 += 8) {
    V t[4], lo[4], hi[4];
    transpose8(s.row(2, r0), s.width, t);
    for (int v = 0; v < 4; ++v) {
      lo[v] = low_bits(t[v], 0, 0xF);
      hi[v] = low_bits(t[v], 4, 0xF);
    }
    sink(r0 / 8, lo);
    sink(2 + r0 / 8, hi);
  }
}

// Q5_K: the 6-bit scales and mins at 4 (Q4_K's packing), 32 bytes of fifth
// bits at 16 (bit j of byte l for sub-block j's value l), the nibbles at 48.
// (Q4_K and Q6_K are held in the kernel-ready layout instead:
// quant_int8_ready.h.)
template <typename Sink>
EIGEN_ALWAYS_INLINE void unpack_q5_k(const Slice& s, Unpacked& u, Sink& sink) {
  for (int h = 0; h < 2; ++h) {
    u.d[h] = s.halves(0, 0, h);
    u.dmin[h] = s.halves(0, 1, h);
    V mins[8];
    for (int j = 0; j < 8; ++j) {
      V scale;
      k_scale_min(s, j, h, scale, mins[j]);
      spread(scale, u.scale[j], h);
    }
    for (int i = 0; i < 4; ++i) u.pairs[i][h] = pack_pair(mins[2 * i], mins[2 * i + 1]);
  }
  // Byte row 32 i + l: sub-block 2 i's value l (low nibble), 2 i + 1's
  // (high nibble).
  for (int i = 0; i < 4; ++i) {
    for (int l0 = 0; l0 < 32; l0 += 8) {
      V t[4], fifth[4];
      transpose8(s.row(48, 32 * i + l0), s.width, t);
      transpose8(s.row(16, l0), s.width, fifth);
      V lo[4], hi[4];
      for (int v = 0; v < 4; ++v) {
        lo[v] = low_bits(t[v], 0, 0xF);
        hi[v] = low_bits(t[v], 4, 0xF);
        lo[v] = _mm256_or_si256(lo[v], _mm256_slli_epi16(low_bits(fifth[v], 2 * i, 1), 4));
        hi[v] = _mm256_or_si256(hi[v], _mm256_slli_epi16(low_bits(fifth[v], 2 * i + 1, 1), 4));
      }
      sink(8 * i + l0 / 8, lo);
      sink(8 * i + 4 + l0 / 8, hi);
    }
  }
}

}  // namespace beamscope::quant_int8::avx2
