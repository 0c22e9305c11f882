#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "decoding/logits_cache.h"
#include "decoding/token_prefix.h"

namespace beamscope {

class LanguageModel;
class KvCache;

// Gets next-token logits for token prefixes, running the model only for
// prefixes the LogitsCache has not seen. It also keeps the KV caches of the
// prefixes it ran (bounded by a byte budget, least recently used dropped
// first), so a prefix that extends a known one by a token costs one decode
// step, and all such misses of one request share ONE batched
// LanguageModel::decode call (beams and samples of a step run together).
// A miss with no stored parent is rebuilt from the longest stored ancestor
// (or the empty sequence) by one prefill.
//
// Not thread-safe; use from one thread at a time (the decoder's thread).
class PrefixRunner {
 public:
  static constexpr std::size_t kDefaultKvBudgetBytes = std::size_t{512} << 20;  // 512 MiB

  PrefixRunner(LanguageModel& model, LogitsCache& cache,
               std::size_t kv_budget_bytes = kDefaultKvBudgetBytes);
  ~PrefixRunner();
  PrefixRunner(const PrefixRunner&) = delete;
  PrefixRunner& operator=(const PrefixRunner&) = delete;

  // Raw logits [vocab] for each prefix (each non-empty), in request order.
  std::vector<PrefixLogits> logits_for(std::span<const TokenPrefix> prefixes);
  PrefixLogits logits_for(const TokenPrefix& prefix);

  // Forward passes run so far (one per prefill, one per batched decode).
  int model_calls() const { return model_calls_; }
  LogitsCache& cache() { return cache_; }
  std::size_t kv_bytes() const { return kv_bytes_; }
  void clear_kv();

 private:
  struct KvEntry {
    TokenPrefix prefix;
    std::unique_ptr<KvCache> kv;
  };
  KvCache* find_kv(const TokenPrefix& prefix);
  void store_kv(const TokenPrefix& prefix, std::unique_ptr<KvCache> kv);
  // Length of the longest proper prefix of `prefix` with a stored KV cache
  // (0 if none).
  std::size_t longest_stored_ancestor(const TokenPrefix& prefix) const;
  // Stores the KV cache of `prefix`, prefilled from its longest stored
  // ancestor; returns (and caches) the logits that prefill yields.
  LogitsCache::Logits rebuild_kv(const TokenPrefix& prefix);
  void evict_to_budget();
  LogitsCache::Logits checked_logits(std::vector<float> logits, std::size_t prefix_length) const;

  LanguageModel& model_;
  LogitsCache& cache_;
  std::size_t kv_budget_;
  std::size_t kv_bytes_ = 0;
  int model_calls_ = 0;
  std::list<KvEntry> kv_entries_;  // most recently used first
  std::unordered_map<TokenPrefix, std::list<KvEntry>::iterator, TokenPrefixHash> kv_index_;
};

}  // namespace beamscope
