#include "tokenizer/bpe_merges.h"

#include <algorithm>
#include <queue>

namespace beamscope {

void BpeMerges::grow(std::size_t capacity) {
  std::vector<Slot, CacheLineAllocator<Slot>> old = std::move(slots_);
  slots_.assign(capacity, Slot{kEmpty, {}});
  const std::size_t mask = capacity - 1;
  for (const Slot& slot : old) {
    if (slot.key == kEmpty) continue;
    std::size_t i = slot_of(slot.key, mask);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void BpeMerges::reserve(std::size_t count) {
  std::size_t capacity = 16;
  while (capacity < 2 * count) capacity *= 2;
  if (capacity > slots_.size()) grow(capacity);
}

void BpeMerges::add(std::int32_t left, std::int32_t right, std::int32_t merged_id) {
  if (2 * (size_ + 1) > slots_.size()) grow(std::max<std::size_t>(16, 2 * slots_.size()));
  const std::uint64_t k = key(left, right);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = slot_of(k, mask);
  while (slots_[i].key != kEmpty && slots_[i].key != k) i = (i + 1) & mask;
  if (slots_[i].key == kEmpty) ++size_;
  slots_[i] = Slot{k, Result{next_rank_++, merged_id}};
}

void BpeMerges::apply(std::vector<std::int32_t>& symbols) const {
  const std::size_t n = symbols.size();
  if (n < 2) return;
  if (n == 2) {
    // The common short case without heap or links.
    if (auto m = find(symbols[0], symbols[1])) symbols = {m->merged_id};
    return;
  }

  // Doubly linked list over positions; a merged-away symbol is marked dead.
  constexpr std::int32_t kDead = -1;
  std::vector<std::int32_t> prev(n), next(n);
  for (std::size_t i = 0; i < n; ++i) {
    prev[i] = static_cast<std::int32_t>(i) - 1;
    next[i] = i + 1 < n ? static_cast<std::int32_t>(i + 1) : -1;
  }

  // A candidate merge of the symbol at `left_pos` with its right neighbour,
  // remembered with both ids so stale entries can be recognised.
  struct Candidate {
    std::int32_t rank;
    std::int32_t left_pos;
    std::int32_t left_id;
    std::int32_t right_id;
    bool operator>(const Candidate& o) const {
      return rank != o.rank ? rank > o.rank : left_pos > o.left_pos;
    }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  const auto push = [&](std::int32_t left_pos) {
    if (left_pos < 0) return;
    const std::int32_t right_pos = next[left_pos];
    if (right_pos < 0) return;
    if (auto m = find(symbols[left_pos], symbols[right_pos])) {
      heap.push({m->rank, left_pos, symbols[left_pos], symbols[right_pos]});
    }
  };
  for (std::size_t i = 0; i + 1 < n; ++i) push(static_cast<std::int32_t>(i));

  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    const std::int32_t left = c.left_pos;
    if (symbols[left] != c.left_id) continue;  // left symbol changed or died
    const std::int32_t right = next[left];
    if (right < 0 || symbols[right] != c.right_id) continue;  // neighbour changed
    // [.., left, right, after, ..] -> [.., merged, after, ..]
    symbols[left] = find(c.left_id, c.right_id)->merged_id;
    symbols[right] = kDead;
    next[left] = next[right];
    if (next[right] >= 0) prev[next[right]] = left;
    push(prev[left]);
    push(left);
  }

  std::size_t out = 0;
  for (std::int32_t i = 0; i >= 0; i = next[i]) symbols[out++] = symbols[i];
  symbols.resize(out);
}

}  // namespace beamscope
