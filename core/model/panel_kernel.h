#pragma once

// The column-panel product kernel of PanelMatrix (panel_matrix.cpp is its
// only user): how many rows and panels one pass takes, how weights of each
// storage are loaded and widened, and the register-blocked product itself.
// Written with Eigen's packet primitives, so it vectorises to whatever Eigen
// picked for this build (AVX-512, AVX, SSE or NEON).
#include <Eigen/Core>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "model/half_float.h"

namespace beamscope::panel_kernel {

namespace ei = Eigen::internal;
using Index = Eigen::Index;
using Packet = ei::packet_traits<float>::type;
constexpr Index kLanes = ei::packet_traits<float>::size;
// Two packets: with 8 rows that is 16 accumulators, half the AVX-512 (or
// all the AVX) registers, leaving room for the two weight packets. Wider
// panels were not faster and spill with 8 rows on AVX.
constexpr int kPacketsPerPanel = 2;
constexpr Index kWidth = kPacketsPerPanel * kLanes;
// Rows per pass over a panel. 8 keeps the accumulators in registers; the
// panel is re-read from L2 for the next 8.
constexpr int kMaxGroupRows = 8;
// Rows for which halves are read two panels at a time (see panel_product).
// From 1: with one row and one panel the kernel has only kPacketsPerPanel
// accumulators, each a chain of dependent FMAs, and on an AVX2 machine (8
// lanes) that chain, not memory, set the pace of a 16-bit decode step: two
// panels doubled the chains and took the 1B BF16 step from 1.34x its
// bandwidth bound to 1.00x, GPT-2 small F16 from 14.6 to 11.0 ms (the same
// sums in the same order, so the same bits). On AVX-512 one panel had
// measured ~5 % faster.
// With two or more rows each weight line feeds more FMAs, the loop covers
// fewer lines of the stream per instruction window, and the hardware
// prefetcher alone no longer keeps enough lines in flight: on GPT-2 small's
// matrices (F32, one thread) four rows took 1.36x one row's time although
// memory, not the FMAs, bounds both. Asking for the line 1 KB ahead brought
// four rows to ~1.05x one row. One row runs ahead by itself, and a
// prefetch there measured slower.
constexpr int kMinPrefetchRows = 2;
constexpr int kPrefetchBytes = 1024;
constexpr int kMinPairRows = 1;
// Two panels of R rows hold 4R accumulators. AVX-512 has 32 registers, so
// 6 rows (24) still fit beside the weights; AVX2 has 16, and from 3 rows on
// the accumulators spilled to the stack: on SmolLM2-135M's BF16 matrices
// (one thread) 4 rows took 20.5 ms two panels at a time and 14.0 ms one
// panel at a time (8 accumulators), 6 rows 37 against 18 ms; F16 the same.
#if defined(EIGEN_VECTORIZE_AVX512)
constexpr int kMaxPairRows = 6;
#else
constexpr int kMaxPairRows = 2;
#endif
// Halves streamed through the one-panel kernel are taken in groups of at
// most this many rows, split evenly: on AVX2 8 rows (16 accumulators and
// the weights) spill, and 8 BF16 rows as 4 + 4 took 27 against 38 ms. Float
// weights keep groups of 8, where the spilled kernel was still the faster
// one (39.5 against 45 ms), and a prefill's groups are not changed.
#if defined(EIGEN_VECTORIZE_AVX512)
constexpr int kMaxHalvesGroupRows = 8;
#else
constexpr int kMaxHalvesGroupRows = 6;
#endif
// Halves for up to this many rows are widened in the kernel, group by group
// (the second group's panel comes from L2); beyond it each panel is widened
// once into a scratch panel. Measured on GPT-2 small's matrices: 8 rows
// 23 ms streamed against 40 ms through the scratch panel, while a 128-token
// prefill costs only ~4 % more through it than with float weights.
constexpr int kMaxStreamedHalvesRows = 2 * kMaxGroupRows;

// A bfloat16 weight: the kernel is instantiated per weight type, and bf16
// and f16 are both 16 bits, so bf16 gets its own type.
struct Bf16 {
  std::uint16_t bits;
};

// One packet of weights as floats: loaded, or loaded and widened from halves
// (F16C's vcvtph2ps where the build has it; it is exact, like f16_to_f32).
EIGEN_ALWAYS_INLINE Packet load_weights(const float* p) { return ei::pload<Packet>(p); }
EIGEN_ALWAYS_INLINE Packet load_weights(const std::uint16_t* p) {
#if defined(EIGEN_VECTORIZE_AVX512)
  static_assert(kLanes == 16);
  return _mm512_cvtph_ps(_mm256_load_si256(reinterpret_cast<const __m256i*>(p)));
#elif defined(EIGEN_VECTORIZE_AVX) && defined(__F16C__)
  static_assert(kLanes == 8);
  return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(p)));
#else
  alignas(64) float widened[kLanes];
  for (Index i = 0; i < kLanes; ++i) widened[i] = f16_to_f32(p[i]);
  return ei::pload<Packet>(widened);
#endif
}
// bfloat16 is the top half of a float32: widening is a shift, exact.
EIGEN_ALWAYS_INLINE Packet load_weights(const Bf16* p) {
#if defined(EIGEN_VECTORIZE_AVX512)
  static_assert(kLanes == 16);
  const __m512i wide =
      _mm512_cvtepu16_epi32(_mm256_load_si256(reinterpret_cast<const __m256i*>(p)));
  return _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16));
#elif defined(EIGEN_VECTORIZE_AVX2)
  static_assert(kLanes == 8);
  const __m256i wide = _mm256_cvtepu16_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(p)));
  return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
#else
  alignas(64) float widened[kLanes];
  for (Index i = 0; i < kLanes; ++i) widened[i] = bf16_to_f32(p[i].bits);
  return ei::pload<Packet>(widened);
#endif
}

// On AVX2 a panel row of BF16 weights (kWidth = 16 values) is one 32-byte
// load, widened as two halves without any lane crossing: each 32-bit word
// holds an even column in its low half (shifted up: that float) and an odd
// column in its high half (the low half masked off: that float). So the
// kernel accumulates even and odd columns in separate packets and puts them
// back in column order once per panel, at the store. Against widening
// 8 values at a time (vpmovzxwd + vpslld, two operations per packet on the
// pipes the FMAs use) this is one per packet; the sums are the same FMAs in
// the same order, so the bits are too.
#if defined(EIGEN_VECTORIZE_AVX2) && !defined(EIGEN_VECTORIZE_AVX512)
constexpr bool kEvenOddBf16 = true;
EIGEN_ALWAYS_INLINE void load_even_odd(const Bf16* p, Packet& even, Packet& odd) {
  const __m256i v = _mm256_load_si256(reinterpret_cast<const __m256i*>(p));
  even = _mm256_castsi256_ps(_mm256_slli_epi32(v, 16));
  odd = _mm256_castsi256_ps(_mm256_and_si256(v, _mm256_set1_epi32(static_cast<int>(0xFFFF0000u))));
}
// (even, odd) columns -> (columns 0..7, columns 8..15).
EIGEN_ALWAYS_INLINE void to_column_order(Packet& even, Packet& odd) {
  const __m256 lo = _mm256_unpacklo_ps(even, odd);  // 0 1 2 3 | 8 9 10 11
  const __m256 hi = _mm256_unpackhi_ps(even, odd);  // 4 5 6 7 | 12 13 14 15
  even = _mm256_permute2f128_ps(lo, hi, 0x20);
  odd = _mm256_permute2f128_ps(lo, hi, 0x31);
}
#else
constexpr bool kEvenOddBf16 = false;
EIGEN_ALWAYS_INLINE void load_even_odd(const Bf16*, Packet&, Packet&) {}
EIGEN_ALWAYS_INLINE void to_column_order(Packet&, Packet&) {}
#endif

// out[t, 0..cols) = x[t, :] [P_0 .. P_{NP-1}] (+ out when accumulate) for MR
// rows of x and NP adjacent panels P_i [K, kWidth] (panel_size apart), whose
// columns are consecutive in out. x rows are K apart, out rows N apart.
//
// NP = 2 is for halves with 1 to kMaxPairRows rows: every weight packet is widened
// once and every broadcast of x feeds NP * 2 FMAs, which is what limits
// those sizes (broadcasts and conversions compete with the FMAs for the same
// pipes). Two panels are two sequential streams, which the prefetcher still
// follows at full speed.
template <int MR, int NP, typename Weight>
void panel_product(const float* x, Index K, const Weight* panel, std::size_t panel_size, float* out,
                   Index N, Index cols, bool accumulate) {
  constexpr int kPackets = NP * kPacketsPerPanel;
  constexpr bool kEvenOdd = kEvenOddBf16 && std::is_same_v<Weight, Bf16>;
  static_assert(!kEvenOdd || kPacketsPerPanel == 2);
  Packet acc[MR][kPackets];
  for (int t = 0; t < MR; ++t)
    for (int g = 0; g < kPackets; ++g) acc[t][g] = ei::pset1<Packet>(0.0f);
  for (Index k = 0; k < K; ++k, panel += kWidth) {
    if constexpr (MR >= kMinPrefetchRows) {
      for (int p = 0; p < NP; ++p) {
        __builtin_prefetch(reinterpret_cast<const char*>(panel + p * panel_size) + kPrefetchBytes);
      }
    }
    Packet w[kPackets];
    if constexpr (kEvenOdd) {
      for (int p = 0; p < NP; ++p) load_even_odd(panel + p * panel_size, w[2 * p], w[2 * p + 1]);
    } else {
      for (int p = 0; p < NP; ++p)
        for (int g = 0; g < kPacketsPerPanel; ++g)
          w[p * kPacketsPerPanel + g] = load_weights(panel + p * panel_size + g * kLanes);
    }
    for (int t = 0; t < MR; ++t) {
      const Packet xb = ei::pset1<Packet>(x[t * K + k]);
      for (int g = 0; g < kPackets; ++g) acc[t][g] = ei::pmadd(xb, w[g], acc[t][g]);
    }
  }
  if constexpr (kEvenOdd) {
    for (int t = 0; t < MR; ++t)
      for (int p = 0; p < NP; ++p) to_column_order(acc[t][2 * p], acc[t][2 * p + 1]);
  }
  for (int t = 0; t < MR; ++t) {
    float* y = out + t * N;
    if (cols == NP * kWidth) {
      for (int g = 0; g < kPackets; ++g) {
        Packet v = acc[t][g];
        if (accumulate) v = ei::padd(ei::ploadu<Packet>(y + g * kLanes), v);
        ei::pstoreu(y + g * kLanes, v);
      }
    } else {  // the last, partial panel: only `cols` columns exist in out
      alignas(64) float row[NP * kWidth];
      for (int g = 0; g < kPackets; ++g) ei::pstore(row + g * kLanes, acc[t][g]);
      for (Index c = 0; c < cols; ++c) y[c] = accumulate ? y[c] + row[c] : row[c];
    }
  }
}

// Calls body.template operator()<R>() with R = rows as a compile-time
// constant, so every group size gets its own fully unrolled kernel.
template <typename Body>
void with_rows(Index rows, Body&& body) {
  switch (rows) {
    case 1:
      return body.template operator()<1>();
    case 2:
      return body.template operator()<2>();
    case 3:
      return body.template operator()<3>();
    case 4:
      return body.template operator()<4>();
    case 5:
      return body.template operator()<5>();
    case 6:
      return body.template operator()<6>();
    case 7:
      return body.template operator()<7>();
    case 8:
      return body.template operator()<8>();
    default:
      assert(false && "panel_product: 1..8 rows per group");
  }
}
static_assert(kMaxGroupRows <= 8 && kMaxHalvesGroupRows <= 8, "with_rows() instantiates 1..8 rows");

}  // namespace beamscope::panel_kernel
