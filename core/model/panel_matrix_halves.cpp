// PanelMatrix packed straight from 16-bit weights (F16 / BF16 files): the
// float path widened every value, packed the floats, checked every value
// for exactness and narrowed them again, four passes over a model's weights
// where this takes one (plus, for BF16, one read to see whether the values
// fit F16).
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "model/half_float.h"
#include "model/panel_arena.h"
#include "model/panel_matrix.h"
#include "model/panel_ranges.h"
#include "util/error.h"

namespace beamscope {

namespace {

using Index = Eigen::Index;

// Every BF16 value is exactly an F16 too (the float path keeps such a
// matrix as F16; the products are the same either way, as both widen
// exactly). Trained BF16 weights fail on one of the first values.
bool all_fit_f16(const std::uint16_t* bf16, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!f32_to_f16_exact(bf16_to_f32(bf16[i]))) return false;
  }
  return true;
}

std::uint16_t bf16_as_f16(std::uint16_t bits) { return *f32_to_f16_exact(bf16_to_f32(bits)); }

}  // namespace

PanelMatrix::PanelMatrix(Index K, Index N, PanelArena& arena, Storage halves)
    : K_(K), N_(N), panels_((N + panel_width() - 1) / panel_width()) {
  if (K <= 0 || N <= 0) throw Error("A weight matrix needs at least one row and one column.");
  if (halves == Storage::kF32) throw Error("PanelMatrix: 16-bit storage must be F16 or BF16.");
  PanelArena::Block block = arena.allocate(elements() * sizeof(std::uint16_t));
  storage_ = std::move(block.owner);
  auto* bits = reinterpret_cast<std::uint16_t*>(block.data);
  const Index width = panel_width(), last = panels_ - 1, cols = N_ - last * width;
  if (cols < width) {  // zero bits are +0 in both formats
    std::uint16_t* panel = bits + last * K_ * width;
    for (Index k = 0; k < K_; ++k) std::fill(panel + k * width + cols, panel + (k + 1) * width, 0);
  }
  halves_ = bits;
  bf16_ = halves == Storage::kBF16;
  in_arena_ = true;
}

PanelMatrix PanelMatrix::from_16_bits(const std::uint16_t* w, Storage source, Index K, Index N,
                                      bool transposed, PanelArena& arena) {
  const bool to_f16 = source == Storage::kF16 ||
                      all_fit_f16(w, static_cast<std::size_t>(K) * static_cast<std::size_t>(N));
  PanelMatrix m(K, N, arena, to_f16 ? Storage::kF16 : Storage::kBF16);
  auto* bits = const_cast<std::uint16_t*>(m.halves_);
  if (to_f16 && source == Storage::kBF16) {
    pack_panels(bits, w, K, N, panel_width(), transposed, bf16_as_f16);
  } else {
    pack_panels(bits, w, K, N, panel_width(), transposed, [](std::uint16_t b) { return b; });
  }
  return m;
}

PanelMatrix PanelMatrix::from_rows(const std::uint16_t* w, Storage source, Index K, Index N,
                                   PanelArena& arena) {
  return from_16_bits(w, source, K, N, false, arena);
}

PanelMatrix PanelMatrix::from_transposed(const std::uint16_t* w_t, Storage source, Index K, Index N,
                                         PanelArena& arena) {
  return from_16_bits(w_t, source, K, N, true, arena);
}

// Float panels packed into an arena, kept as halves where every value fits.
void PanelMatrix::narrow_in_place_if_exact(PanelArena& arena) {
  const std::size_t n = elements();
  auto all_exact = [&](Storage storage) {
    // Trained or random float32 weights fail on one of the first values.
    for (std::size_t i = 0; i < n; ++i) {
      const bool ok = storage == Storage::kBF16 ? f32_to_bf16_exact(floats_[i]).has_value()
                                                : f32_to_f16_exact(floats_[i]).has_value();
      if (!ok) return false;
    }
    return true;
  };
  // F16 first, as keep_as_halves_if_exact.
  const Storage to = all_exact(Storage::kF16)    ? Storage::kF16
                     : all_exact(Storage::kBF16) ? Storage::kBF16
                                                 : Storage::kF32;
  if (to == Storage::kF32) return;
  // Halves i lands on bytes [2i, 2i + 2), below float i's [4i, 4i + 4): in
  // blocks, each block's floats are read into a buffer before its halves
  // (which only reach floats already read) are copied down over them.
  auto* bytes = reinterpret_cast<std::byte*>(const_cast<float*>(floats_));
  constexpr std::size_t kBlock = 4096;
  std::uint16_t buffer[kBlock];
  for (std::size_t first = 0; first < n; first += kBlock) {
    const std::size_t count = std::min(kBlock, n - first);
    for (std::size_t i = 0; i < count; ++i) {
      const float v = floats_[first + i];
      buffer[i] = to == Storage::kBF16 ? *f32_to_bf16_exact(v) : *f32_to_f16_exact(v);
    }
    std::memcpy(bytes + first * sizeof(std::uint16_t), buffer, count * sizeof(std::uint16_t));
  }
  halves_ = reinterpret_cast<const std::uint16_t*>(bytes);
  floats_ = nullptr;
  bf16_ = to == Storage::kBF16;
  arena.shrink_last(n * sizeof(std::uint16_t));
}

}  // namespace beamscope
