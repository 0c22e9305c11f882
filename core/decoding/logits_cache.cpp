#include "decoding/logits_cache.h"

namespace beamscope {

namespace {
std::size_t entry_bytes(const TokenPrefix& prefix, const std::vector<float>& logits) {
  // Key stored twice (list + index) plus a rough allowance for node overhead.
  return logits.size() * sizeof(float) + 2 * prefix.size() * sizeof(std::int32_t) + 128;
}
}  // namespace

LogitsCache::LogitsCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

LogitsCache::Logits LogitsCache::find(const TokenPrefix& prefix) {
  auto it = index_.find(prefix);
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  entries_.splice(entries_.begin(), entries_, it->second);  // now most recent
  return it->second->logits;
}

bool LogitsCache::contains(const TokenPrefix& prefix) const { return index_.count(prefix) > 0; }

void LogitsCache::insert(const TokenPrefix& prefix, Logits logits, Summary summary) {
  if (!logits) return;
  if (auto it = index_.find(prefix); it != index_.end()) {
    bytes_ -= it->second->bytes;
    entries_.erase(it->second);
    index_.erase(it);
  }
  std::size_t size = entry_bytes(prefix, *logits);
  if (summary) size += summary->order.size() * sizeof(std::int32_t);  // as summary() counts it
  entries_.push_front(Entry{prefix, std::move(logits), std::move(summary), size});
  index_.emplace(prefix, entries_.begin());
  bytes_ += size;
  evict_to_budget();
}

LogitsCache::Summary LogitsCache::summary(const TokenPrefix& prefix, const Logits& logits) {
  auto it = index_.find(prefix);
  if (it == index_.end() || it->second->logits != logits) {
    return std::make_shared<const LogitsSummary>(summarize_logits(*logits));
  }
  Entry& entry = *it->second;
  if (!entry.summary) {
    entry.summary = std::make_shared<const LogitsSummary>(summarize_logits(*logits));
    const std::size_t extra = entry.summary->order.size() * sizeof(std::int32_t);
    entry.bytes += extra;
    bytes_ += extra;
    entries_.splice(entries_.begin(), entries_,
                    it->second);  // in use: not the one to evict
    evict_to_budget();
  }
  return entry.summary;
}

bool LogitsCache::find_all_summarized(std::span<const TokenPrefix> prefixes,
                                      std::vector<PrefixLogits>& out) {
  std::vector<std::list<Entry>::iterator>& found = found_scratch_;
  found.clear();
  for (const TokenPrefix& p : prefixes) {
    auto it = index_.find(p);
    if (it == index_.end() || !it->second->summary) return false;
    found.push_back(it->second);
  }
  out.clear();
  out.reserve(found.size());
  ++batch_;
  for (const auto& it : found) {
    // A prefix asked for twice is found (counted, moved) once, as
    // CachedLogitsSource::logits_for's general path does.
    if (it->batch != batch_) {
      it->batch = batch_;
      ++hits_;
      entries_.splice(entries_.begin(), entries_, it);
    }
    out.push_back(PrefixLogits{it->logits, it->summary});
  }
  return true;
}

void LogitsCache::set_budget_bytes(std::size_t budget) {
  budget_ = budget;
  evict_to_budget();
}

void LogitsCache::clear() {
  entries_.clear();
  index_.clear();
  bytes_ = 0;
}

void LogitsCache::evict_to_budget() {
  // The newest entry always stays, even when it alone exceeds the budget:
  // the caller is about to use it.
  while (bytes_ > budget_ && entries_.size() > 1) {
    const Entry& victim = entries_.back();
    bytes_ -= victim.bytes;
    index_.erase(victim.prefix);
    entries_.pop_back();
  }
}

}  // namespace beamscope
