#pragma once

// The AVX2 integer kernel for Q4_K and Q6_K blocks held in the kernel-ready
// layout (quant_int8_layout.h; quant_int8_avx2.cpp only). A 32-byte load is
// 4 values of each of 8 columns (an octet), paired with 4 activations that
// one broadcast gives every column: masks and shifts make the values, then
// vpmaddubsw / vpmaddwd; no transpose, and each column's sums end in its
// own dword (no lanes to add). Per block and column the integers are the
// ones the portable kernel sums, and the float operations the same.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "model/quant_activations.h"
#include "model/quant_int8_unpack.h"

namespace beamscope::quant_int8::avx2 {

// One block of a 16-column slice: its scales spread for vpmaddwd, and for
// many rows its values, one byte each.
struct alignas(32) Ready {
  V quads[64][2];  // positions 4 q .. 4 q + 3 of octet h (many rows only)
  V scale[16][2];  // sub-block j's scale, twice per column (16-bit), octet h
  V pairs[8][2];   // Q4_K: mins, Q6_K: scales of sub-blocks 2 i and 2 i + 1
  F d[2], dmin[2];
};

// 4 activations (4 storage positions) in every dword.
EIGEN_ALWAYS_INLINE V broadcast4(const std::int8_t* x) {
  std::int32_t v;
  std::memcpy(&v, x, 4);
  return _mm256_set1_epi32(v);
}

EIGEN_ALWAYS_INLINE V shift_left(V v, int n) { return _mm256_sll_epi16(v, _mm_cvtsi32_si128(n)); }
EIGEN_ALWAYS_INLINE V shift_right(V v, int n) { return _mm256_srl_epi16(v, _mm_cvtsi32_si128(n)); }
EIGEN_ALWAYS_INLINE V mask(V v, int m) {
  return _mm256_and_si256(v, _mm256_set1_epi8(static_cast<char>(m)));
}
EIGEN_ALWAYS_INLINE V load(const u8* p) {
  return _mm256_loadu_si256(reinterpret_cast<const V*>(p));
}

// The slice's quants: Q4_K's nibbles start at 16 * width, Q6_K's at 0; a
// slice of each is 2048 / 3072 bytes.
EIGEN_ALWAYS_INLINE const u8* q4_k_quants(const Slice& s) {
  return s.block + 16 * s.width + 2048 * (s.c0 / 16);
}
EIGEN_ALWAYS_INLINE const u8* q6_k_quants(const Slice& s) { return s.block + 3072 * (s.c0 / 16); }

// Q4_K's halves, 6-bit scales and mins (as the file packs them, field at 4).
EIGEN_ALWAYS_INLINE void scales_q4_k(const Slice& s, Ready& u) {
  for (int h = 0; h < 2; ++h) {
    u.d[h] = s.halves(0, 0, h);
    u.dmin[h] = s.halves(0, 1, h);
    V mins[8];
    for (int j = 0; j < 8; ++j) {
      V scale;
      k_scale_min(s, j, h, scale, mins[j]);
      u.scale[j][h] = pack_pair(scale, scale);
    }
    for (int i = 0; i < 4; ++i) u.pairs[i][h] = pack_pair(mins[2 * i], mins[2 * i + 1]);
  }
}

// Q6_K's half and 16 signed 8-bit scales (at 208 and 192).
EIGEN_ALWAYS_INLINE void scales_q6_k(const Slice& s, Ready& u) {
  for (int h = 0; h < 2; ++h) {
    u.d[h] = s.halves(208, 0, h);
    V scales[16];
    for (int sub = 0; sub < 16; ++sub) {
      scales[sub] = s.signed_bytes(192, sub, h);
      u.scale[sub][h] = pack_pair(scales[sub], scales[sub]);
    }
    for (int i = 0; i < 8; ++i) u.pairs[i][h] = pack_pair(scales[2 * i], scales[2 * i + 1]);
  }
}

// Q4_K's vector (8 i + r) * 2 + h: low nibbles are quad 16 i + r (sub-block
// 2 i), high nibbles quad 16 i + 8 + r (sub-block 2 i + 1).
EIGEN_ALWAYS_INLINE void q4_k_values(V w, V& low, V& high) {
  low = mask(w, 0xF);
  high = mask(shift_right(w, 4), 0xF);
}

// Q6_K's three vectors of sub-block s, octet h: its four quads, 0..63
// (the -32 is applied through the activation sums).
EIGEN_ALWAYS_INLINE void q6_k_values(const u8* p, V out[4]) {
  const V l1 = load(p), l2 = load(p + 32), high = load(p + 64);
  out[0] = _mm256_or_si256(mask(l1, 0xF), mask(shift_left(high, 4), 0x30));
  out[1] = _mm256_or_si256(mask(shift_right(l1, 4), 0xF), mask(shift_left(high, 2), 0x30));
  out[2] = _mm256_or_si256(mask(l2, 0xF), mask(high, 0x30));
  out[3] = _mm256_or_si256(mask(shift_right(l2, 4), 0xF), mask(shift_right(high, 2), 0x30));
}

// For many rows: every quad kept.
EIGEN_ALWAYS_INLINE void store_q4_k(const Slice& s, Ready& u) {
  const u8* q = q4_k_quants(s);
  for (int i = 0; i < 4; ++i)
    for (int r = 0; r < 8; ++r)
      for (int h = 0; h < 2; ++h)
        q4_k_values(load(q + 32 * ((8 * i + r) * 2 + h)), u.quads[16 * i + r][h],
                    u.quads[16 * i + 8 + r][h]);
}

EIGEN_ALWAYS_INLINE void store_q6_k(const Slice& s, Ready& u) {
  const u8* q = q6_k_quants(s);
  for (int sub = 0; sub < 16; ++sub) {
    for (int h = 0; h < 2; ++h) {
      V w[4];
      q6_k_values(q + 96 * (2 * sub + h), w);
      for (int a = 0; a < 4; ++a) u.quads[4 * sub + a][h] = w[a];
    }
  }
}

// Sum over sub-blocks of scale * (sum of q x) from the stored quads, per
// column. In 16 bits at most kPart quads (Q4_K: 8, <= 8 * 2 * 15 * 127 =
// 30480; Q6_K: 2, <= 2 * 2 * 63 * 127 = 32004), then vpmaddwd by the scale.
template <int kSubs, int kQuads, int kPart>
EIGEN_ALWAYS_INLINE void stored_sums(const Ready& u, const std::int8_t* x, V acc[2]) {
  acc[0] = acc[1] = _mm256_setzero_si256();
  for (int sub = 0; sub < kSubs; ++sub) {
    for (int q0 = sub * kQuads; q0 < (sub + 1) * kQuads; q0 += kPart) {
      V part[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
      for (int q = q0; q < q0 + kPart; ++q) {
        const V xq = broadcast4(x + 4 * q);
        for (int h = 0; h < 2; ++h)
          part[h] = _mm256_add_epi16(part[h], _mm256_maddubs_epi16(u.quads[q][h], xq));
      }
      for (int h = 0; h < 2; ++h)
        acc[h] = _mm256_add_epi32(acc[h], _mm256_madd_epi16(part[h], u.scale[sub][h]));
    }
  }
}

// For one row (a decode step): each vector multiplied as it is loaded,
// nothing stored; the same sums as stored_sums (exact integers, any
// grouping).
EIGEN_ALWAYS_INLINE void one_row_q4_k(const Slice& s, const Ready& u, const std::int8_t* x,
                                      V acc[2]) {
  const u8* q = q4_k_quants(s);
  acc[0] = acc[1] = _mm256_setzero_si256();
  for (int i = 0; i < 4; ++i) {
    V low[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
    V high[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
    for (int r = 0; r < 8; ++r) {
      const V x_low = broadcast4(x + 64 * i + 4 * r), x_high = broadcast4(x + 64 * i + 32 + 4 * r);
      for (int h = 0; h < 2; ++h) {
        V wl, wh;
        q4_k_values(load(q + 32 * ((8 * i + r) * 2 + h)), wl, wh);
        low[h] = _mm256_add_epi16(low[h], _mm256_maddubs_epi16(wl, x_low));
        high[h] = _mm256_add_epi16(high[h], _mm256_maddubs_epi16(wh, x_high));
      }
    }
    for (int h = 0; h < 2; ++h) {
      acc[h] = _mm256_add_epi32(acc[h], _mm256_madd_epi16(low[h], u.scale[2 * i][h]));
      acc[h] = _mm256_add_epi32(acc[h], _mm256_madd_epi16(high[h], u.scale[2 * i + 1][h]));
    }
  }
}

EIGEN_ALWAYS_INLINE void one_row_q6_k(const Slice& s, const Ready& u, const std::int8_t* x,
                                      V acc[2]) {
  const u8* q = q6_k_quants(s);
  acc[0] = acc[1] = _mm256_setzero_si256();
  for (int sub = 0; sub < 16; ++sub) {
    V xq[4];
    for (int a = 0; a < 4; ++a) xq[a] = broadcast4(x + 16 * sub + 4 * a);
    for (int h = 0; h < 2; ++h) {
      V w[4];
      q6_k_values(q + 96 * (2 * sub + h), w);
      const V first =
          _mm256_add_epi16(_mm256_maddubs_epi16(w[0], xq[0]), _mm256_maddubs_epi16(w[1], xq[1]));
      const V second =
          _mm256_add_epi16(_mm256_maddubs_epi16(w[2], xq[2]), _mm256_maddubs_epi16(w[3], xq[3]));
      acc[h] = _mm256_add_epi32(acc[h], _mm256_madd_epi16(first, u.scale[sub][h]));
      acc[h] = _mm256_add_epi32(acc[h], _mm256_madd_epi16(second, u.scale[sub][h]));
    }
  }
}

// y (16 floats) += (d * dx) * S, then Q4_K's y -= (dmin * dx) * M, as the
// portable kernel's fma calls.
EIGEN_ALWAYS_INLINE void finish_ready_q4_k(const Ready& u, const V acc[2],
                                           const std::int16_t* sums16, float dx, float* y) {
  std::int16_t sums32[8];  // per sub-block of 32 values
  for (int j = 0; j < 8; ++j)
    sums32[j] = static_cast<std::int16_t>(sums16[2 * j] + sums16[2 * j + 1]);
  for (int h = 0; h < 2; ++h) {
    const F scale = _mm256_mul_ps(u.d[h], _mm256_set1_ps(dx));
    F out = _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(acc[h]), _mm256_loadu_ps(y + 8 * h));
    const F min_scale = _mm256_mul_ps(u.dmin[h], _mm256_set1_ps(dx));
    out = _mm256_fnmadd_ps(min_scale, _mm256_cvtepi32_ps(pair_sums(u, 4, sums32, h)), out);
    _mm256_storeu_ps(y + 8 * h, out);
  }
}

EIGEN_ALWAYS_INLINE void finish_ready_q6_k(const Ready& u, const V acc[2],
                                           const std::int16_t* sums16, float dx, float* y) {
  for (int h = 0; h < 2; ++h) {
    // The -32 of every value, by 16-value sums.
    const V s = _mm256_sub_epi32(acc[h], _mm256_slli_epi32(pair_sums(u, 8, sums16, h), 5));
    const F scale = _mm256_mul_ps(u.d[h], _mm256_set1_ps(dx));
    _mm256_storeu_ps(y + 8 * h,
                     _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(s), _mm256_loadu_ps(y + 8 * h)));
  }
}

// One Q4_K or Q6_K block of 16 columns for every row of x into yacc.
inline void ready_block_product(GgmlType type, const Slice& s, Ready& u,
                                const QuantizedActivations& x, Index b, float* yacc) {
  const bool q4 = type == GgmlType::kQ4_K;
  q4 ? scales_q4_k(s, u) : scales_q6_k(s, u);
  V acc[2];
  if (x.rows == 1) {
    const std::int8_t* row = x.row(0) + 256 * b;
    if (q4) {
      one_row_q4_k(s, u, row, acc);
      finish_ready_q4_k(u, acc, x.row_sums(0) + 16 * b, x.scale(0, b), yacc);
    } else {
      one_row_q6_k(s, u, row, acc);
      finish_ready_q6_k(u, acc, x.row_sums(0) + 16 * b, x.scale(0, b), yacc);
    }
    return;
  }
  q4 ? store_q4_k(s, u) : store_q6_k(s, u);
  for (Index t = 0; t < x.rows; ++t) {
    const std::int8_t* row = x.row(t) + 256 * b;
    if (q4) {
      stored_sums<8, 8, 8>(u, row, acc);
      finish_ready_q4_k(u, acc, x.row_sums(t) + 16 * b, x.scale(t, b), yacc + 16 * t);
    } else {
      stored_sums<16, 4, 2>(u, row, acc);
      finish_ready_q6_k(u, acc, x.row_sums(t) + 16 * b, x.scale(t, b), yacc + 16 * t);
    }
  }
}

}  // namespace beamscope::quant_int8::avx2
