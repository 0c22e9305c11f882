#include "decoding/cached_logits_source.h"

#include "decoding/logits_check.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

#include "model/kv_cache.h"
#include "model/language_model.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace beamscope {

CachedLogitsSource::CachedLogitsSource(LanguageModel& model, LogitsCache& cache,
                                       std::size_t kv_budget_bytes)
    : model_(model), cache_(cache), kv_budget_(kv_budget_bytes) {}

CachedLogitsSource::~CachedLogitsSource() = default;

void CachedLogitsSource::check_logits(std::span<const float> logits,
                                      std::size_t prefix_length) const {
  if (model_.info().top_logprobs > 0) {
    require_top_n_logprobs(logits, prefix_length);
  } else {
    require_finite_logits(logits, prefix_length);
  }
}

LogitsCache::Logits CachedLogitsSource::rebuild_kv(const TokenPrefix& prefix) {
  const std::size_t have = std::min(kv_.longest_stored(prefix), prefix.size() - 1);
  std::unique_ptr<KvCache> kv = have > 0 ? kv_.cache_for(prefix, have) : model_.new_cache();
  const int vocab = model_.info().vocab_size;
  auto logits = std::make_shared<std::vector<float>>(static_cast<std::size_t>(vocab));  // [vocab]
  std::span<const std::int32_t> rest(prefix.data() + have, prefix.size() - have);
  model_.prefill(*kv, rest, *logits);
  ++model_calls_;
  check_logits(*logits, prefix.size());
  cache_.insert(prefix, logits);
  kv_.store(prefix, std::move(kv));
  return logits;
}

void CachedLogitsSource::check_and_summarize(std::span<const float> logits,
                                             std::span<const TokenPrefix> prefixes) {
  // Beside the model step, each row of a batch costs a copy, a check and a
  // summary (ordering the head of the vocabulary): ~1 ms at 50k tokens, on
  // one core 4.4 ms of a 4-beam step that the model runs in ~19 ms on two.
  // The rows are independent, so they share the model's pool; every row's
  // result is the same whichever thread makes it.
  const std::size_t n = steps_.size(), vocab = logits.size() / n;
  rows_.assign(n, RowResult{});
  row_errors_.assign(n, nullptr);  // a pool chunk must not throw
  auto one_row = [&](int chunk) {
    const std::size_t i = static_cast<std::size_t>(chunk);
    try {
      const std::span<const float> row = logits.subspan(i * vocab, vocab);
      check_logits(row, prefixes[steps_[i]].size());
      rows_[i].logits = std::make_shared<const std::vector<float>>(row.begin(), row.end());
      rows_[i].summary = std::make_shared<const LogitsSummary>(summarize_logits(*rows_[i].logits));
    } catch (...) {
      row_errors_[i] = std::current_exception();
    }
  };
  ThreadPool::shared().run(static_cast<int>(n), [&](int chunk) { one_row(chunk); });
  for (const std::exception_ptr& e : row_errors_) {
    if (e) std::rethrow_exception(e);  // the first bad row, in batch order
  }
}

PrefixLogits CachedLogitsSource::logits_for(const TokenPrefix& prefix) {
  logits_for(std::span<const TokenPrefix>(&prefix, 1), one_);
  PrefixLogits answer = std::move(one_.front());
  one_.clear();
  return answer;
}

std::vector<PrefixLogits> CachedLogitsSource::logits_for(std::span<const TokenPrefix> prefixes) {
  std::vector<PrefixLogits> out;
  logits_for(prefixes, out);
  return out;
}

void CachedLogitsSource::find_repeats(std::span<const TokenPrefix> prefixes) {
  // Requests sorted by hash, so that equal prefixes meet without a map (a
  // step of 200 samples asks for 200 prefixes, most of them distinct).
  const std::size_t n = prefixes.size();
  first_.resize(n);
  hashes_.resize(n);
  by_hash_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    first_[i] = i;
    hashes_[i] = TokenPrefixHash{}(prefixes[i]);
    by_hash_[i] = i;
  }
  if (n == 1) return;
  std::sort(by_hash_.begin(), by_hash_.end(), [&](std::size_t a, std::size_t b) {
    return hashes_[a] < hashes_[b] || (hashes_[a] == hashes_[b] && a < b);
  });
  for (std::size_t run = 0; run < n;) {
    std::size_t end = run + 1;
    while (end < n && hashes_[by_hash_[end]] == hashes_[by_hash_[run]]) ++end;
    for (std::size_t k = run + 1; k < end; ++k) {  // earlier requests come first in a run
      for (std::size_t m = run; m < k; ++m) {
        if (prefixes[by_hash_[m]] == prefixes[by_hash_[k]]) {
          first_[by_hash_[k]] = first_[by_hash_[m]];
          break;
        }
      }
    }
    run = end;
  }
}

void CachedLogitsSource::logits_for(std::span<const TokenPrefix> prefixes,
                                    std::vector<PrefixLogits>& out) {
  out.clear();
  for (const TokenPrefix& p : prefixes) {
    if (p.empty()) throw Error("A prompt needs at least one token.");
  }
  // A re-run on a cached tree (a slider change): every prefix a hit, found
  // as the steps below would find it, in one lookup each.
  if (cache_.find_all_summarized(prefixes, out)) {
    kv_.evict_to(kv_budget_);
    return;
  }
  // Results of this request, by the first request of each prefix; kept here
  // so that a small cache budget cannot evict an answer before it is handed
  // out.
  find_repeats(prefixes);
  found_.assign(prefixes.size(), nullptr);

  // 1. Unique misses, in request order.
  misses_.clear();
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    if (first_[i] != i) continue;
    found_[i] = cache_.find(prefixes[i]);
    if (!found_[i]) misses_.push_back(i);
  }

  // 2. A miss with no stored ancestor at all is one plain prefill. The others
  //    need their parent's KV cache (rebuilt by one prefill from the nearest
  //    stored ancestor if it was dropped) and then one decode step.
  steps_.clear();
  for (std::size_t i : misses_) {
    const TokenPrefix& p = prefixes[i];
    const std::size_t have = kv_.longest_stored(p);
    if (have == 0) {
      found_[i] = rebuild_kv(p);
      continue;
    }
    if (have + 1 < p.size()) rebuild_kv(TokenPrefix(p.begin(), p.end() - 1));
    steps_.push_back(i);
  }

  // 3. One batched decode step for all misses with a stored parent.
  if (!steps_.empty()) run_steps(prefixes);
  kv_.evict_to(kv_budget_);

  out.reserve(prefixes.size());
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const LogitsCache::Logits& logits = found_[first_[i]];
    out.push_back(PrefixLogits{logits, cache_.summary(prefixes[i], logits)});
  }
  found_.clear();  // hands the references back: the cache decides what stays
}

void CachedLogitsSource::run_steps(std::span<const TokenPrefix> prefixes) {
  // Each step gets its parent's cache. A parent that is a leaf of the KV
  // tree, extended by only one step of this batch (greedy's every step, a
  // beam that does not branch), lends its own cache: the step appends one
  // position to it and the tree moves it to the new child, so nothing is
  // cloned or freed. Other steps get a clone from the tree (which shares its
  // pages, so no keys or values are copied; the parent stays, for later
  // siblings).
  clones_.clear();
  step_caches_.clear();
  step_tokens_.clear();
  for (std::size_t i : steps_) {
    const TokenPrefix& p = prefixes[i];
    KvCache* own = kv_.own_cache_at(p, p.size() - 1);
    if (own && std::find(step_caches_.begin(), step_caches_.end(), own) != step_caches_.end()) {
      own = nullptr;  // lent to an earlier step already: this sibling clones
    }
    clones_.push_back(own ? std::unique_ptr<KvCache>() : kv_.cache_for(p, p.size() - 1));
    step_caches_.push_back(own ? own : clones_.back().get());
    step_tokens_.push_back(p.back());
  }
  const std::size_t vocab = static_cast<std::size_t>(model_.info().vocab_size);
  try {
    if (steps_.size() == 1) {
      // One row: the model writes straight into the logits the cache keeps.
      const TokenPrefix& p = prefixes[steps_[0]];
      auto logits = std::make_shared<std::vector<float>>(vocab);
      model_.decode(step_caches_, step_tokens_, *logits);
      ++model_calls_;
      check_logits(*logits, p.size());
      rows_.assign(
          1, RowResult{logits, std::make_shared<const LogitsSummary>(summarize_logits(*logits))});
    } else {
      batch_logits_.resize(steps_.size() * vocab);  // [batch, vocab]
      model_.decode(step_caches_, step_tokens_, batch_logits_);
      ++model_calls_;
      check_and_summarize(batch_logits_, prefixes);
    }
  } catch (...) {
    // Lent caches go back to their parents' length: the tree still holds them.
    for (std::size_t s = 0; s < steps_.size(); ++s) {
      if (!clones_[s]) {
        const int parent_length = static_cast<int>(prefixes[steps_[s]].size()) - 1;
        if (step_caches_[s]->length() > parent_length) step_caches_[s]->truncate(parent_length);
      }
    }
    throw;
  }
  // Lent caches move to their new nodes before any clone is stored: storing
  // a sibling under the same parent would otherwise drop the parent's cache.
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    if (!clones_[s]) kv_.extend(prefixes[steps_[s]]);
  }
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    const TokenPrefix& p = prefixes[steps_[s]];
    cache_.insert(p, rows_[s].logits, rows_[s].summary);
    found_[steps_[s]] = rows_[s].logits;
    if (clones_[s]) kv_.store(p, std::move(clones_[s]));
  }
  rows_.clear();
}

}  // namespace beamscope
