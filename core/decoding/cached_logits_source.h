#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "decoding/kv_prefix_tree.h"
#include "decoding/logits_cache.h"
#include "decoding/token_prefix.h"

namespace beamscope {

class LanguageModel;
class KvCache;

// Gets next-token logits for token prefixes, running the model only for
// prefixes the LogitsCache has not seen. It also keeps the KV caches of the
// prefixes it ran in a KvPrefixTree (pages shared between prefixes, bounded
// by a byte budget, least recently used leaves dropped first), so a prefix
// that extends a known one by a token costs one decode step, and all such
// misses of one request share ONE batched LanguageModel::decode call (beams
// and samples of a step run together). A miss whose parent is not stored is
// rebuilt from the longest stored prefix (or the empty sequence) by one
// prefill.
//
// Not thread-safe; use from one thread at a time (the decoder's thread).
class CachedLogitsSource {
 public:
  static constexpr std::size_t kDefaultKvBudgetBytes = std::size_t{512} << 20;  // 512 MiB

  CachedLogitsSource(LanguageModel& model, LogitsCache& cache,
                     std::size_t kv_budget_bytes = kDefaultKvBudgetBytes);
  ~CachedLogitsSource();
  CachedLogitsSource(const CachedLogitsSource&) = delete;
  CachedLogitsSource& operator=(const CachedLogitsSource&) = delete;

  // Raw logits [vocab] for each prefix (each non-empty), in request order.
  std::vector<PrefixLogits> logits_for(std::span<const TokenPrefix> prefixes);
  PrefixLogits logits_for(const TokenPrefix& prefix);

  // Forward passes run so far (one per prefill, one per batched decode).
  int model_calls() const { return model_calls_; }
  LogitsCache& cache() { return cache_; }
  // Bytes of keys/values held (shared pages counted once) and the distinct
  // prefix positions they cover.
  std::size_t kv_bytes() const { return kv_.bytes(); }
  std::size_t kv_positions() const { return kv_.positions(); }
  void clear_kv() { kv_.clear(); }

 private:
  // Stores the KV cache of `prefix`, prefilled from its longest stored
  // prefix; returns (and caches) the logits that prefill yields.
  LogitsCache::Logits rebuild_kv(const TokenPrefix& prefix);
  LogitsCache::Logits checked_logits(std::vector<float> logits, std::size_t prefix_length) const;
  // Row i of a batched step's [batch, vocab] logits, checked, with its
  // summary; the rows run on the shared thread pool.
  struct RowResult {
    LogitsCache::Logits logits;
    LogitsCache::Summary summary;
  };
  std::vector<RowResult> check_and_summarize(std::span<const float> logits,
                                             std::span<const TokenPrefix* const> prefixes) const;

  LanguageModel& model_;
  LogitsCache& cache_;
  std::size_t kv_budget_;
  int model_calls_ = 0;
  KvPrefixTree kv_;
};

}  // namespace beamscope
