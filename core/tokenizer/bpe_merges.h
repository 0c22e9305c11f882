#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/aligned_buffer.h"

namespace beamscope {

// The merge table of a BPE model, over token ids: (left, right) -> (rank,
// merged id). Lower rank = learnt earlier = applied first.
class BpeMerges {
 public:
  struct Result {
    std::int32_t rank;
    std::int32_t merged_id;
  };

  // A later rule for the same pair replaces the earlier one, as in GPT-2's
  // encoder.py (a dict built from the list) and HF tokenizers (a HashMap).
  void add(std::int32_t left, std::int32_t right, std::int32_t merged_id);
  void reserve(std::size_t count);
  // Hints that add(left, right, ...) comes soon: loading adds half a million
  // rules in random places of a large table, each a cache miss unless
  // fetched ahead.
  void prefetch(std::int32_t left, std::int32_t right) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[slot_of(key(left, right), slots_.size() - 1)]);
  }
  std::optional<Result> find(std::int32_t left, std::int32_t right) const {
    if (slots_.empty()) return std::nullopt;
    const std::uint64_t k = key(left, right);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot_of(k, mask);; i = (i + 1) & mask) {
      if (slots_[i].key == k) return slots_[i].result;
      if (slots_[i].key == kEmpty) return std::nullopt;
    }
  }
  std::size_t size() const { return size_; }

  // Merges `symbols` in place until no adjacent pair has a rule: always the
  // lowest-rank pair, leftmost first on ties (HF's order). Uses a heap over
  // linked symbols, so a piece of n symbols costs O(n log n), which matters
  // for pathological pieces such as a megabyte of digits.
  void apply(std::vector<std::int32_t>& symbols) const;

 private:
  static std::uint64_t key(std::int32_t left, std::int32_t right) {
    return (std::uint64_t(std::uint32_t(left)) << 32) | std::uint32_t(right);
  }
  // Open addressing over (left, right) keys, at most half full: encoding
  // looks up every adjacent pair, and loading half a million rules into a
  // node-based map cost more than reading them.
  struct Slot {
    std::uint64_t key;
    Result result;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};  // ids are never negative
  static std::size_t slot_of(std::uint64_t k, std::size_t mask) {
    return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  }
  void grow(std::size_t capacity);

  // 16 MiB for Gemma 3: in huge pages, as fresh 4 KiB pages cost ~10 us
  // each to fault in here, which was half of its tokenizer load.
  std::vector<Slot, CacheLineAllocator<Slot>> slots_;
  std::size_t size_ = 0;
  std::int32_t next_rank_ = 0;
};

}  // namespace beamscope
