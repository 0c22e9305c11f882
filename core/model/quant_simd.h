#pragma once

// The few integer-vector steps the quantized kernels (quant_kernels.cpp)
// need to turn packed GGUF quants into one packet of floats: widen kLanes
// bytes to 32-bit lanes, shift, mask, combine, offset, convert. RowBytes is
// one whole panel row (2 kLanes bytes, both packets' columns): where several
// fields combine into one quant (Q6_K), they are combined on the bytes of
// the row at once, before widening (row_bits: (byte >> shift) & mask per
// byte; row_small_shl only on values that stay inside their byte). AVX-512 and AVX2 get
// their instructions; any other build (BEAMSCOPE_NATIVE=OFF, NEON) a plain
// per-lane loop, slower but the same values. For quant_panels.cpp only.
#include <Eigen/Core>
#include <cstdint>
#include <cstring>

#include "model/half_float.h"

namespace beamscope::quant_simd {

namespace ei = Eigen::internal;
using Packet = ei::packet_traits<float>::type;
constexpr int kLanes = ei::packet_traits<float>::size;
using u8 = std::uint8_t;

#if defined(EIGEN_VECTORIZE_AVX512)
static_assert(kLanes == 16);
using Ints = __m512i;
EIGEN_ALWAYS_INLINE Ints load_u8(const u8* p) {
  return _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
EIGEN_ALWAYS_INLINE Ints load_i8(const u8* p) {
  return _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
EIGEN_ALWAYS_INLINE Ints shr(Ints v, int n) { return _mm512_srl_epi32(v, _mm_cvtsi32_si128(n)); }
EIGEN_ALWAYS_INLINE Ints shl(Ints v, int n) { return _mm512_sll_epi32(v, _mm_cvtsi32_si128(n)); }
EIGEN_ALWAYS_INLINE Ints mask(Ints v, int m) { return _mm512_and_si512(v, _mm512_set1_epi32(m)); }
EIGEN_ALWAYS_INLINE Ints either(Ints a, Ints b) { return _mm512_or_si512(a, b); }
EIGEN_ALWAYS_INLINE Ints minus(Ints v, int c) { return _mm512_sub_epi32(v, _mm512_set1_epi32(c)); }
EIGEN_ALWAYS_INLINE Packet to_float(Ints v) { return _mm512_cvtepi32_ps(v); }
EIGEN_ALWAYS_INLINE Packet load_halves(const u8* p) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}
using RowBytes = __m256i;
EIGEN_ALWAYS_INLINE RowBytes load_row(const u8* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
EIGEN_ALWAYS_INLINE RowBytes row_bits(RowBytes v, int shift, int m) {
  return _mm256_and_si256(_mm256_srl_epi16(v, _mm_cvtsi32_si128(shift)),
                          _mm256_set1_epi8(static_cast<char>(m)));
}
EIGEN_ALWAYS_INLINE RowBytes row_small_shl(RowBytes v, int n) {
  return _mm256_sll_epi16(v, _mm_cvtsi32_si128(n));
}
EIGEN_ALWAYS_INLINE RowBytes row_or(RowBytes a, RowBytes b) { return _mm256_or_si256(a, b); }
EIGEN_ALWAYS_INLINE RowBytes row_minus(RowBytes v, int c) {
  return _mm256_sub_epi8(v, _mm256_set1_epi8(static_cast<char>(c)));
}
EIGEN_ALWAYS_INLINE Ints widen_signed(RowBytes v, int g) {
  return _mm512_cvtepi8_epi32(g ? _mm256_extracti128_si256(v, 1) : _mm256_castsi256_si128(v));
}
EIGEN_ALWAYS_INLINE Ints widen_unsigned(RowBytes v, int g) {
  return _mm512_cvtepu8_epi32(g ? _mm256_extracti128_si256(v, 1) : _mm256_castsi256_si128(v));
}
#elif defined(EIGEN_VECTORIZE_AVX2) && defined(__F16C__)
static_assert(kLanes == 8);
using Ints = __m256i;
EIGEN_ALWAYS_INLINE Ints load_u8(const u8* p) {
  return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}
EIGEN_ALWAYS_INLINE Ints load_i8(const u8* p) {
  return _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}
EIGEN_ALWAYS_INLINE Ints shr(Ints v, int n) { return _mm256_srl_epi32(v, _mm_cvtsi32_si128(n)); }
EIGEN_ALWAYS_INLINE Ints shl(Ints v, int n) { return _mm256_sll_epi32(v, _mm_cvtsi32_si128(n)); }
EIGEN_ALWAYS_INLINE Ints mask(Ints v, int m) { return _mm256_and_si256(v, _mm256_set1_epi32(m)); }
EIGEN_ALWAYS_INLINE Ints either(Ints a, Ints b) { return _mm256_or_si256(a, b); }
EIGEN_ALWAYS_INLINE Ints minus(Ints v, int c) { return _mm256_sub_epi32(v, _mm256_set1_epi32(c)); }
EIGEN_ALWAYS_INLINE Packet to_float(Ints v) { return _mm256_cvtepi32_ps(v); }
EIGEN_ALWAYS_INLINE Packet load_halves(const u8* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
using RowBytes = __m128i;
EIGEN_ALWAYS_INLINE RowBytes load_row(const u8* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
EIGEN_ALWAYS_INLINE RowBytes row_bits(RowBytes v, int shift, int m) {
  return _mm_and_si128(_mm_srl_epi16(v, _mm_cvtsi32_si128(shift)),
                       _mm_set1_epi8(static_cast<char>(m)));
}
EIGEN_ALWAYS_INLINE RowBytes row_small_shl(RowBytes v, int n) {
  return _mm_sll_epi16(v, _mm_cvtsi32_si128(n));
}
EIGEN_ALWAYS_INLINE RowBytes row_or(RowBytes a, RowBytes b) { return _mm_or_si128(a, b); }
EIGEN_ALWAYS_INLINE RowBytes row_minus(RowBytes v, int c) {
  return _mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(c)));
}
EIGEN_ALWAYS_INLINE Ints widen_signed(RowBytes v, int g) {
  return _mm256_cvtepi8_epi32(g ? _mm_unpackhi_epi64(v, v) : v);
}
EIGEN_ALWAYS_INLINE Ints widen_unsigned(RowBytes v, int g) {
  return _mm256_cvtepu8_epi32(g ? _mm_unpackhi_epi64(v, v) : v);
}
#else
// Portable: one int per lane, converted through memory.
struct Ints {
  std::int32_t v[kLanes];
};
template <typename Op>
EIGEN_ALWAYS_INLINE Ints each(Ints a, Op op) {
  for (int i = 0; i < kLanes; ++i) a.v[i] = op(a.v[i]);
  return a;
}
inline Ints load_u8(const u8* p) {
  Ints r;
  for (int i = 0; i < kLanes; ++i) r.v[i] = p[i];
  return r;
}
inline Ints load_i8(const u8* p) {
  Ints r;
  for (int i = 0; i < kLanes; ++i) r.v[i] = static_cast<std::int8_t>(p[i]);
  return r;
}
inline Ints shr(Ints v, int n) {
  return each(v, [n](std::int32_t x) { return static_cast<std::int32_t>(std::uint32_t(x) >> n); });
}
inline Ints shl(Ints v, int n) {
  return each(v, [n](std::int32_t x) { return static_cast<std::int32_t>(std::uint32_t(x) << n); });
}
inline Ints mask(Ints v, int m) {
  return each(v, [m](std::int32_t x) { return x & m; });
}
inline Ints either(Ints a, Ints b) {
  for (int i = 0; i < kLanes; ++i) a.v[i] |= b.v[i];
  return a;
}
inline Ints minus(Ints v, int c) {
  return each(v, [c](std::int32_t x) { return x - c; });
}
inline Packet to_float(Ints v) {
  alignas(64) float f[kLanes];
  for (int i = 0; i < kLanes; ++i) f[i] = static_cast<float>(v.v[i]);
  return ei::pload<Packet>(f);
}
inline Packet load_halves(const u8* p) {
  alignas(64) float f[kLanes];
  for (int i = 0; i < kLanes; ++i) {
    std::uint16_t h;
    std::memcpy(&h, p + 2 * i, 2);
    f[i] = f16_to_f32(h);
  }
  return ei::pload<Packet>(f);
}
struct RowBytes {
  u8 b[2 * kLanes];
};
inline RowBytes load_row(const u8* p) {
  RowBytes r;
  std::memcpy(r.b, p, sizeof r.b);
  return r;
}
inline RowBytes row_bits(RowBytes v, int shift, int m) {
  for (u8& x : v.b) x = static_cast<u8>((x >> shift) & m);
  return v;
}
inline RowBytes row_small_shl(RowBytes v, int n) {
  for (u8& x : v.b) x = static_cast<u8>(x << n);
  return v;
}
inline RowBytes row_or(RowBytes a, RowBytes b) {
  for (int i = 0; i < 2 * kLanes; ++i) a.b[i] |= b.b[i];
  return a;
}
inline RowBytes row_minus(RowBytes v, int c) {
  for (u8& x : v.b) x = static_cast<u8>(x - c);
  return v;
}
inline Ints widen_signed(RowBytes v, int g) { return load_i8(v.b + g * kLanes); }
inline Ints widen_unsigned(RowBytes v, int g) { return load_u8(v.b + g * kLanes); }
#endif

}  // namespace beamscope::quant_simd
