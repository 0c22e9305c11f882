#include "model/kv_page_pool.h"

#include <algorithm>
#include <limits>

#include "util/error.h"

namespace beamscope {

namespace {

constexpr int kRowAlign = 16;  // floats: 64 bytes
// The first block holds 4 pages (64 positions, as a contiguous cache's first
// chunk did); each next block doubles, up to 256 pages, so a long run
// allocates O(log) times and a short one stays small.
constexpr std::size_t kFirstBlockPages = 4, kMaxBlockPages = 256;

}  // namespace

KvPagePool::KvPagePool(int n_layer, int width)
    : n_layer_(n_layer), width_(width), stride_((width + kRowAlign - 1) / kRowAlign * kRowAlign) {
  if (n_layer <= 0 || width <= 0) throw Error("A KV cache needs layers and a width.");
}

std::size_t KvPagePool::slot_bytes() const {
  return 2 * static_cast<std::size_t>(n_layer_) * stride_ * sizeof(float);
}

float* KvPagePool::row_of(std::uint32_t slot) const {
  return pages_[slot / kPagePositions] + (slot % kPagePositions) * std::ptrdiff_t{stride_};
}

void KvPagePool::grow() {
  const std::size_t pages = std::min(kMaxBlockPages, std::max(kFirstBlockPages, pages_.size()));
  if (refs_.size() + pages * kPagePositions > std::numeric_limits<std::uint32_t>::max()) {
    throw Error("The KV cache ran out of slots.");
  }
  const std::size_t page_floats = static_cast<std::size_t>(layer_stride()) * n_layer_;
  blocks_.emplace_back(pages * page_floats);
  float* base = blocks_.back().data();
  for (std::size_t p = 0; p < pages; ++p) pages_.push_back(base + p * page_floats);
  refs_.resize(refs_.size() + pages * kPagePositions, 0);
}

void KvPagePool::acquire(int n, std::vector<std::uint32_t>& slots, std::vector<float*>& rows) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < n; ++i) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      if (fresh_ == refs_.size()) grow();
      slot = fresh_++;
    }
    refs_[slot] = 1;
    ++in_use_;
    slots.push_back(slot);
    rows.push_back(row_of(slot));
  }
}

void KvPagePool::retain(std::span<const std::uint32_t> slots) {
  std::lock_guard lock(mutex_);
  for (std::uint32_t s : slots) ++refs_[s];
}

void KvPagePool::release(std::span<const std::uint32_t> slots) {
  std::lock_guard lock(mutex_);
  // Backwards, so that a sequence dropped whole hands its slots back in an
  // order that the next one takes front to back.
  for (auto it = slots.rbegin(); it != slots.rend(); ++it) {
    if (--refs_[*it] == 0) {
      free_.push_back(*it);
      --in_use_;
    }
  }
}

std::size_t KvPagePool::slots_in_use() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

std::size_t KvPagePool::bytes_allocated() const {
  std::lock_guard lock(mutex_);
  return pages_.size() * kPagePositions * slot_bytes();
}

}  // namespace beamscope
