// Re-blocking GGUF rows into quantized column panels (see quant_panels.h);
// the kernels are in quant_kernels.cpp.
#include "model/quant_panels.h"

#include <algorithm>
#include <cstring>

#include "model/panel_ranges.h"
#include "model/quant_int8_layout.h"
#include "util/error.h"

namespace beamscope {

namespace {

using Index = Eigen::Index;

// One field of a GGUF block: `count` units of `unit` bytes at `offset`.
struct Field {
  int offset, count, unit;
};

// The fields of each type the kernel decodes, in block order (see
// gguf_tensor_type.cpp for what they mean).
std::span<const Field> fields_of(GgmlType type) {
  static constexpr Field q8_0[] = {{0, 1, 2}, {2, 32, 1}};
  static constexpr Field q4_0[] = {{0, 1, 2}, {2, 16, 1}};
  static constexpr Field q4_k[] = {{0, 2, 2}, {4, 12, 1}, {16, 128, 1}};
  static constexpr Field q5_k[] = {{0, 2, 2}, {4, 12, 1}, {16, 32, 1}, {48, 128, 1}};
  static constexpr Field q6_k[] = {{0, 128, 1}, {128, 64, 1}, {192, 16, 1}, {208, 1, 2}};
  static constexpr Field q4_1[] = {{0, 2, 2}, {4, 16, 1}};
  static constexpr Field q5_0[] = {{0, 1, 2}, {2, 4, 1}, {6, 16, 1}};
  static constexpr Field q5_1[] = {{0, 2, 2}, {4, 4, 1}, {8, 16, 1}};
  static constexpr Field q2_k[] = {{0, 16, 1}, {16, 64, 1}, {80, 2, 2}};
  static constexpr Field q3_k[] = {{0, 32, 1}, {32, 64, 1}, {96, 12, 1}, {108, 1, 2}};
  switch (type) {
    case GgmlType::kQ8_0:
      return q8_0;
    case GgmlType::kQ4_0:
      return q4_0;
    case GgmlType::kQ4_K:
      return q4_k;
    case GgmlType::kQ5_K:
      return q5_k;
    case GgmlType::kQ6_K:
      return q6_k;
    case GgmlType::kQ4_1:
      return q4_1;
    case GgmlType::kQ5_0:
      return q5_0;
    case GgmlType::kQ5_1:
      return q5_1;
    case GgmlType::kQ2_K:
      return q2_k;
    case GgmlType::kQ3_K:
      return q3_k;
    default:
      return {};
  }
}

// Column c's block (GGUF layout at `in`) into a re-blocked block of `width`
// columns at `out`: field at offset o starts at o * width, and its unit u
// of column c at o * width + (u * width + c) * unit.
void scatter_block(std::span<const Field> fields, const std::byte* in, std::byte* out, Index c,
                   Index width) {
  for (const Field& f : fields) {
    std::byte* base = out + f.offset * width + c * f.unit;
    const std::byte* from = in + f.offset;
    // Bytes one by one (a memcpy call per byte made a 1 GB load take tens of
    // seconds); halves as two bytes.
    if (f.unit == 1) {
      for (int u = 0; u < f.count; ++u) base[u * width] = from[u];
    } else {
      for (int u = 0; u < f.count; ++u) {
        base[2 * u * width] = from[2 * u];
        base[2 * u * width + 1] = from[2 * u + 1];
      }
    }
  }
}

}  // namespace

bool QuantPanels::all_of(GgmlType type) const {
  return std::all_of(segments_.begin(), segments_.end(),
                     [type](const Segment& s) { return s.type == type; });
}

const QuantPanels::Segment& QuantPanels::segment_of(Index panel) const {
  for (const Segment& s : segments_)
    if (panel < s.end_panel) return s;
  return segments_.back();
}

const std::byte* QuantPanels::panel_data(const Segment& s, Index p) const {
  return data_ + s.offset + static_cast<std::size_t>(p - s.first_panel) * s.panel_bytes;
}

std::optional<QuantPanels> QuantPanels::build(std::span<const QuantPart> parts, Index K,
                                              Index width, PanelArena& arena,
                                              bool integer_products) {
  if (parts.empty() || K <= 0) return std::nullopt;
  QuantPanels q;
  q.K_ = K;
  q.width_ = width;
  // Where each column comes from: part index and row within it.
  struct Source {
    const QuantPart* part;
    Index first_column;
  };
  std::vector<Source> sources;
  Index N = 0;
  for (const QuantPart& part : parts) {
    const auto info = ggml_type_info(static_cast<std::uint32_t>(part.type));
    if (!decodes(part.type) || !info || part.count <= 0 || K % info->block != 0)
      return std::nullopt;
    const bool new_type = q.segments_.empty() || q.segments_.back().type != part.type;
    if (new_type) {
      if (N % width != 0) return std::nullopt;  // a type changes inside a panel
      if (!q.segments_.empty()) q.segments_.back().end_panel = N / width;
      const std::size_t panel_bytes = static_cast<std::size_t>(K / info->block) *
                                      info->block_bytes * static_cast<std::size_t>(width);
      q.segments_.push_back({part.type, N / width, 0, 0, panel_bytes});
    }
    sources.push_back({&part, N});
    N += part.count;
  }
  q.segments_.back().end_panel = (N + width - 1) / width;
  q.integer_ =
      integer_products && std::all_of(q.segments_.begin(), q.segments_.end(),
                                      [](const Segment& s) { return multiplies_integers(s.type); });
  for (Segment& s : q.segments_) {
    s.offset = q.bytes_;
    q.bytes_ += static_cast<std::size_t>(s.end_panel - s.first_panel) * s.panel_bytes;
  }
  PanelArena::Block block = arena.allocate(q.bytes_);
  q.owner_ = std::move(block.owner);
  q.data_ = block.data;
  auto* data = block.data;

  const Index panels = q.segments_.back().end_panel;
  // Padding columns are zero blocks: scale 0, so every value decodes to 0.
  {
    const Segment& last = q.segments_.back();
    std::memset(data + last.offset + (panels - 1 - last.first_panel) * last.panel_bytes, 0,
                last.panel_bytes);
  }
  for_panel_ranges(panels, K * width, [&](Index first_panel, Index end_panel) {
    for (Index p = first_panel; p < end_panel; ++p) {
      const Segment& s = q.segment_of(p);
      const auto info = *ggml_type_info(static_cast<std::uint32_t>(s.type));
      const std::span<const Field> fields = fields_of(s.type);
      // Integer products of Q4_K / Q6_K: the quants in the order the AVX2
      // kernel multiplies them (quant_int8_layout.h), once here rather than
      // on every product.
      const bool kernel_layout = q.integer_ && quant_int8::kernel_layout(s.type, width);
      const Index blocks = K / info.block;
      const std::size_t row_bytes = static_cast<std::size_t>(blocks) * info.block_bytes;
      std::byte* panel =
          data + s.offset + static_cast<std::size_t>(p - s.first_panel) * s.panel_bytes;
      // The source holding column n: the last part starting at or before it.
      auto source =
          std::upper_bound(sources.begin(), sources.end(), p * width,
                           [](Index n, const Source& src) { return n < src.first_column; }) -
          1;
      for (Index c = 0; c < width && p * width + c < N; ++c) {
        const Index n = p * width + c;
        while (n >= source->first_column + source->part->count) ++source;
        const std::byte* row =
            source->part->rows + static_cast<std::size_t>(n - source->first_column) * row_bytes;
        for (Index b = 0; b < blocks; ++b) {
          std::byte* block = panel + static_cast<std::size_t>(b) * info.block_bytes * width;
          if (kernel_layout) {
            quant_int8::scatter_column(
                s.type, reinterpret_cast<const std::uint8_t*>(row + b * info.block_bytes),
                reinterpret_cast<std::uint8_t*>(block), c, width);
          } else {
            scatter_block(fields, row + b * info.block_bytes, block, c, width);
          }
        }
      }
    }
  });
  return q;
}

}  // namespace beamscope
