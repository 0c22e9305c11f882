#include "util/log_sum_exp.h"

#include "util/exp_nonpositive.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace beamscope {

namespace {

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
constexpr std::size_t kLanes = 8;

// Eight independent running maxima, so the loop is not one long chain of
// dependent compares (max is exact in any order; only the sign of a zero
// maximum may differ, which no caller can tell apart).
template <class T>
double max_of(std::span<const T> values) {
  double lane[kLanes];
  std::fill(lane, lane + kLanes, kMinusInf);
  std::size_t i = 0;
  for (; i + kLanes <= values.size(); i += kLanes) {
    for (std::size_t l = 0; l < kLanes; ++l)
      lane[l] = std::max(lane[l], static_cast<double>(values[i + l]));
  }
  double best = kMinusInf;
  for (; i < values.size(); ++i) best = std::max(best, static_cast<double>(values[i]));
  for (double m : lane) best = std::max(best, m);
  return best;
}

// sum(exp(x - top)) in double. This runs several times per tree node over the
// whole vocabulary (262,144 entries for Gemma 3), where a scalar exp per entry
// cost more than a tenth of a small model's decode step: the entries that are
// not -inf (a removed token adds nothing; after a truncation few remain) are
// gathered in blocks, widened and shifted, exponentiated by a vectorised exp
// (exp_nonpositive.h), and summed into kLanes partial sums by their position in
// the block mod kLanes; the lanes are added in order at the end. Blocks and
// lanes depend only on the values (not on their type or address), so the same
// numbers give the same bits wherever they are summed.
template <class T>
double sum_exp_shifted(std::span<const T> values, double top) {
  constexpr std::size_t kBlock = 512;  // a multiple of kLanes, on the stack
  alignas(64) double block[kBlock];
  double lane[kLanes] = {};
  const auto add_block = [&](std::size_t m) {
    for (std::size_t j = 0; j < m; ++j) block[j] = exp_nonpositive(block[j]);
    std::size_t j = 0;
    for (; j + kLanes <= m; j += kLanes) {
      for (std::size_t l = 0; l < kLanes; ++l) lane[l] += block[j + l];
    }
    for (; j < m; ++j) lane[j % kLanes] += block[j];
  };
  constexpr T kRemovedEntry = -std::numeric_limits<T>::infinity();
  std::size_t m = 0;
  // Groups of kLanes: a group with no removed entry is copied as a whole (the
  // compiler vectorises it), one with some is gathered entry by entry (written
  // always, kept only when finite: no branch to mispredict), one with all
  // removed (most of them after a truncation) is skipped.
  const std::size_t n = values.size();
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    std::size_t finite = 0;
    for (std::size_t l = 0; l < kLanes; ++l) finite += values[i + l] != kRemovedEntry;
    if (finite == kLanes) {
      for (std::size_t l = 0; l < kLanes; ++l)
        block[m + l] = static_cast<double>(values[i + l]) - top;
      m += kLanes;
    } else if (finite > 0) {
      for (std::size_t l = 0; l < kLanes; ++l) {
        block[m] = static_cast<double>(values[i + l]) - top;
        m += values[i + l] != kRemovedEntry;
      }
    }
    if (m > kBlock - kLanes) {
      add_block(m);
      m = 0;
    }
  }
  for (; i < n; ++i) {  // fewer than kLanes: m stays within the block
    block[m] = static_cast<double>(values[i]) - top;
    m += values[i] != kRemovedEntry;
  }
  add_block(m);
  double sum = 0.0;
  for (double s : lane) sum += s;
  return sum;
}

template <class T>
double log_sum_exp_of(std::span<const T> values) {
  const double top = max_of(values);
  if (top == kMinusInf) return kMinusInf;
  return top + std::log(sum_exp_shifted(values, top));
}

}  // namespace

double log_sum_exp(std::span<const float> values) { return log_sum_exp_of(values); }
double log_sum_exp(std::span<const double> values) { return log_sum_exp_of(values); }
double max_value(std::span<const double> values) { return max_of(values); }

}  // namespace beamscope
