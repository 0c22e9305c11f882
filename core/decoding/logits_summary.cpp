#include "decoding/logits_summary.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

#include "util/log_sum_exp.h"

namespace beamscope {

int LogitsSummary::rank_of(std::int32_t id) const {
  const auto it = std::find(order.begin(), order.end(), id);
  return static_cast<int>(it - order.begin());
}

namespace {

// A key whose ascending order is the float's descending order (-0 taken as
// +0, as the comparison does): the IEEE bits, sign-folded, inverted.
std::uint32_t descending_key(float x) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x + 0.0f);
  const std::uint32_t ascending = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
  return ~ascending;
}

// Ids by logit, best first, ties to the lower id: a stable LSD radix sort of
// the keys (3 passes of 11 bits) over ids that start in ascending order. A
// comparison sort of the vocabulary per cached prefix would cost more than
// the decode step that produced it.
std::vector<std::int32_t> ids_by_logit(std::span<const float> logits) {
  const std::size_t n = logits.size();
  std::vector<std::uint32_t> key(n), key_out(n);
  std::vector<std::int32_t> id(n), id_out(n);
  for (std::size_t i = 0; i < n; ++i) {
    key[i] = descending_key(logits[i]);
    id[i] = static_cast<std::int32_t>(i);
  }
  constexpr int kBits = 11;
  constexpr std::uint32_t kMask = (1u << kBits) - 1;
  for (int shift = 0; shift < 32; shift += kBits) {
    std::vector<std::size_t> start(kMask + 2, 0);
    for (std::uint32_t k : key) ++start[((k >> shift) & kMask) + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = start[(key[i] >> shift) & kMask]++;
      key_out[to] = key[i];
      id_out[to] = id[i];
    }
    key.swap(key_out);
    id.swap(id_out);
  }
  return id;
}

}  // namespace

std::vector<double> LogitsSummary::log_softmax(std::span<const float> logits) const {
  std::vector<double> out(logits.begin(), logits.end());
  for (double& x : out) x -= log_sum_exp;
  return out;
}

LogitsSummary summarize_logits(std::span<const float> logits) {
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

  // The order is by the rounded log-probs: x - log_sum_exp can round close logits
  // to one value, and then the lower id must come first. Logit order already
  // has those equal log-probs next to each other; re-sort each such run by id.
  s.order = ids_by_logit(logits);
  const auto logprob = [&](std::int32_t id) { return s.raw_logprob(logits, id); };
  for (std::size_t i = 0; i < s.order.size();) {
    std::size_t end = i + 1;
    while (end < s.order.size() && logprob(s.order[end]) == logprob(s.order[i])) ++end;
    if (end - i > 1) {
      std::sort(s.order.begin() + static_cast<std::ptrdiff_t>(i),
                s.order.begin() + static_cast<std::ptrdiff_t>(end));
    }
    i = end;
  }
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
