#include "decoding/vocab_logits.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/log_sum_exp.h"

namespace beamscope {

VocabLogits::VocabLogits(std::span<const float> values) : score_(values.begin(), values.end()) {}

VocabLogits::VocabLogits(std::span<const float> values, std::vector<double>&& storage)
    : score_(std::move(storage)) {
  score_.assign(values.begin(), values.end());
}

int VocabLogits::alive_count() const {
  int count = 0;
  for_each_candidate([&](std::size_t i) { count += score_[i] != kRemoved; });
  return count;
}

double VocabLogits::max_score() const {
  if (!survivor_list_) return max_value(score_);
  double best = kRemoved;
  for_each_candidate([&](std::size_t i) { best = std::max(best, score_[i]); });
  return best;
}

double VocabLogits::log_sum_exp() const {
  if (!survivor_list_) return beamscope::log_sum_exp(score_);
  // The survivors' scores side by side, in id order: the same function sums
  // them (its grouping is by position, so the last bits can differ from a
  // sum over the whole vocabulary with the removed tokens in place).
  thread_local std::vector<double> gathered;
  gathered.clear();
  for_each_candidate([&](std::size_t i) {
    if (score_[i] != kRemoved) gathered.push_back(score_[i]);
  });
  return beamscope::log_sum_exp(gathered);
}

void VocabLogits::remove_below(double floor) {
  hint_exact_ = false;
  auto ids = std::make_shared<std::vector<std::int32_t>>();
  for_each_candidate([&](std::size_t i) {
    if (score_[i] == kRemoved) return;
    if (score_[i] < floor) {
      score_[i] = kRemoved;
    } else {
      ids->push_back(static_cast<std::int32_t>(i));
    }
  });
  survivor_list_ = std::move(ids);
}

void VocabLogits::keep_only(std::span<const std::pair<std::int32_t, double>> kept) {
  hint_exact_ = false;
  std::fill(score_.begin(), score_.end(), kRemoved);
  auto ids = std::make_shared<std::vector<std::int32_t>>();
  ids->reserve(kept.size());
  for (const auto& [id, score] : kept) {
    score_[static_cast<std::size_t>(id)] = score;
    ids->push_back(id);
  }
  std::sort(ids->begin(), ids->end());
  survivor_list_ = std::move(ids);
}

namespace {
// The strict total order every "best first" list here uses.
struct BetterFirst {
  const std::vector<double>& score;
  bool operator()(std::int32_t a, std::int32_t b) const {
    const double sa = score[static_cast<std::size_t>(a)], sb = score[static_cast<std::size_t>(b)];
    return sa > sb || (sa == sb && a < b);
  }
};
}  // namespace

bool VocabLogits::none_ahead_of_last(const std::vector<std::int32_t>& ids) const {
  if (ids.empty()) return true;
  const std::size_t last = static_cast<std::size_t>(ids.back());
  const double score = score_[last];
  // Removed tokens (-inf) are never ahead of a survivor.
  std::size_t ahead = 0;
  for_each_candidate([&](std::size_t i) {
    const double s = score_[i];
    ahead += s > score || (s == score && i < last);  // ties: the lower id
  });
  return ahead == ids.size() - 1;
}

bool VocabLogits::best_alive_from_hint(std::size_t k, std::size_t alive,
                                       std::vector<std::int32_t>& ids) const {
  const BetterFirst better{score_};
  ids.clear();
  ids.reserve(std::min(k, order_hint_->size()));
  for (std::int32_t id : *order_hint_) {
    if (ids.size() == k) break;
    if (score_[static_cast<std::size_t>(id)] == kRemoved) continue;
    // Every adjacent pair in order means the walk is sorted, and the order is
    // strict, so it is the one result std::sort would give for these ids.
    if (!hint_exact_ && !ids.empty() && !better(ids.back(), id)) return false;
    ids.push_back(id);
  }
  if (ids.size() == alive) return true;  // every survivor, in order
  const bool whole_hint = order_hint_->size() == score_.size();
  if (ids.size() < k) return whole_hint;  // every survivor walked, or more needed
  return hint_exact_ || none_ahead_of_last(ids);
}

std::vector<std::int32_t> VocabLogits::alive_sorted_desc() const {
  return best_alive(score_.size());
}

std::vector<std::int32_t> VocabLogits::best_alive(std::size_t k) const {
  return best_alive(k, std::numeric_limits<std::size_t>::max());
}

std::vector<std::int32_t> VocabLogits::best_alive(std::size_t k, std::size_t alive) const {
  std::vector<std::int32_t> ids;
  best_alive_into(k, alive, ids);
  return ids;
}

void VocabLogits::best_alive_into(std::size_t k, std::size_t alive,
                                  std::vector<std::int32_t>& ids) const {
  // The walk is bounded by the hint (the head of a large vocabulary), so it
  // is tried first even when few survive; a failed one costs that much.
  if (order_hint_ && best_alive_from_hint(std::min(k, alive), alive, ids)) return;
  ids.clear();
  ids.reserve(survivor_list_ ? survivor_list_->size() : score_.size());
  for_each_candidate([&](std::size_t i) {
    if (score_[i] != kRemoved) ids.push_back(static_cast<std::int32_t>(i));
  });
  const std::size_t keep = std::min(k, ids.size());
  if (keep == ids.size()) {
    std::sort(ids.begin(), ids.end(), BetterFirst{score_});
  } else {
    std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(keep), ids.end(),
                      BetterFirst{score_});
    ids.resize(keep);
  }
}

std::vector<double> VocabLogits::probabilities() const {
  std::vector<double> probs(score_.size(), 0.0);
  const double lse = log_sum_exp();
  if (lse == kRemoved) return probs;
  for_each_candidate([&](std::size_t i) {
    if (score_[i] != kRemoved) probs[i] = std::exp(score_[i] - lse);
  });
  return probs;
}

double VocabLogits::kth_largest(int k) const {
  if (k <= 0 || score_.empty()) return std::numeric_limits<double>::infinity();
  if (k >= size()) return *std::min_element(score_.begin(), score_.end());
  std::vector<double> copy = score_;
  // nth_element with a descending comparator puts the k-th largest at k-1.
  std::nth_element(copy.begin(), copy.begin() + (k - 1), copy.end(), std::greater<double>());
  return copy[static_cast<std::size_t>(k - 1)];
}

std::int32_t VocabLogits::best_id() const {
  std::int32_t best = -1;
  for_each_candidate([&](std::size_t i) {
    if (score_[i] == kRemoved) return;
    if (best < 0 || score_[i] > score_[static_cast<std::size_t>(best)]) {
      best = static_cast<std::int32_t>(i);
    }
  });
  return best;
}

std::vector<double> log_softmax(std::span<const float> logits) {
  // [vocab] -> [vocab]: x - log_sum_exp(x)
  const double lse = beamscope::log_sum_exp(logits);
  std::vector<double> out(logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) out[i] = static_cast<double>(logits[i]) - lse;
  return out;
}

}  // namespace beamscope
