#pragma once

#include <cstdint>
#include <vector>

#include "model/aligned_buffer.h"
#include "model/gguf/gguf_tensor_type.h"

namespace beamscope {

// An untied token-embedding table [rows, cols], held in the width its values
// need: as F16 or BF16 bits when every value is exactly one (an F16 or BF16
// file), else as floats, so a BF16 model keeps no float copy of it. Reading a
// row widens exactly, so the held form never changes a result.
class EmbeddingTable {
 public:
  enum class Narrow { kIfExact, kNever };
  EmbeddingTable() = default;
  // From a row-major [rows, cols] float table (narrowed where exact, unless
  // kNever).
  EmbeddingTable(const float* values, std::int64_t rows, std::int64_t cols,
                 Narrow narrow = Narrow::kIfExact);
  // From `rows` GGUF rows of `cols` values in a quantized `type` (whole
  // blocks per row), kept as the file's blocks: a row is dequantized when
  // read, to the floats dequantize() gives at load.
  EmbeddingTable(GgmlType type, const std::byte* blocks, std::int64_t rows, std::int64_t cols);

  bool empty() const { return rows_ == 0; }
  std::int64_t rows() const { return rows_; }
  std::int64_t cols() const { return cols_; }
  std::size_t bytes() const;
  // out[0, cols) = row r.
  void copy_row(std::int64_t r, float* out) const;

 private:
  enum class Form { kF32, kF16, kBF16, kBlocks };
  std::int64_t rows_ = 0, cols_ = 0;
  Form form_ = Form::kF32;
  FloatBuffer floats_;
  std::vector<std::uint16_t> halves_;
  GgmlType type_ = GgmlType::kF32;  // kBlocks: the blocks' type
  std::vector<std::byte> blocks_;
  std::size_t row_bytes_ = 0;
};

}  // namespace beamscope
