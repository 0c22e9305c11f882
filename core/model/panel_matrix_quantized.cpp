// PanelMatrix over GGUF quantized weights kept quantized (QuantPanels); the
// product's dispatch is in panel_matrix.cpp, the kernels in
// quant_kernels.cpp.
#include "model/aligned_buffer.h"
#include "model/panel_matrix.h"

namespace beamscope {

std::optional<PanelMatrix> PanelMatrix::from_quantized(std::span<const QuantPart> parts, Index K,
                                                       PanelArena& arena, bool integer_products) {
  std::optional<QuantPanels> panels =
      QuantPanels::build(parts, K, panel_width(), arena, integer_products);
  if (!panels) return std::nullopt;
  PanelMatrix m;
  m.K_ = K;
  for (const QuantPart& part : parts) m.N_ += part.count;
  m.panels_ = (m.N_ + panel_width() - 1) / panel_width();
  m.quant_ = std::make_shared<const QuantPanels>(std::move(*panels));
  m.in_arena_ = true;  // share_one_block leaves it where it is
  return m;
}

void PanelMatrix::quantized_column(Index n, float* out) const {
  // A column is one panel's; decoding the whole panel (K x panel_width())
  // costs little next to what a column is used for (a tied head's token
  // embedding, once per token).
  const Index width = panel_width();
  thread_local FloatBuffer panel;
  const auto size = static_cast<std::size_t>(K_ * width);
  if (panel.size() < size) panel.resize(size);
  quant_->decode_panel(n / width, panel.data());
  for (Index k = 0; k < K_; ++k) out[k] = panel[static_cast<std::size_t>(k * width + n % width)];
}

}  // namespace beamscope
