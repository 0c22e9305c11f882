// QuantPanels::multiply_integer: the activations quantized once per product
// (QuantizedActivations), then the panels split over the thread pool as
// PanelMatrix::multiply splits them, each panel by the integer kernel of its
// type (quant_int8_panel.h).
#include <algorithm>
#include <cassert>

#include "model/quant_int8_panel.h"
#include "model/quant_panels.h"
#include "util/thread_pool.h"

namespace beamscope {

namespace {

// The 32-value types take Q8_0 activations, the K-quants Q8_K (as in
// llama.cpp).
bool pairs_with_q8_0(GgmlType type) { return type == GgmlType::kQ8_0 || type == GgmlType::kQ4_0; }

}  // namespace

bool QuantPanels::multiplies_integers(GgmlType type) {
  return type == GgmlType::kQ8_0 || type == GgmlType::kQ4_0 || type == GgmlType::kQ4_K ||
         type == GgmlType::kQ5_K || type == GgmlType::kQ6_K;
}

void QuantPanels::multiply_integer(const float* x, Index T, float* y, Index N,
                                   bool accumulate) const {
  // Per calling thread (the pool's workers read them while it waits, through
  // these references: a thread_local named inside the lambda would be the
  // worker's own), grown once, then kept.
  thread_local QuantizedActivations mine_q8_0, mine_q8_k;
  QuantizedActivations& q8_0 = mine_q8_0;
  QuantizedActivations& q8_k = mine_q8_k;
  bool need_q8_0 = false, need_q8_k = false;
  for (const Segment& s : segments_) {
    assert(multiplies_integers(s.type));
    (pairs_with_q8_0(s.type) ? need_q8_0 : need_q8_k) = true;
  }
  if (need_q8_0) q8_0.quantize(x, T, K_, ActivationBlocks::kQ8_0);
  if (need_q8_k) q8_k.quantize(x, T, K_, ActivationBlocks::kQ8_K);

  const Index panels = segments_.back().end_panel;
  auto run = [&](Index first, Index end) {
    for (Index p = first; p < end; ++p) {
      const Segment& s = segment_of(p);
      const auto* panel = reinterpret_cast<const std::uint8_t*>(panel_data(s, p));
      quant_int8::multiply_panel(s.type, panel, K_, width_, pairs_with_q8_0(s.type) ? q8_0 : q8_k,
                                 y + p * width_, N, std::min(width_, N - p * width_), accumulate);
    }
  };
  // As PanelMatrix::multiply: a few chunks per thread, none too small to
  // be worth handing out; each column is one chunk's, so any thread count
  // gives the same bits.
  constexpr Index kMinProductsPerChunk = Index{1} << 15;
  ThreadPool& pool = ThreadPool::shared();
  const Index most = pool.threads() == 1 ? 1 : std::min<Index>(4 * pool.threads(), panels);
  const int chunks =
      static_cast<int>(std::max<Index>(1, std::min(most, T * K_ * N / kMinProductsPerChunk)));
  if (chunks == 1) return run(0, panels);
  pool.run(chunks, [&](int i) { run(panels * i / chunks, panels * (i + 1) / chunks); });
}

}  // namespace beamscope
