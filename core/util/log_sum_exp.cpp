#include "util/log_sum_exp.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace beamscope {

namespace {

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

// Eight independent running maxima, so the loop is not one long chain of
// dependent compares (max is exact in any order; only the sign of a zero
// maximum may differ, which no caller can tell apart).
template <class T>
double max_of(std::span<const T> values) {
  constexpr std::size_t kLanes = 8;
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

template <class T>
double log_sum_exp_of(std::span<const T> values) {
  const double top = max_of(values);
  if (top == kMinusInf) return kMinusInf;
  double sum = 0.0;
  for (T x : values) {
    // exp(-inf - top) is 0 and would add nothing; skipping it saves the exp.
    if (x != -std::numeric_limits<T>::infinity()) sum += std::exp(static_cast<double>(x) - top);
  }
  return top + std::log(sum);
}

}  // namespace

double log_sum_exp(std::span<const float> values) { return log_sum_exp_of(values); }
double log_sum_exp(std::span<const double> values) { return log_sum_exp_of(values); }
double max_value(std::span<const double> values) { return max_of(values); }

}  // namespace beamscope
