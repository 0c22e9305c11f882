#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "model/aligned_buffer.h"
#include "model/panel_arena.h"
#include "model/quant_panels.h"

namespace beamscope {

// A weight matrix W [K, N] stored for products x W, in column panels: the
// columns are cut into panels of panel_width() (two SIMD packets), and each
// panel is stored whole, row after row ([panel][k][column in panel]; the
// last panel is padded with zero columns).
//
// Why this layout: a decode step reads every weight once, so its speed is how
// fast one core streams the weights. With W row-major, a product must read
// many rows side by side (at best 16 concurrent streams, ~27 GB/s here); in
// panels the whole matrix is one sequential stream (~34 GB/s, as fast as a
// plain sum of the same bytes), and each panel's outputs stay in registers
// for all K instead of being re-read from cache per block of rows. The same
// kernel serves prefill (many rows): a panel (K x panel_width() floats, <=
// 384 KiB for GPT-2 small's largest) stays in L2 while every group of 8 rows runs
// over it, which is a register-blocked GEMM (bench/RESULTS.md has the
// numbers).
//
// Every output element is summed in the same order, k = 0..K-1 in one
// accumulator, whatever the number of rows or their grouping: a row's result
// is bit-identical whether it was computed alone, in a batch of beams or in
// a prefill.
//
// A matrix whose every value is exactly a half-precision float (one loaded
// from an F16 file) or exactly a bfloat16 (a BF16 file) is held in that
// 16-bit form and widened in the kernel: half the bytes per decode step and
// in memory, and bit-identical results, since widening gives back exactly
// the values that were narrowed.
class PanelMatrix {
 public:
  using Index = Eigen::Index;

  // Whether an all-halves (F16 or BF16) matrix is narrowed (kNever:
  // benchmarks and tests comparing the storages).
  enum class Halves { kIfExact, kNever };
  enum class Storage { kF32, kF16, kBF16, kQuantized };

  PanelMatrix() = default;
  // From W [K, N] row-major (Hugging Face's Conv1D weights).
  static PanelMatrix from_rows(const float* w, Index K, Index N, Halves h = Halves::kIfExact);
  // From W^T [N, K] row-major: the rows of the transpose, which is how
  // torch.nn.Linear stores its weight ([out, in]) and how an output head
  // is stored ([V, C]).
  static PanelMatrix from_transposed(const float* w_t, Index K, Index N,
                                     Halves h = Halves::kIfExact);
  // The same, packed into `arena` (a loader's: the matrix is written once,
  // in place, and narrowed there; see PanelArena).
  static PanelMatrix from_rows(const float* w, Index K, Index N, PanelArena& arena);
  static PanelMatrix from_transposed(const float* w_t, Index K, Index N, PanelArena& arena);
  // From 16-bit weights as a file holds them (`source`: kF16 or kBF16 bits),
  // packed into `arena` without widening: F16 stays F16, BF16 becomes F16
  // when every value fits it exactly (the float path's choice) and else
  // stays BF16. The same matrix as widening first, in a fraction of the
  // passes (panel_matrix_halves.cpp).
  static PanelMatrix from_rows(const std::uint16_t* w, Storage source, Index K, Index N,
                               PanelArena& arena);
  static PanelMatrix from_transposed(const std::uint16_t* w_t, Storage source, Index K, Index N,
                                     PanelArena& arena);
  // W^T stacked from parts (e.g. q, k and v projections, each [rows, K] as
  // the file holds it), read where they are: no stacked copy first.
  struct HalvesPart {
    const std::uint16_t* rows = nullptr;  // [count, K] row-major
    Index count = 0;
  };
  static PanelMatrix from_transposed(std::span<const HalvesPart> parts, Storage source, Index K,
                                     PanelArena& arena);

  // From GGUF quantized rows (QuantPart: the output columns in order), kept
  // quantized in `arena` and decoded in the kernel (see QuantPanels): the
  // same products, bit for bit, as the dequantized floats packed with
  // from_transposed. nullopt when a type is not one QuantPanels decodes, or
  // two types meet inside a panel; the caller then dequantizes.
  // `integer_products`: see QuantPanels::build (8-bit activations and
  // integer products, llama.cpp's numerics, instead of that float product).
  static std::optional<PanelMatrix> from_quantized(std::span<const QuantPart> parts, Index K,
                                                   PanelArena& arena,
                                                   bool integer_products = false);

  Index rows() const { return K_; }
  Index cols() const { return N_; }
  // Bytes of storage, padding included.
  std::size_t bytes() const;
  // Held as 16-bit floats (F16 or BF16).
  bool holds_halves() const { return halves_ != nullptr; }
  Storage storage() const {
    if (quant_) return Storage::kQuantized;
    return halves_ ? (bf16_ ? Storage::kBF16 : Storage::kF16) : Storage::kF32;
  }
  // The quantized panels, when storage() is kQuantized.
  const QuantPanels* quantized() const { return quant_.get(); }

  float at(Index k, Index n) const;
  // out[k] = W[k, n] for all k: column n (a tied head's token embedding).
  void copy_column(Index n, float* out) const;

  // y = x W, or y += x W when `accumulate`.  x [T, K], y [T, N], both
  // row-major and dense; any T >= 1. Large products are split by column
  // panels over ThreadPool::shared() (bit-identical for any thread count).
  void multiply(const float* x, Index T, float* y, bool accumulate) const;

  static Index panel_width();

  // Moves the storage of `matrices` into one block, in the given order,
  // each matrix's own storage freed as it is copied (so the peak stays near
  // one copy). A model passes its matrices in the order a decode step reads
  // them: the step is then one stream over one allocation, all of it on
  // huge pages; apart, every matrix's tail short of 2 MiB sat on 4 KiB pages
  // (for GPT-2 small in F16 about a fifth of the bytes, streamed ~5 % slower).
  // Matrices packed in a PanelArena already are: they stay where they are.
  static void share_one_block(std::span<PanelMatrix* const> matrices);

 private:
  PanelMatrix(Index K, Index N, PanelArena* arena = nullptr);
  // 16-bit storage (`halves`: kF16 or kBF16) in `arena`, padding zeroed.
  PanelMatrix(Index K, Index N, PanelArena& arena, Storage halves);
  static PanelMatrix from_16_bits(std::span<const HalvesPart> parts, Storage source, Index K,
                                  Index N, bool transposed, PanelArena& arena);
  void zero_padding(float* floats) const;
  // Column n of a quantized matrix, decoded (panel_matrix_quantized.cpp).
  void quantized_column(Index n, float* out) const;
  void pack_rows(const float* w);
  void pack_transposed(const float* w_t);
  std::size_t elements() const { return static_cast<std::size_t>(panels_ * K_ * panel_width()); }
  std::size_t offset(Index k, Index n) const;
  // Replaces the floats by halves, else by bfloat16s, if every value
  // narrows exactly to that form.
  void keep_as_halves_if_exact();
  bool narrow_to(Storage storage);
  // The arena's way: every value checked first, then narrowed in place.
  void narrow_in_place_if_exact(PanelArena& arena);
  // multiply() for the output columns of panels [first_panel, end_panel).
  void multiply_panels(const float* x, Index T, float* y, bool accumulate, Index first_panel,
                       Index end_panel) const;

  Index K_ = 0;
  Index N_ = 0;
  Index panels_ = 0;
  // Owns what floats_ or halves_ point into: this matrix's own block, or
  // one shared by all of a model's matrices. The values never change once
  // built, so copies share it.
  std::shared_ptr<void> storage_;
  // [panels_][K_][panel_width()], one of the two (the other is null).
  const float* floats_ = nullptr;
  // F16 or BF16 bits, as bf16_ says.
  const std::uint16_t* halves_ = nullptr;
  bool bf16_ = false;
  bool in_arena_ = false;
  // Set instead of floats_ / halves_ for GGUF quantized weights.
  std::shared_ptr<const QuantPanels> quant_;
};

}  // namespace beamscope
