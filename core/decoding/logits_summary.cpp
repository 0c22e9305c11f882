#include "decoding/logits_summary.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "decoding/logit_order.h"
#include "util/log_sum_exp.h"

namespace beamscope {

namespace {

// Ids by rounded log-prob, ties to the lower id, from an order by logit:
// x - log_sum_exp can round close logits to one value, and then the lower id
// must come first. Logit order already has those equal log-probs next to each
// other; each such run is re-sorted by id. When the order is only the head of
// the vocabulary, its last run may continue among the ids left out, so it is
// dropped (every id kept then has a higher log-prob than any left out).
void order_by_logprob(const LogitsSummary& s, std::span<const float> logits, LogitOrder& order) {
  std::vector<std::int32_t>& ids = order.ids;
  const auto logprob = [&](std::int32_t id) { return s.raw_logprob(logits, id); };
  std::size_t last_run = 0;
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t end = i + 1;
    while (end < ids.size() && logprob(ids[end]) == logprob(ids[i])) ++end;
    if (end - i > 1) {
      std::sort(ids.begin() + static_cast<std::ptrdiff_t>(i),
                ids.begin() + static_cast<std::ptrdiff_t>(end));
    }
    last_run = i;
    i = end;
  }
  if (!order.complete) ids.resize(last_run);
}

// The head of the whole order, at least `n` ids long (or all of them).
LogitOrder head_of_order(const LogitsSummary& s, std::span<const float> logits, std::size_t n) {
  // Some margin for the run that order_by_logprob drops at the end.
  const std::size_t margin = n / 8 + 64;
  LogitOrder order = order_by_logit(logits, n > SIZE_MAX - margin ? n : n + margin);
  order_by_logprob(s, logits, order);
  // A head that ended in a run longer than the margin: order everything.
  if (!order.complete && order.ids.size() < n) {
    order = order_by_logit(logits, logits.size());
    order_by_logprob(s, logits, order);
  }
  return order;
}

}  // namespace

int LogitsSummary::rank_of(std::span<const float> logits, std::int32_t id) const {
  const auto it = std::find(order.begin(), order.end(), id);
  if (it != order.end() || order_complete) return static_cast<int>(it - order.begin());
  // Beyond the ordered head: count the ids ahead of it in the whole order.
  const double own = raw_logprob(logits, id);
  int ahead = 0;
  for (std::size_t j = 0; j < logits.size(); ++j) {
    const double other = static_cast<double>(logits[j]) - log_sum_exp;
    ahead += other > own || (other == own && static_cast<std::int32_t>(j) < id);
  }
  return ahead;
}

std::vector<std::int32_t> LogitsSummary::best_ids(std::span<const float> logits,
                                                  std::size_t n) const {
  if (n <= order.size() || order_complete) {
    const std::size_t count = std::min(n, order.size());
    return {order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count)};
  }
  std::vector<std::int32_t> ids = head_of_order(*this, logits, n).ids;
  if (ids.size() > n) ids.resize(n);
  return ids;
}

std::vector<double> LogitsSummary::log_softmax(std::span<const float> logits) const {
  std::vector<double> out(logits.begin(), logits.end());
  for (double& x : out) x -= log_sum_exp;
  return out;
}

LogitsSummary summarize_logits(std::span<const float> logits, std::size_t ordered_at_least) {
  LogitsSummary s;
  // The one log-sum-exp, so log_softmax() (token_scores.cpp) subtracts the
  // very same number.
  s.log_sum_exp = beamscope::log_sum_exp(logits);
  // -inf only reaches here from a top-N source (the dense check refuses it):
  // its entries are log-probs already, and the rest of the mass is unknown.
  const auto finite = std::count_if(logits.begin(), logits.end(), [](float x) {
    return x != -std::numeric_limits<float>::infinity();
  });
  if (finite < static_cast<std::ptrdiff_t>(logits.size())) {
    s.known = static_cast<int>(finite);
    s.unknown_mass = std::max(0.0, 1.0 - std::exp(s.log_sum_exp));
    s.log_sum_exp = 0.0;
  }

  LogitOrder order = head_of_order(s, logits, ordered_at_least);
  s.order = std::move(order.ids);
  s.order_complete = order.complete;
  for (std::size_t i = 0; i + 1 < s.order.size(); ++i) {
    const float a = logits[static_cast<std::size_t>(s.order[i])];
    const float b = logits[static_cast<std::size_t>(s.order[i + 1])];
    if (a < b || (a == b && s.order[i] > s.order[i + 1])) {
      s.sorts_logits = false;
      break;
    }
  }
  return s;
}

}  // namespace beamscope
