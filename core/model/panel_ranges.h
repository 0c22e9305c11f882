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

}  // namespace beamscope
