#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <type_traits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/thread_pool.h"

namespace beamscope {

// Runs pack(first_panel, end_panel) over all `panels` of a matrix being
// packed (`floats_per_panel` elements each), split across the shared thread
// pool: a load writes every weight once, and the first write to a fresh
// page (the kernel zeroing it) is the larger part of that, which the cores
// then share. Each panel is written by one thread, so the packed bytes do
// not depend on the thread count. (For PanelMatrix's packers only.)
template <typename Pack>
void for_panel_ranges(Eigen::Index panels, Eigen::Index floats_per_panel, Pack&& pack) {
  using Index = Eigen::Index;
  constexpr Index kMinPerChunk = Index{1} << 18;  // ~1 MiB of floats
  ThreadPool& pool = ThreadPool::shared();
  const Index most =
      std::max<Index>(1, panels * std::max<Index>(1, floats_per_panel) / kMinPerChunk);
  const int chunks = static_cast<int>(std::min<Index>(4 * pool.threads(), std::min(most, panels)));
  if (chunks <= 1) return pack(Index{0}, panels);
  pool.run(chunks, [&](int i) { pack(panels * i / chunks, panels * (i + 1) / chunks); });
}

// The identity on 16-bit weights that stay in their format: packing with it
// moves bits without looking at them, which lets the transposing packer
// move 8 x 8 blocks at a time.
struct KeepBits {
  std::uint16_t operator()(std::uint16_t bits) const { return bits; }
};

namespace panel_packing {

#if defined(__SSE2__)
// out[j * stride + i] = rows[i][j] for an 8 x 8 block of 16-bit values.
inline void transpose_8x8(const std::uint16_t* const rows[8], std::uint16_t* out,
                          Eigen::Index stride) {
  __m128i a[8], t[8], u[8];
  for (int i = 0; i < 8; ++i) a[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[i]));
  for (int i = 0; i < 4; ++i) {  // pairs of rows interleaved: (k, k) of rows 2i, 2i + 1
    t[2 * i] = _mm_unpacklo_epi16(a[2 * i], a[2 * i + 1]);
    t[2 * i + 1] = _mm_unpackhi_epi16(a[2 * i], a[2 * i + 1]);
  }
  for (int h = 0; h < 2; ++h) {  // rows 4h .. 4h + 3, two values of k per vector
    u[4 * h + 0] = _mm_unpacklo_epi32(t[4 * h], t[4 * h + 2]);
    u[4 * h + 1] = _mm_unpackhi_epi32(t[4 * h], t[4 * h + 2]);
    u[4 * h + 2] = _mm_unpacklo_epi32(t[4 * h + 1], t[4 * h + 3]);
    u[4 * h + 3] = _mm_unpackhi_epi32(t[4 * h + 1], t[4 * h + 3]);
  }
  for (int j = 0; j < 4; ++j) {  // all 8 rows for k = 2j, 2j + 1
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (2 * j) * stride),
                     _mm_unpacklo_epi64(u[j], u[4 + j]));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (2 * j + 1) * stride),
                     _mm_unpackhi_epi64(u[j], u[4 + j]));
  }
}
#endif

}  // namespace panel_packing

// Packs the rows of W^T [N, K] (row n at row_of(n), K values) into column
// panels of `width` at `out` ([panel][k][column in panel]), each value
// passed through `convert`. The padding columns of the last panel are left
// as they are.
template <typename Out, typename RowOf, typename Convert>
void pack_transposed_rows(Out* out, RowOf&& row_of, Eigen::Index K, Eigen::Index N,
                          Eigen::Index width, Convert convert) {
  using Index = Eigen::Index;
  const Index panels = (N + width - 1) / width;
  for_panel_ranges(panels, K * width, [&](Index first_panel, Index end_panel) {
    for (Index p = first_panel; p < end_panel; ++p) {
      Out* panel = out + p * K * width;
      const Index first = p * width, cols = std::min(width, N - first);
      Index k0 = 0;
#if defined(__SSE2__)
      // Moving bits 8 x 8 at a time: one value at a time, the 16-bit packer
      // was a quarter of a BF16 model's load.
      if constexpr (std::is_same_v<Convert, KeepBits> && std::is_same_v<Out, std::uint16_t>) {
        if (cols == width && width % 8 == 0) {
          for (; k0 + 8 <= K; k0 += 8) {
            for (Index c = 0; c < width; c += 8) {
              const std::uint16_t* rows[8];
              for (int i = 0; i < 8; ++i) rows[i] = row_of(first + c + i) + k0;
              panel_packing::transpose_8x8(rows, panel + k0 * width + c, width);
            }
          }
        }
      }
#endif
      // One panel is `width` rows of W^T (a few hundred KiB at most), so
      // both the rows read and the panel written stay in cache.
      for (Index c = 0; c < cols; ++c) {
        const auto* row = row_of(first + c);
        for (Index k = k0; k < K; ++k) panel[k * width + c] = convert(row[k]);
      }
    }
  });
}

// Packs W [K, N] row-major (`transposed`: W^T [N, K] row-major) into column
// panels of `width` at `out` ([panel][k][column in panel]), each value
// passed through `convert` (float -> float, or 16-bit bits -> bits). The
// padding columns of the last panel are left as they are.
template <typename Out, typename In, typename Convert>
void pack_panels(Out* out, const In* w, Eigen::Index K, Eigen::Index N, Eigen::Index width,
                 bool transposed, Convert convert) {
  using Index = Eigen::Index;
  if (transposed) {
    return pack_transposed_rows(
        out, [&](Index n) { return w + n * K; }, K, N, width, convert);
  }
  const Index panels = (N + width - 1) / width;
  for_panel_ranges(panels, K * width, [&](Index first_panel, Index end_panel) {
    for (Index p = first_panel; p < end_panel; ++p) {
      Out* panel = out + p * K * width;
      const Index first = p * width, cols = std::min(width, N - first);
      for (Index k = 0; k < K; ++k) {
        const In* row = w + k * N + first;
        for (Index c = 0; c < cols; ++c) panel[k * width + c] = convert(row[c]);
      }
    }
  });
}

}  // namespace beamscope
