// The integer kernels with AVX2 (also in AVX-512 builds, whose panels are
// 32 columns: two slices of 16). Q4_K and Q6_K, held in the kernel-ready
// layout since load, go straight to vpmaddubsw (quant_int8_ready.h). For
// the other types, per block of a panel, the weights are first unpacked into bytes, one per value,
// in the order `vpmaddubsw` pairs them with the activations (transpose8), with the block's scales
// spread for `vpmaddwd`; then every row of activations runs over the
// unpacked block from L1. For one row (a decode step) the unpacking is most
// of the work, but on 32 values per instruction instead of the float
// kernel's 8; many rows (a prefill) share it.
//
// Per block and column the integers are exact (bounds in the comments) and
// the float operations are those of the portable kernel
// (quant_int8_portable.cpp), so both give the same bits.
#include "model/quant_int8_panel.h"

#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model/quant_int8_ready.h"
#include "model/quant_int8_unpack.h"

namespace beamscope::quant_int8 {

namespace {

using namespace avx2;

// A group of 8 activations (kGroupOrder) as transpose8's lanes want them.
EIGEN_ALWAYS_INLINE V group(const std::int8_t* x) {
  return _mm256_permutevar8x32_epi32(
      _mm256_castsi128_si256(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(x))),
      _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1));
}

// For many rows: the groups kept for rows_*.
struct Store {
  Unpacked& u;
  bool magnitudes;  // Q8_0: |w| too
  EIGEN_ALWAYS_INLINE void operator()(int g, const V* w) {
    for (int v = 0; v < 4; ++v) {
      u.w[g][v] = w[v];
      if (magnitudes) u.magnitude[g][v] = _mm256_abs_epi8(w[v]);
    }
  }
};

// For one row: each group multiplied as it is unpacked (the sums are exact
// integers whatever the grouping, so the same bits as rows_*). kSub: groups
// per sub-block: Q8_0 (0): signed, as rows_q8_0; Q5_K (4): its unpacking
// alternates between two sub-blocks, each summed in 16 bits (as
// scaled_sums) and scaled when its last group is in.
template <int kSub>
struct OneRow {
  const Unpacked& u;
  const std::int8_t* x;
  V acc[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
              _mm256_setzero_si256()};
  V part[2][4] = {};
  EIGEN_ALWAYS_INLINE void operator()(int g, const V* w) {
    const V xg = group(x + 8 * g);
    for (int v = 0; v < 4; ++v) {
      if constexpr (kSub == 0) {
        const V p = _mm256_maddubs_epi16(_mm256_abs_epi8(w[v]), _mm256_sign_epi8(xg, w[v]));
        acc[v] = _mm256_add_epi32(acc[v], _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
      } else {
        static_assert(kSub == 4);
        V& sum = part[(g / 4) % 2][v];
        sum = _mm256_add_epi16(sum, _mm256_maddubs_epi16(w[v], xg));
        if (g % 4 == 3) {
          acc[v] = _mm256_add_epi32(acc[v], _mm256_madd_epi16(sum, u.scale[g / 4][v]));
          sum = _mm256_setzero_si256();
        }
      }
    }
  }
};

// Both lanes of four column vectors added: columns 0-7 and 8-15.
EIGEN_ALWAYS_INLINE void add_lanes(const V acc[4], V out[2]) {
  for (int h = 0; h < 2; ++h) {
    out[h] = _mm256_add_epi32(_mm256_permute2x128_si256(acc[2 * h], acc[2 * h + 1], 0x20),
                              _mm256_permute2x128_si256(acc[2 * h], acc[2 * h + 1], 0x31));
  }
}

// Sum over sub-blocks of scale * (sum of q x), unsigned q, for the stored
// groups. Q5_K: 4 groups a sub-block, |sum| <= 4 * 2 * 31 * 127 < 2^15 in
// 16 bits.
template <int kGroups, int kSubs>
EIGEN_ALWAYS_INLINE void scaled_sums(const Unpacked& u, const std::int8_t* x, V acc[4]) {
  for (int v = 0; v < 4; ++v) acc[v] = _mm256_setzero_si256();
  for (int sub = 0; sub < kSubs; ++sub) {
    V part[4];
    for (int v = 0; v < 4; ++v) part[v] = _mm256_setzero_si256();
    for (int i = 0; i < kGroups; ++i) {
      const int g = sub * kGroups + i;
      const V xg = group(x + 8 * g);
      for (int v = 0; v < 4; ++v)
        part[v] = _mm256_add_epi16(part[v], _mm256_maddubs_epi16(u.w[g][v], xg));
    }
    for (int v = 0; v < 4; ++v)
      acc[v] = _mm256_add_epi32(acc[v], _mm256_madd_epi16(part[v], u.scale[sub][v]));
  }
}

// y (16 floats) += (d * dx) * S.
EIGEN_ALWAYS_INLINE void add_scaled(float* y, const F d[2], float dx, const V s[2]) {
  for (int h = 0; h < 2; ++h) {
    const F scale = _mm256_mul_ps(d[h], _mm256_set1_ps(dx));
    _mm256_storeu_ps(y + 8 * h,
                     _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(s[h]), _mm256_loadu_ps(y + 8 * h)));
  }
}

// One row's block, from its per-lane sums `acc`: the float update.
EIGEN_ALWAYS_INLINE void finish_q8_0(const Unpacked& u, const V acc[4], float dx, float* y) {
  V s[2];
  add_lanes(acc, s);
  add_scaled(y, u.d, dx, s);
}

EIGEN_ALWAYS_INLINE void finish_q5_k(const Unpacked& u, const V acc[4], const std::int16_t* sums16,
                                     float dx, float* y) {
  V s[2];
  add_lanes(acc, s);
  add_scaled(y, u.d, dx, s);
  std::int16_t sums32[8];  // per sub-block of 32 values
  for (int j = 0; j < 8; ++j)
    sums32[j] = static_cast<std::int16_t>(sums16[2 * j] + sums16[2 * j + 1]);
  for (int h = 0; h < 2; ++h) {
    const V m = pair_sums(u, 4, sums32, h);  // mins by 32-value sums
    const F scale = _mm256_mul_ps(u.dmin[h], _mm256_set1_ps(dx));
    _mm256_storeu_ps(y + 8 * h,
                     _mm256_fnmadd_ps(scale, _mm256_cvtepi32_ps(m), _mm256_loadu_ps(y + 8 * h)));
  }
}

// Every row over one stored block.
void rows_q8_0(const Unpacked& u, const QuantizedActivations& x, Index b, float* yacc) {
  const V ones = _mm256_set1_epi16(1);
  for (Index t = 0; t < x.rows; ++t) {
    const std::int8_t* xq = x.row(t) + 32 * b;
    V acc[4];
    for (int v = 0; v < 4; ++v) acc[v] = _mm256_setzero_si256();
    for (int g = 0; g < 4; ++g) {
      // Signed by signed: |w| times x with w's sign (x is within +-127, so
      // negating it cannot overflow; w may be -128), each pair <= 2 * 128 *
      // 127 < 2^15.
      const V xg = group(xq + 8 * g);
      for (int v = 0; v < 4; ++v) {
        const V p = _mm256_maddubs_epi16(u.magnitude[g][v], _mm256_sign_epi8(xg, u.w[g][v]));
        acc[v] = _mm256_add_epi32(acc[v], _mm256_madd_epi16(p, ones));
      }
    }
    finish_q8_0(u, acc, x.scale(t, b), yacc + 16 * t);
  }
}

// Q4_0: unsigned nibbles, 4 groups summed in 16 bits (<= 4 * 2 * 15 * 127),
// then the -8 of every value by the block's sum of x.
void rows_q4_0(const Unpacked& u, const QuantizedActivations& x, Index b, float* yacc) {
  const V ones = _mm256_set1_epi16(1);
  for (Index t = 0; t < x.rows; ++t) {
    const std::int8_t* xq = x.row(t) + 32 * b;
    V part[4];
    for (int v = 0; v < 4; ++v) part[v] = _mm256_setzero_si256();
    for (int g = 0; g < 4; ++g) {
      const V xg = group(xq + 8 * g);
      for (int v = 0; v < 4; ++v)
        part[v] = _mm256_add_epi16(part[v], _mm256_maddubs_epi16(u.w[g][v], xg));
    }
    V acc[4], s[2];
    for (int v = 0; v < 4; ++v) acc[v] = _mm256_madd_epi16(part[v], ones);
    add_lanes(acc, s);
    const std::int16_t* sums = x.row_sums(t) + 2 * b;
    const V offset = _mm256_set1_epi32(8 * (sums[0] + sums[1]));
    for (int h = 0; h < 2; ++h) s[h] = _mm256_sub_epi32(s[h], offset);
    add_scaled(yacc + 16 * t, u.d, x.scale(t, b), s);
  }
}

void rows_q5_k(const Unpacked& u, const QuantizedActivations& x, Index b, float* yacc) {
  for (Index t = 0; t < x.rows; ++t) {
    V acc[4];
    scaled_sums<4, 8>(u, x.row(t) + 256 * b, acc);
    finish_q5_k(u, acc, x.row_sums(t) + 16 * b, x.scale(t, b), yacc + 16 * t);
  }
}

// One block of 16 columns for every row of x into yacc: Q4_K and Q6_K from
// the kernel-ready layout (quant_int8_ready.h), the others unpacked here.
void block_product(GgmlType type, const Slice& s, Unpacked& u, Ready& ready,
                   const QuantizedActivations& x, Index b, float* yacc) {
  if (type == GgmlType::kQ4_K || type == GgmlType::kQ6_K)
    return ready_block_product(type, s, ready, x, b, yacc);
  // A decode step: Q8_0 and Q5_K multiplied as unpacked, nothing stored;
  // Q4_0 is stored (simpler, and rare in new files).
  if (x.rows == 1 && type != GgmlType::kQ4_0) {
    if (type == GgmlType::kQ8_0) {
      OneRow<0> row{u, x.row(0) + 32 * b};
      unpack_q8_0(s, u, row);
      finish_q8_0(u, row.acc, x.scale(0, b), yacc);
    } else {
      OneRow<4> row{u, x.row(0) + 256 * b};
      unpack_q5_k(s, u, row);
      finish_q5_k(u, row.acc, x.row_sums(0) + 16 * b, x.scale(0, b), yacc);
    }
    return;
  }
  Store store{u, type == GgmlType::kQ8_0};
  switch (type) {
    case GgmlType::kQ8_0:
      unpack_q8_0(s, u, store);
      return rows_q8_0(u, x, b, yacc);
    case GgmlType::kQ4_0:
      unpack_q4_0(s, u, store);
      return rows_q4_0(u, x, b, yacc);
    default:  // Q5_K
      unpack_q5_k(s, u, store);
      return rows_q5_k(u, x, b, yacc);
  }
}

}  // namespace

bool vectorized() { return true; }

void multiply_panel(GgmlType type, const std::uint8_t* panel, Index K, Index width,
                    const QuantizedActivations& x, float* out, Index ldy, Index cols,
                    bool accumulate) {
  const GgmlTypeInfo info = *ggml_type_info(static_cast<std::uint32_t>(type));
  const Index blocks = K / info.block;
  alignas(32) thread_local Unpacked u;
  alignas(32) thread_local Ready ready;
  thread_local std::vector<float> yacc;
  yacc.assign(static_cast<std::size_t>(16 * x.rows), 0.0f);
  for (Index c0 = 0; c0 < cols; c0 += 16) {
    if (c0 > 0) std::fill(yacc.begin(), yacc.end(), 0.0f);
    for (Index b = 0; b < blocks; ++b) {
      const Slice s{panel + static_cast<std::size_t>(b) * info.block_bytes * width, width, c0};
      // The block two ahead (this slice's bytes of it) asked for now: the
      // unpacking's loads hop between fields and rows, which the hardware
      // prefetcher followed too late (one run, load ~6: Llama-3.2-1B Q4_K_M
      // step 111 -> 91 ms, GPT-2 Q8_0 10.1 -> 8.2 ms). Past the end it
      // touches nothing (a prefetch does not fault).
      // (Integer addresses: the pointer may not be formed past the end.)
      const std::uintptr_t ahead =
          reinterpret_cast<std::uintptr_t>(s.block) + 2 * info.block_bytes * width;
      for (std::size_t i = 0; i < std::size_t{info.block_bytes} * 16; i += 64)
        _mm_prefetch(reinterpret_cast<const char*>(ahead + i), _MM_HINT_T0);
      block_product(type, s, u, ready, x, b, yacc.data());
    }
    const Index n = std::min<Index>(16, cols - c0);
    for (Index t = 0; t < x.rows; ++t) {
      float* o = out + t * ldy + c0;
      const float* y = yacc.data() + 16 * t;
      for (Index c = 0; c < n; ++c) o[c] = accumulate ? o[c] + y[c] : y[c];
    }
  }
}

}  // namespace beamscope::quant_int8

#endif
