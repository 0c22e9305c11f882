#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

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
  void reserve(std::size_t count) { table_.reserve(count); }
  std::optional<Result> find(std::int32_t left, std::int32_t right) const;
  std::size_t size() const { return table_.size(); }

  // Merges `symbols` in place until no adjacent pair has a rule: always the
  // lowest-rank pair, leftmost first on ties (HF's order). Uses a heap over
  // linked symbols, so a piece of n symbols costs O(n log n), which matters
  // for pathological pieces such as a megabyte of digits.
  void apply(std::vector<std::int32_t>& symbols) const;

 private:
  static std::uint64_t key(std::int32_t left, std::int32_t right) {
    return (std::uint64_t(std::uint32_t(left)) << 32) | std::uint32_t(right);
  }
  std::unordered_map<std::uint64_t, Result> table_;
  std::int32_t next_rank_ = 0;
};

}  // namespace beamscope
