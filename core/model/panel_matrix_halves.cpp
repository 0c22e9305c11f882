// PanelMatrix packed straight from 16-bit weights (F16 / BF16 files): the
// float path widened every value, packed the floats, checked every value
// for exactness and narrowed them again, four passes over a model's weights
// where this takes one (plus, for BF16, one read to see whether the values
// fit F16).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

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

PanelMatrix PanelMatrix::from_16_bits(std::span<const HalvesPart> parts, Storage source, Index K,
                                      Index N, bool transposed, PanelArena& arena) {
  // Transposed parts hold count rows of K values; W [K, N] is one part of
  // K rows of N.
  const std::size_t row_values = static_cast<std::size_t>(transposed ? K : N);
  const bool to_f16 =
      source == Storage::kF16 || std::all_of(parts.begin(), parts.end(), [&](const HalvesPart& p) {
        return all_fit_f16(p.rows, static_cast<std::size_t>(p.count) * row_values);
      });
  PanelMatrix m(K, N, arena, to_f16 ? Storage::kF16 : Storage::kBF16);
  auto* bits = const_cast<std::uint16_t*>(m.halves_);
  if (!transposed) {  // W [K, N]: one part
    if (to_f16 && source == Storage::kBF16) {
      pack_panels(bits, parts[0].rows, K, N, panel_width(), false, bf16_as_f16);
    } else {
      pack_panels(bits, parts[0].rows, K, N, panel_width(), false, KeepBits{});
    }
    return m;
  }
  // Row n of the stacked W^T: found in its part (parts are few, rows many:
  // the part of the previous row is tried first).
  std::vector<Index> starts;
  for (Index s = 0; const HalvesPart& p : parts) starts.push_back(s += p.count);
  auto row_of = [&](Index n) {
    const std::size_t i = static_cast<std::size_t>(
        std::upper_bound(starts.begin(), starts.end(), n) - starts.begin());
    const Index first = i == 0 ? 0 : starts[i - 1];
    return parts[i].rows + (n - first) * K;
  };
  if (to_f16 && source == Storage::kBF16) {
    pack_transposed_rows(bits, row_of, K, N, panel_width(), bf16_as_f16);
  } else {
    pack_transposed_rows(bits, row_of, K, N, panel_width(), KeepBits{});
  }
  return m;
}

PanelMatrix PanelMatrix::from_rows(const std::uint16_t* w, Storage source, Index K, Index N,
                                   PanelArena& arena) {
  const HalvesPart part{w, K};  // K rows of N: only the pointer is read
  return from_16_bits({&part, 1}, source, K, N, false, arena);
}

PanelMatrix PanelMatrix::from_transposed(const std::uint16_t* w_t, Storage source, Index K, Index N,
                                         PanelArena& arena) {
  const HalvesPart part{w_t, N};
  return from_16_bits({&part, 1}, source, K, N, true, arena);
}

PanelMatrix PanelMatrix::from_transposed(std::span<const HalvesPart> parts, Storage source, Index K,
                                         PanelArena& arena) {
  Index N = 0;
  for (const HalvesPart& p : parts) N += p.count;
  if (parts.empty()) throw Error("PanelMatrix: no parts to stack.");
  return from_16_bits(parts, source, K, N, true, arena);
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
