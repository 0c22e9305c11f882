#pragma once

#include <cstddef>
#include <exception>
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
  // The same into `out` (cleared first), whose storage a caller that asks
  // every step can keep.
  void logits_for(std::span<const TokenPrefix> prefixes, std::vector<PrefixLogits>& out);
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
  // Throws the one sentence for logits a model should never give.
  void check_logits(std::span<const float> logits, std::size_t prefix_length) const;
  // Marks in first_ the requests that repeat an earlier one.
  void find_repeats(std::span<const TokenPrefix> prefixes);
  // The batched decode step for the misses in steps_ (their parents stored).
  void run_steps(std::span<const TokenPrefix> prefixes);
  // Row i of a batched step's [batch, vocab] logits, checked, with its
  // summary; the rows run on the shared thread pool.
  struct RowResult {
    LogitsCache::Logits logits;
    LogitsCache::Summary summary;
  };
  void check_and_summarize(std::span<const float> logits, std::span<const TokenPrefix> prefixes);

  LanguageModel& model_;
  LogitsCache& cache_;
  std::size_t kv_budget_;
  int model_calls_ = 0;
  KvPrefixTree kv_;

  // Scratch of logits_for, kept between calls so that a step in the steady
  // state allocates nothing it throws away (issue 18): per request, the
  // first request with the same prefix and its logits; the misses and the
  // steps among them (request indices); the step's caches and tokens.
  std::vector<std::size_t> first_;
  std::vector<std::size_t> hashes_, by_hash_;
  std::vector<LogitsCache::Logits> found_;
  std::vector<std::size_t> misses_, steps_;
  std::vector<std::unique_ptr<KvCache>>
      clones_;  // null where a step extends its parent's own cache
  std::vector<KvCache*> step_caches_;
  std::vector<std::int32_t> step_tokens_;
  std::vector<float> batch_logits_;  // [batch, vocab] of a step of several rows
  std::vector<RowResult> rows_;
  std::vector<std::exception_ptr> row_errors_;
  std::vector<PrefixLogits> one_;  // the single-prefix call's answer
};

}  // namespace beamscope
