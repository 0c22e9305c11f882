#include "decoding/cached_logits_source.h"

#include "decoding/logits_check.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

#include "model/language_model.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace beamscope {

CachedLogitsSource::CachedLogitsSource(LanguageModel& model, LogitsCache& cache,
                                       std::size_t kv_budget_bytes)
    : model_(model), cache_(cache), kv_budget_(kv_budget_bytes) {}

CachedLogitsSource::~CachedLogitsSource() = default;

LogitsCache::Logits CachedLogitsSource::checked_logits(std::vector<float> logits,
                                                       std::size_t prefix_length) const {
  if (model_.info().top_logprobs > 0) {
    require_top_n_logprobs(logits, prefix_length);
  } else {
    require_finite_logits(logits, prefix_length);
  }
  return std::make_shared<const std::vector<float>>(std::move(logits));
}

LogitsCache::Logits CachedLogitsSource::rebuild_kv(const TokenPrefix& prefix) {
  const std::size_t have = std::min(kv_.longest_stored(prefix), prefix.size() - 1);
  std::unique_ptr<KvCache> kv = have > 0 ? kv_.cache_for(prefix, have) : model_.new_cache();
  const int vocab = model_.info().vocab_size;
  std::vector<float> logits(static_cast<std::size_t>(vocab));  // [vocab]
  std::span<const std::int32_t> rest(prefix.data() + have, prefix.size() - have);
  model_.prefill(*kv, rest, logits);
  ++model_calls_;
  LogitsCache::Logits checked = checked_logits(std::move(logits), prefix.size());
  cache_.insert(prefix, checked);
  kv_.store(prefix, std::move(kv));
  return checked;
}

std::vector<CachedLogitsSource::RowResult> CachedLogitsSource::check_and_summarize(
    std::span<const float> logits, std::span<const TokenPrefix* const> prefixes) const {
  // Beside the model step, each row of a batch costs a copy, a check and a
  // summary (ordering the head of the vocabulary): ~1 ms at 50k tokens, on
  // one core 4.4 ms of a 4-beam step that the model runs in ~19 ms on two.
  // The rows are independent, so they share the model's pool; every row's
  // result is the same whichever thread makes it.
  const std::size_t n = prefixes.size(), vocab = logits.size() / n;
  std::vector<RowResult> rows(n);
  std::vector<std::exception_ptr> errors(n);  // a pool chunk must not throw
  auto one_row = [&](int chunk) {
    const std::size_t i = static_cast<std::size_t>(chunk);
    try {
      std::vector<float> row(logits.begin() + static_cast<std::ptrdiff_t>(i * vocab),
                             logits.begin() + static_cast<std::ptrdiff_t>((i + 1) * vocab));
      rows[i].logits = checked_logits(std::move(row), prefixes[i]->size());
      rows[i].summary = std::make_shared<const LogitsSummary>(summarize_logits(*rows[i].logits));
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  if (n == 1) {
    one_row(0);
  } else {
    ThreadPool::shared().run(static_cast<int>(n), [&](int chunk) { one_row(chunk); });
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);  // the first bad row, in batch order
  }
  return rows;
}

PrefixLogits CachedLogitsSource::logits_for(const TokenPrefix& prefix) {
  return logits_for(std::span<const TokenPrefix>(&prefix, 1)).front();
}

std::vector<PrefixLogits> CachedLogitsSource::logits_for(std::span<const TokenPrefix> prefixes) {
  for (const TokenPrefix& p : prefixes) {
    if (p.empty()) throw Error("A prompt needs at least one token.");
  }
  // A re-run on a cached tree (a slider change): every prefix a hit, found
  // as the steps below would find it, in one lookup each.
  if (std::vector<PrefixLogits> hits; cache_.find_all_summarized(prefixes, hits)) {
    kv_.evict_to(kv_budget_);
    return hits;
  }
  // Results of this request by prefix; kept here so that a small cache budget
  // cannot evict an answer before it is handed out.
  std::unordered_map<TokenPrefix, LogitsCache::Logits, TokenPrefixHash> found;

  // 1. Unique misses, in request order.
  std::vector<const TokenPrefix*> misses;
  for (const TokenPrefix& p : prefixes) {
    if (found.count(p)) continue;
    LogitsCache::Logits hit = cache_.find(p);
    if (!hit) misses.push_back(&p);
    found.emplace(p, std::move(hit));
  }

  // 2. A miss with no stored ancestor at all is one plain prefill. The others
  //    need their parent's KV cache (rebuilt by one prefill from the nearest
  //    stored ancestor if it was dropped) and then one decode step.
  std::vector<const TokenPrefix*> steps;
  for (const TokenPrefix* p : misses) {
    const std::size_t have = kv_.longest_stored(*p);
    if (have == 0) {
      found[*p] = rebuild_kv(*p);
      continue;
    }
    if (have + 1 < p->size()) rebuild_kv(TokenPrefix(p->begin(), p->end() - 1));
    steps.push_back(p);
  }

  // 3. One batched decode step for all misses with a stored parent: each gets
  //    its parent's cache, cloned from the tree (which shares its pages, so
  //    no keys or values are copied; the parent stays, for later siblings).
  if (!steps.empty()) {
    std::vector<std::unique_ptr<KvCache>> caches;
    std::vector<KvCache*> cache_ptrs;
    std::vector<std::int32_t> tokens;
    for (const TokenPrefix* p : steps) {
      caches.push_back(kv_.cache_for(*p, p->size() - 1));
      cache_ptrs.push_back(caches.back().get());
      tokens.push_back(p->back());
    }
    const std::size_t vocab = static_cast<std::size_t>(model_.info().vocab_size);
    std::vector<float> logits(steps.size() * vocab);  // [batch, vocab]
    model_.decode(cache_ptrs, tokens, logits);
    ++model_calls_;
    const std::vector<RowResult> rows = check_and_summarize(logits, steps);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      cache_.insert(*steps[i], rows[i].logits, rows[i].summary);
      found[*steps[i]] = rows[i].logits;
      kv_.store(*steps[i], std::move(caches[i]));
    }
  }
  kv_.evict_to(kv_budget_);

  std::vector<PrefixLogits> out;
  out.reserve(prefixes.size());
  for (const TokenPrefix& p : prefixes) {
    const LogitsCache::Logits& logits = found.at(p);
    out.push_back(PrefixLogits{logits, cache_.summary(p, logits)});
  }
  return out;
}

}  // namespace beamscope
