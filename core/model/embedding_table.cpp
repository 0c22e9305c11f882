#include "model/embedding_table.h"

#include <algorithm>
#include <optional>

#include "model/half_float.h"

namespace beamscope {

namespace {

// Narrows all n values with `narrow`, or returns false at the first that
// does not narrow exactly (random or trained float32 fails at once).
template <typename Narrow>
bool narrow_all(const float* values, std::size_t n, std::vector<std::uint16_t>& out,
                Narrow narrow) {
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::optional<std::uint16_t> h = narrow(values[i]);
    if (!h) {
      out.clear();
      out.shrink_to_fit();
      return false;
    }
    out[i] = *h;
  }
  return true;
}

}  // namespace

EmbeddingTable::EmbeddingTable(const float* values, std::int64_t rows, std::int64_t cols,
                               Narrow narrow)
    : rows_(rows), cols_(cols) {
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  if (narrow == Narrow::kNever) {
    floats_.assign(values, values + n);
  } else if (narrow_all(values, n, halves_, f32_to_f16_exact)) {
    form_ = Form::kF16;
  } else if (narrow_all(values, n, halves_, f32_to_bf16_exact)) {
    form_ = Form::kBF16;
  } else {
    floats_.assign(values, values + n);
  }
}

EmbeddingTable::EmbeddingTable(GgmlType type, const std::byte* blocks, std::int64_t rows,
                               std::int64_t cols)
    : rows_(rows), cols_(cols), form_(Form::kBlocks), type_(type) {
  const GgmlTypeInfo info = *ggml_type_info(static_cast<std::uint32_t>(type));
  row_bytes_ = static_cast<std::size_t>(cols) / info.block * info.block_bytes;
  blocks_.assign(blocks, blocks + row_bytes_ * static_cast<std::size_t>(rows));
}

std::size_t EmbeddingTable::bytes() const {
  return floats_.size() * sizeof(float) + halves_.size() * sizeof(std::uint16_t) + blocks_.size();
}

void EmbeddingTable::copy_row(std::int64_t r, float* out) const {
  const std::size_t first = static_cast<std::size_t>(r) * static_cast<std::size_t>(cols_);
  switch (form_) {
    case Form::kF32:
      std::copy_n(floats_.data() + first, cols_, out);
      return;
    case Form::kF16:
      for (std::int64_t c = 0; c < cols_; ++c) out[c] = f16_to_f32(halves_[first + c]);
      return;
    case Form::kBF16:
      for (std::int64_t c = 0; c < cols_; ++c) out[c] = bf16_to_f32(halves_[first + c]);
      return;
    case Form::kBlocks:
      dequantize(type_, blocks_.data() + static_cast<std::size_t>(r) * row_bytes_,
                 static_cast<std::size_t>(cols_), out);
      return;
  }
}

}  // namespace beamscope
