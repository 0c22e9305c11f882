#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "model/aligned_buffer.h"

namespace beamscope {

// The storage of every KV cache of one model: pages of kPagePositions
// positions, each page holding those positions' keys and values for all
// layers, laid out [layer][K | V][position in page][row] so that one layer's
// consecutive positions are one contiguous stream for attention.
//
// Positions ("slots") are handed out one at a time, not a page per
// sequence: a beam that branches, or one of 200 samples from one prompt,
// takes its next slot wherever the pool has one, so a branch copies nothing
// and leaves no page mostly empty. Each slot is reference-counted (a cache
// clone shares its slots and only bumps counts); a slot whose count drops to
// zero is reused by the next request. Memory is taken in growing blocks of
// pages and kept until the pool dies (the owner's byte budget bounds the
// slots in use, so the blocks stay near that).
//
// Rows are padded to 16 floats (64 bytes): every key/value row starts on a
// cache line, as a contiguous cache's rows did for widths that are
// multiples of 16, so attention's dot products sum in the same order and
// logits stay bit-identical.
//
// Thread-safe (one mutex): caches of one model may be cloned or dropped on
// another thread than the one that runs the model.
class KvPagePool {
 public:
  static constexpr int kPagePositions = 16;

  KvPagePool(int n_layer, int width);
  KvPagePool(const KvPagePool&) = delete;
  KvPagePool& operator=(const KvPagePool&) = delete;

  int n_layer() const { return n_layer_; }
  int width() const { return width_; }
  // Floats from one row to the next inside a page (width rounded up to 16).
  int row_stride() const { return stride_; }
  // Floats from a slot's layer-0 key row to layer l's key row is
  // l * layer_stride(); its value row is key_to_value() further.
  std::ptrdiff_t layer_stride() const { return 2 * kPagePositions * std::ptrdiff_t{stride_}; }
  std::ptrdiff_t key_to_value() const { return kPagePositions * std::ptrdiff_t{stride_}; }
  // Bytes of one position's keys and values over all layers (padding included).
  std::size_t slot_bytes() const;

  // Appends `n` fresh slots (count 1 each) to `slots` and their layer-0 key
  // rows to `rows`.
  void acquire(int n, std::vector<std::uint32_t>& slots, std::vector<float*>& rows);
  void retain(std::span<const std::uint32_t> slots);
  void release(std::span<const std::uint32_t> slots);

  // Slots in use and their bytes (what budgets count), and bytes allocated.
  std::size_t slots_in_use() const;
  std::size_t bytes_in_use() const { return slots_in_use() * slot_bytes(); }
  std::size_t bytes_allocated() const;

 private:
  void grow();  // under mutex_
  float* row_of(std::uint32_t slot) const;

  const int n_layer_, width_, stride_;
  mutable std::mutex mutex_;
  std::vector<UninitializedFloatBuffer> blocks_;
  std::vector<float*> pages_;        // page index -> its first float
  std::vector<std::uint32_t> refs_;  // per slot
  std::vector<std::uint32_t> free_;  // released slots, reused first
  std::uint32_t fresh_ = 0;          // slots [fresh_, refs_.size()) never used yet
  std::size_t in_use_ = 0;
};

}  // namespace beamscope
