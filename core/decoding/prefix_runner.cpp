#include "decoding/prefix_runner.h"

#include "decoding/logits_check.h"

#include <cmath>
#include <string>

#include "model/language_model.h"
#include "util/error.h"

namespace beamscope {

PrefixRunner::PrefixRunner(LanguageModel& model, LogitsCache& cache, std::size_t kv_budget_bytes)
    : model_(model), cache_(cache), kv_budget_(kv_budget_bytes) {}

PrefixRunner::~PrefixRunner() = default;

void PrefixRunner::clear_kv() {
  kv_entries_.clear();
  kv_index_.clear();
  kv_bytes_ = 0;
}

KvCache* PrefixRunner::find_kv(const TokenPrefix& prefix) {
  auto it = kv_index_.find(prefix);
  if (it == kv_index_.end()) return nullptr;
  kv_entries_.splice(kv_entries_.begin(), kv_entries_, it->second);
  return it->second->kv.get();
}

void PrefixRunner::store_kv(const TokenPrefix& prefix, std::unique_ptr<KvCache> kv) {
  if (auto it = kv_index_.find(prefix); it != kv_index_.end()) {
    kv_bytes_ -= it->second->kv->bytes();
    kv_entries_.erase(it->second);
    kv_index_.erase(it);
  }
  kv_bytes_ += kv->bytes();
  kv_entries_.push_front(KvEntry{prefix, std::move(kv)});
  kv_index_.emplace(prefix, kv_entries_.begin());
}

void PrefixRunner::evict_to_budget() {
  while (kv_bytes_ > kv_budget_ && kv_entries_.size() > 1) {
    kv_bytes_ -= kv_entries_.back().kv->bytes();
    kv_index_.erase(kv_entries_.back().prefix);
    kv_entries_.pop_back();
  }
}

LogitsCache::Logits PrefixRunner::checked_logits(std::vector<float> logits,
                                                 std::size_t prefix_length) const {
  require_finite_logits(logits, prefix_length);
  return std::make_shared<const std::vector<float>>(std::move(logits));
}

std::size_t PrefixRunner::longest_stored_ancestor(const TokenPrefix& prefix) const {
  for (std::size_t len = prefix.size() - 1; len > 0; --len) {
    if (kv_index_.count(
            TokenPrefix(prefix.begin(), prefix.begin() + static_cast<std::ptrdiff_t>(len)))) {
      return len;
    }
  }
  return 0;
}

LogitsCache::Logits PrefixRunner::rebuild_kv(const TokenPrefix& prefix) {
  const std::size_t have = longest_stored_ancestor(prefix);
  std::unique_ptr<KvCache> kv =
      have > 0
          ? find_kv(TokenPrefix(prefix.begin(), prefix.begin() + static_cast<std::ptrdiff_t>(have)))
                ->clone()
          : model_.new_cache();
  const int vocab = model_.info().vocab_size;
  std::vector<float> logits(static_cast<std::size_t>(vocab));  // [vocab]
  std::span<const std::int32_t> rest(prefix.data() + have, prefix.size() - have);
  model_.prefill(*kv, rest, logits);
  ++model_calls_;
  LogitsCache::Logits checked = checked_logits(std::move(logits), prefix.size());
  cache_.insert(prefix, checked);
  store_kv(prefix, std::move(kv));
  return checked;
}

PrefixLogits PrefixRunner::logits_for(const TokenPrefix& prefix) {
  return logits_for(std::span<const TokenPrefix>(&prefix, 1)).front();
}

std::vector<PrefixLogits> PrefixRunner::logits_for(std::span<const TokenPrefix> prefixes) {
  for (const TokenPrefix& p : prefixes) {
    if (p.empty()) throw Error("A prompt needs at least one token.");
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
    TokenPrefix parent(p->begin(), p->end() - 1);
    if (!find_kv(parent)) {
      if (longest_stored_ancestor(*p) == 0) {
        found[*p] = rebuild_kv(*p);
        continue;
      }
      rebuild_kv(parent);
    }
    steps.push_back(p);
  }

  // 3. One batched decode step for all misses with a stored parent: each gets a
  //    clone of its parent's cache (the parent stays, for later siblings).
  if (!steps.empty()) {
    std::vector<std::unique_ptr<KvCache>> caches;
    std::vector<KvCache*> cache_ptrs;
    std::vector<std::int32_t> tokens;
    for (const TokenPrefix* p : steps) {
      KvCache* parent = find_kv(TokenPrefix(p->begin(), p->end() - 1));
      caches.push_back(parent->clone());
      cache_ptrs.push_back(caches.back().get());
      tokens.push_back(p->back());
    }
    const std::size_t vocab = static_cast<std::size_t>(model_.info().vocab_size);
    std::vector<float> logits(steps.size() * vocab);  // [batch, vocab]
    model_.decode(cache_ptrs, tokens, logits);
    ++model_calls_;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      std::vector<float> row(logits.begin() + static_cast<std::ptrdiff_t>(i * vocab),
                             logits.begin() + static_cast<std::ptrdiff_t>((i + 1) * vocab));
      LogitsCache::Logits checked = checked_logits(std::move(row), steps[i]->size());
      cache_.insert(*steps[i], checked);
      found[*steps[i]] = std::move(checked);
      store_kv(*steps[i], std::move(caches[i]));
    }
  }
  evict_to_budget();

  std::vector<PrefixLogits> out;
  out.reserve(prefixes.size());
  for (const TokenPrefix& p : prefixes) {
    const LogitsCache::Logits& logits = found.at(p);
    out.push_back(PrefixLogits{logits, cache_.summary(p, logits)});
  }
  return out;
}

}  // namespace beamscope
