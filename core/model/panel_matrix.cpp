// Column-panel weights (see the header); the product kernel itself is
// panel_kernel.h.
#include "model/panel_matrix.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "model/half_float.h"
#include "model/panel_kernel.h"
#include "model/panel_ranges.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace beamscope {

using namespace panel_kernel;

namespace {

std::shared_ptr<void> allocate_block(std::size_t bytes) {
  return std::shared_ptr<void>(allocate_float_storage(bytes),
                               [bytes](void* p) { free_float_storage(p, bytes); });
}

}  // namespace

Index PanelMatrix::panel_width() { return kWidth; }

PanelMatrix::PanelMatrix(Index K, Index N, PanelArena* arena)
    : K_(K), N_(N), panels_((N + kWidth - 1) / kWidth) {
  if (K <= 0 || N <= 0) throw Error("A weight matrix needs at least one row and one column.");
  float* floats;
  if (arena) {
    PanelArena::Block block = arena->allocate(elements() * sizeof(float));
    storage_ = std::move(block.owner);
    floats = reinterpret_cast<float*>(block.data);
    in_arena_ = true;
  } else {
    storage_ = allocate_block(elements() * sizeof(float));
    floats = static_cast<float*>(storage_.get());
  }
  zero_padding(floats);
  floats_ = floats;
}

void PanelMatrix::zero_padding(float* floats) const {
  // Only the last panel has columns past N; packing writes all the others,
  // so zeroing the whole matrix first was a second pass over it.
  const Index last = panels_ - 1, cols = N_ - last * kWidth;
  if (cols == kWidth) return;
  float* panel = floats + last * K_ * kWidth;
  for (Index k = 0; k < K_; ++k)
    std::fill(panel + k * kWidth + cols, panel + (k + 1) * kWidth, 0.0f);
}

std::size_t PanelMatrix::offset(Index k, Index n) const {
  return static_cast<std::size_t>(((n / kWidth) * K_ + k) * kWidth + n % kWidth);
}

std::size_t PanelMatrix::bytes() const {
  if (quant_) return quant_->bytes();
  return elements() * (halves_ ? sizeof(std::uint16_t) : sizeof(float));
}

namespace {
float widen(std::uint16_t bits, bool bf16) { return bf16 ? bf16_to_f32(bits) : f16_to_f32(bits); }
}  // namespace

float PanelMatrix::at(Index k, Index n) const {
  if (quant_) {
    FloatBuffer column(static_cast<std::size_t>(K_));
    quantized_column(n, column.data());
    return column[static_cast<std::size_t>(k)];
  }
  return halves_ ? widen(halves_[offset(k, n)], bf16_) : floats_[offset(k, n)];
}

bool PanelMatrix::narrow_to(Storage storage) {
  // Trained or random float32 weights fail on one of the first values, so
  // only a matrix that really is all halves pays for the whole pass.
  const std::size_t n = elements();
  auto block = allocate_block(n * sizeof(std::uint16_t));
  auto* halves = static_cast<std::uint16_t*>(block.get());
  for (std::size_t i = 0; i < n; ++i) {
    const auto h =
        storage == Storage::kBF16 ? f32_to_bf16_exact(floats_[i]) : f32_to_f16_exact(floats_[i]);
    if (!h) return false;
    halves[i] = *h;
  }
  storage_ = std::move(block);
  floats_ = nullptr;
  halves_ = halves;
  bf16_ = storage == Storage::kBF16;
  return true;
}

void PanelMatrix::keep_as_halves_if_exact() {
  // F16 first: a BF16 file's values that also fit F16 (most trained weights
  // do not, their small values are below F16's range) give the same products
  // either way, since both widen exactly.
  if (!narrow_to(Storage::kF16)) narrow_to(Storage::kBF16);
}

void PanelMatrix::pack_rows(const float* w) {
  pack_panels(const_cast<float*>(floats_), w, K_, N_, kWidth, false, [](float v) { return v; });
}

void PanelMatrix::pack_transposed(const float* w_t) {
  pack_panels(const_cast<float*>(floats_), w_t, K_, N_, kWidth, true, [](float v) { return v; });
}

PanelMatrix PanelMatrix::from_rows(const float* w, Index K, Index N, Halves h) {
  PanelMatrix m(K, N);
  m.pack_rows(w);
  if (h == Halves::kIfExact) m.keep_as_halves_if_exact();
  return m;
}

PanelMatrix PanelMatrix::from_transposed(const float* w_t, Index K, Index N, Halves h) {
  PanelMatrix m(K, N);
  m.pack_transposed(w_t);
  if (h == Halves::kIfExact) m.keep_as_halves_if_exact();
  return m;
}

PanelMatrix PanelMatrix::from_rows(const float* w, Index K, Index N, PanelArena& arena) {
  PanelMatrix m(K, N, &arena);
  m.pack_rows(w);
  m.narrow_in_place_if_exact(arena);
  return m;
}

PanelMatrix PanelMatrix::from_transposed(const float* w_t, Index K, Index N, PanelArena& arena) {
  PanelMatrix m(K, N, &arena);
  m.pack_transposed(w_t);
  m.narrow_in_place_if_exact(arena);
  return m;
}

void PanelMatrix::share_one_block(std::span<PanelMatrix* const> matrices) {
  // Every start a multiple of 64 bytes: the kernel's aligned packet loads.
  auto rounded = [](std::size_t bytes) { return (bytes + 63) / 64 * 64; };
  std::size_t total = 0;
  for (const PanelMatrix* m : matrices) {
    if (!m->in_arena_) total += rounded(m->bytes());
  }
  if (total == 0) return;
  auto block = allocate_block(total);
  auto* at = static_cast<std::byte*>(block.get());
  for (PanelMatrix* m : matrices) {
    if (!m->storage_ || m->in_arena_) continue;  // empty, or packed in place already
    const std::size_t bytes = m->bytes();
    std::memcpy(at, m->halves_ ? static_cast<const void*>(m->halves_) : m->floats_, bytes);
    if (m->halves_) {
      m->halves_ = reinterpret_cast<const std::uint16_t*>(at);
    } else {
      m->floats_ = reinterpret_cast<const float*>(at);
    }
    m->storage_ = block;  // frees its own block
    at += rounded(bytes);
  }
}

void PanelMatrix::copy_column(Index n, float* out) const {
  if (quant_) return quantized_column(n, out);
  const std::size_t first = offset(0, n);
  for (Index k = 0; k < K_; ++k) {
    const std::size_t i = first + static_cast<std::size_t>(k * kWidth);
    out[k] = halves_ ? widen(halves_[i], bf16_) : floats_[i];
  }
}

void PanelMatrix::multiply(const float* x, Index T, float* y, bool accumulate) const {
  // GGUF quantized weights with 8-bit activations (llama.cpp's numerics).
  if (quant_ && quant_->integer_products())
    return quant_->multiply_integer(x, T, y, N_, accumulate);
  // Threads split the column panels: each output column is one thread's,
  // summed in the same order as alone, so any thread count gives the same
  // bits. A chunk of work below kMinFmasPerThread costs less than handing it
  // to a thread; a decode step's matrices are far above it.
  constexpr Index kMinFmasPerThread = Index{1} << 15;
  ThreadPool& pool = ThreadPool::shared();
  const Index fmas = T * K_ * N_;
  // A few chunks per thread: whoever is free takes the next, so a thread
  // that starts late (a busy machine) delays the product by one small chunk.
  const Index most =
      pool.threads() == 1 ? 1 : std::min<Index>(4 * pool.threads(), (panels_ + 1) / 2);
  const int chunks = static_cast<int>(std::max<Index>(1, std::min(most, fmas / kMinFmasPerThread)));
  if (chunks == 1) return multiply_panels(x, T, y, accumulate, 0, panels_);
  // Even panel boundaries keep the two-panels-at-a-time kernel's pairs.
  const Index pairs = (panels_ + 1) / 2;
  pool.run(chunks, [&](int i) {
    const Index first = std::min(panels_, 2 * (pairs * i / chunks));
    const Index end = std::min(panels_, 2 * (pairs * (i + 1) / chunks));
    multiply_panels(x, T, y, accumulate, first, end);
  });
}

void PanelMatrix::multiply_panels(const float* x, Index T, float* y, bool accumulate,
                                  Index first_panel, Index end_panel) const {
  const std::size_t panel_size = static_cast<std::size_t>(K_ * kWidth);
  // Panels outer, row groups inner: each panel comes from memory once and
  // from L2 for every further group of rows.
  auto run_groups = [&](const auto* panel, Index first) {
    const Index cols = std::min(kWidth, N_ - first);
    using Weight = std::remove_cvref_t<decltype(*panel)>;
    constexpr Index kMost = std::is_same_v<Weight, float> ? kMaxGroupRows : kMaxHalvesGroupRows;
    const Index groups = (T + kMost - 1) / kMost;
    for (Index g = 0; g < groups; ++g) {  // rows split evenly
      const Index t = T * g / groups, rows = T * (g + 1) / groups - t;
      with_rows(rows, [&]<int R>() {
        panel_product<R, 1>(x + t * K_, K_, panel, panel_size, y + t * N_ + first, N_, cols,
                            accumulate);
      });
    }
  };
  // Every panel from `from` to end_panel, one at a time, straight from `data`.
  auto run_panels = [&](const auto* data, Index from) {
    for (Index p = from; p < end_panel; ++p) run_groups(data + p * panel_size, p * kWidth);
  };
  // 16-bit weights (uint16_t = F16, Bf16), widened in the kernel.
  auto run_halves = [&](const auto* halves) {
    if (T >= kMinPairRows && T <= kMaxPairRows) {  // two panels at a time
      Index p = first_panel;
      for (; p + 2 <= end_panel; p += 2) {
        const Index first = p * kWidth, cols = std::min(2 * kWidth, N_ - first);
        with_rows(T, [&]<int R>() {
          if constexpr (R <= kMaxPairRows) {
            panel_product<R, 2>(x, K_, halves + p * panel_size, panel_size, y + first, N_, cols,
                                accumulate);
          }
        });
      }
      return run_panels(halves, p);  // an odd last panel alone
    }
    if (T <= kMaxStreamedHalvesRows) return run_panels(halves, first_panel);
    // More rows (a prefill, or many beams) would widen the same panel again
    // for each group; widen it once into a scratch panel that stays in L2
    // instead. Per thread, so threads and models do not share it; grown
    // once, then kept.
    thread_local FloatBuffer widened;
    if (widened.size() < panel_size) widened.resize(panel_size);
    for (Index p = first_panel; p < end_panel; ++p) {
      const auto* h = halves + p * panel_size;
      for (std::size_t i = 0; i < panel_size; i += kLanes) {
        ei::pstore(widened.data() + i, load_weights(h + i));
      }
      run_groups(static_cast<const float*>(widened.data()), p * kWidth);
    }
  };
  if (quant_) {
    // A few rows: each panel decoded in registers, streamed once. More:
    // decoded once into a scratch panel for all of them (as halves are).
    if (T <= kMaxGroupRows) {
      for (Index p = first_panel; p < end_panel; ++p) {
        const Index first = p * kWidth;
        quant_->multiply_panel(p, x, T, y + first, N_, std::min(kWidth, N_ - first), accumulate);
      }
      return;
    }
    thread_local FloatBuffer decoded;
    if (decoded.size() < panel_size) decoded.resize(panel_size);
    for (Index p = first_panel; p < end_panel; ++p) {
      quant_->decode_panel(p, decoded.data());
      run_groups(static_cast<const float*>(decoded.data()), p * kWidth);
    }
    return;
  }
  if (!halves_) return run_panels(floats_, first_panel);
  if (bf16_) return run_halves(reinterpret_cast<const Bf16*>(halves_));
  run_halves(halves_);
}

}  // namespace beamscope
