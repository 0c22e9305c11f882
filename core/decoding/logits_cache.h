#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "decoding/logits_summary.h"
#include "decoding/token_prefix.h"

namespace beamscope {

struct PrefixLogits;

// Raw next-token logits [vocab] of every token prefix already run, so that a
// re-run with other parameters (temperature, thresholds, order, beam width,
// sample count) never runs the model again for a prefix it has seen.
//
// Keyed by the full id sequence (prompt included). Bounded by a byte budget;
// the least recently used entries go first. One cache belongs to one model:
// clear() it when the model changes. Not thread-safe: the decoder and the GUI
// worker use it from one thread at a time.
class LogitsCache {
 public:
  using Logits = std::shared_ptr<const std::vector<float>>;
  using Summary = std::shared_ptr<const LogitsSummary>;
  static constexpr std::size_t kDefaultBudgetBytes = std::size_t{256} << 20;  // 256 MiB

  explicit LogitsCache(std::size_t budget_bytes = kDefaultBudgetBytes);

  // The logits of `prefix`, or nullptr; counts a hit or a miss.
  Logits find(const TokenPrefix& prefix);
  // Same without touching the counters or the recency order.
  bool contains(const TokenPrefix& prefix) const;
  // `summary`, when given, must be summarize_logits(*logits): the decoder
  // computes a batch's summaries on all cores and hands them in with the
  // logits instead of on first use.
  void insert(const TokenPrefix& prefix, Logits logits, Summary summary = nullptr);
  // The summary of `logits` (the ones cached for `prefix`), computed on first
  // use and then kept with them (its bytes count against the budget); one
  // computed on the spot if `prefix` holds other logits or none.
  Summary summary(const TokenPrefix& prefix, const Logits& logits);
  // A batch whose every prefix is cached with its summary (a re-run on a
  // cached tree, e.g. a slider change): fills `out` with their logits and
  // summaries, one lookup per prefix instead of find() and summary() each,
  // and counts and reorders exactly as those would (a hit per distinct
  // prefix, made most recent in request order). False, with nothing counted,
  // moved or filled, if any prefix is missing or not summarised yet.
  bool find_all_summarized(std::span<const TokenPrefix> prefixes, std::vector<PrefixLogits>& out);

  std::size_t hits() const { return hits_; }
  std::size_t misses() const { return misses_; }
  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }
  std::size_t budget_bytes() const { return budget_; }
  void set_budget_bytes(std::size_t budget);
  void reset_counters() { hits_ = misses_ = 0; }
  void clear();

 private:
  struct Entry {
    TokenPrefix prefix;
    Logits logits;
    Summary summary;  // null until first asked for
    std::size_t bytes = 0;
    std::size_t batch = 0;  // the last find_all_summarized that found it
  };
  void evict_to_budget();

  std::size_t budget_;
  std::size_t bytes_ = 0;
  std::size_t hits_ = 0;
  std::size_t misses_ = 0;
  std::size_t batch_ = 0;     // find_all_summarized calls so far
  std::list<Entry> entries_;  // most recently used first
  // find_all_summarized's entries found, kept between calls (each step asks).
  std::vector<std::list<Entry>::iterator> found_scratch_;
  std::unordered_map<TokenPrefix, std::list<Entry>::iterator, TokenPrefixHash> index_;
};

// One prefix's raw logits with their parameter-independent summary, as the
// strategies score them (CachedLogitsSource::logits_for).
struct PrefixLogits {
  LogitsCache::Logits logits;    // [vocab]
  LogitsCache::Summary summary;  // never null
  const std::vector<float>& operator*() const { return *logits; }
};

}  // namespace beamscope
