#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "model/gguf/gguf_tensor_type.h"
#include "model/panel_arena.h"

namespace beamscope {

// `count` GGUF rows of K values each, in `type`'s blocks, as a file holds
// them: `count` consecutive output columns of a matrix W [K, N] (GGUF stores
// a linear layer [out rows of in values], the transpose of y = x W).
struct QuantPart {
  GgmlType type;
  const std::byte* rows;
  Eigen::Index count;
};

// GGUF's quantized blocks kept quantized, re-blocked into PanelMatrix's
// column panels: for each panel of `width` output columns and each block of
// K (32 or 256 values), the `width` columns' blocks are stored field by
// field, each field transposed so that its unit (a half-float scale, a byte
// of packed quants) for all columns of the panel lies side by side. The
// kernel then decodes one row k of the panel (all its columns) into float
// packets from a few contiguous bytes, in registers, and multiplies as the
// float kernel does. The same bytes as the file, so the same bits per
// weight; padding columns past N are zero blocks (scale 0).
//
// Every value decodes to exactly the float dequantize() gives, and every
// output element is summed k = 0..K-1 in one accumulator as PanelMatrix
// sums floats: a product is bit-identical to the dequantized float panels'.
//
// Parts of different types stack as segments of panels; a type may only
// change at a panel boundary (build() returns nullopt otherwise).
class QuantPanels {
 public:
  using Index = Eigen::Index;

  // The types the kernel decodes (others are dequantized at load).
  static bool decodes(GgmlType type);
  // The types with an integer kernel (quant_int8_kernels.cpp).
  static bool multiplies_integers(GgmlType type);
  // `integer_products`: products quantize the activations to 8-bit blocks
  // and multiply integers (multiply_integer) when every part's type has an
  // integer kernel; else, or when false, the float kernels below.
  static std::optional<QuantPanels> build(std::span<const QuantPart> parts, Index K, Index width,
                                          PanelArena& arena, bool integer_products = false);

  std::size_t bytes() const { return bytes_; }
  // Whether every panel is `type` (for tests and the model's summary).
  bool all_of(GgmlType type) const;

  // out[t, c] (+)= x[t, :] W[:, p * width + c] for c < cols, T <= 8 rows of
  // x (K apart), out rows `ldy` apart: the panel decoded row by row in
  // registers.
  void multiply_panel(Index p, const float* x, Index T, float* out, Index ldy, Index cols,
                      bool accumulate) const;
  // Panel p as floats, [K][width] at `out` (64-byte aligned): for many rows,
  // decoded once and multiplied by the float kernel.
  void decode_panel(Index p, float* out) const;

  // Whether PanelMatrix's products go through multiply_integer.
  bool integer_products() const { return integer_; }
  // y[t, n] (+)= x[t, :] W[:, n] for n < N, any T, llama.cpp's way: each row
  // of x quantized once to 8-bit blocks (QuantizedActivations), then per
  // weight block an integer dot product and one float multiply-add per
  // block (see core/model/README.md, "Integer products"). Split by panels
  // over ThreadPool::shared(); each row's result is the same bits for any
  // row count and thread count. Every panel's type must multiply_integers().
  void multiply_integer(const float* x, Index T, float* y, Index N, bool accumulate) const;

 private:
  struct Segment {
    GgmlType type;
    Index first_panel, end_panel;
    std::size_t offset;       // of its first panel, in data_
    std::size_t panel_bytes;  // K / block * block_bytes * width
  };
  const Segment& segment_of(Index panel) const;
  const std::byte* panel_data(const Segment& s, Index p) const;

  Index K_ = 0;
  Index width_ = 0;
  bool integer_ = false;
  std::vector<Segment> segments_;
  std::size_t bytes_ = 0;
  std::shared_ptr<void> owner_;
  const std::byte* data_ = nullptr;
};

}  // namespace beamscope
