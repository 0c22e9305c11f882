#include "decoding/logits_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace beamscope {

int LogitsSummary::rank_of(std::int32_t id) const {
  const auto it = std::find(order.begin(), order.end(), id);
  return static_cast<int>(it - order.begin());
}

LogitsSummary summarize_logits(std::span<const float> logits) {
  LogitsSummary s;
  // Same arithmetic, in the same order, as log_softmax() (token_scores.cpp).
  double top = -std::numeric_limits<double>::infinity();
  for (float x : logits) top = std::max(top, static_cast<double>(x));
  double sum = 0.0;
  for (float x : logits) sum += std::exp(static_cast<double>(x) - top);
  s.shift = top + std::log(sum);

  // Sorted by the rounded log-probs, not the logits: x - shift can round two
  // close logits to one value, and then the lower id must come first.
  std::vector<double> logprob(logits.size());  // [vocab]
  for (std::size_t i = 0; i < logits.size(); ++i)
    logprob[i] = static_cast<double>(logits[i]) - s.shift;
  s.order.resize(logits.size());
  std::iota(s.order.begin(), s.order.end(), 0);
  std::sort(s.order.begin(), s.order.end(), [&](std::int32_t a, std::int32_t b) {
    const double la = logprob[static_cast<std::size_t>(a)];
    const double lb = logprob[static_cast<std::size_t>(b)];
    return la > lb || (la == lb && a < b);
  });
  return s;
}

}  // namespace beamscope
