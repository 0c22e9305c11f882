#pragma once

#include <Eigen/Core>
#include <algorithm>

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

// Packs W [K, N] row-major (`transposed`: W^T [N, K] row-major) into column
// panels of `width` at `out` ([panel][k][column in panel]), each value
// passed through `convert` (float -> float, or 16-bit bits -> bits). The
// padding columns of the last panel are left as they are.
template <typename Out, typename In, typename Convert>
void pack_panels(Out* out, const In* w, Eigen::Index K, Eigen::Index N, Eigen::Index width,
                 bool transposed, Convert convert) {
  using Index = Eigen::Index;
  const Index panels = (N + width - 1) / width;
  for_panel_ranges(panels, K * width, [&](Index first_panel, Index end_panel) {
    for (Index p = first_panel; p < end_panel; ++p) {
      Out* panel = out + p * K * width;
      const Index first = p * width, cols = std::min(width, N - first);
      if (transposed) {
        // One panel is `width` rows of W^T (a few hundred KiB at most), so
        // both the rows read and the panel written stay in cache.
        for (Index c = 0; c < cols; ++c) {
          const In* column = w + (first + c) * K;
          for (Index k = 0; k < K; ++k) panel[k * width + c] = convert(column[k]);
        }
      } else {
        for (Index k = 0; k < K; ++k) {
          const In* row = w + k * N + first;
          for (Index c = 0; c < cols; ++c) panel[k * width + c] = convert(row[c]);
        }
      }
    }
  });
}

}  // namespace beamscope
