// The vectorisable exp the vocabulary-wide log-sum-exp uses, against glibc's
// exp (correctly rounded to within 1 ulp) over its whole domain.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "util/exp_nonpositive.h"
#include "util/log_sum_exp.h"

using namespace beamscope;

TEST(ExpNonPositive, WithinFourUlpOfGlibcDownToItsCutoff) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> wide(-707.0, 0.0), near_zero(-2.0, 0.0);
  double worst = 0.0;
  for (int i = 0; i < 200000; ++i) {
    const double x = i % 2 ? wide(rng) : near_zero(rng);
    const double want = std::exp(x);
    worst = std::max(worst, std::abs(exp_nonpositive(x) - want) / want);
  }
  EXPECT_LT(worst, 4 * std::numeric_limits<double>::epsilon());
  EXPECT_EQ(exp_nonpositive(0.0), 1.0);
  EXPECT_EQ(exp_nonpositive(-0.0), 1.0);
  // Below the cutoff: too small to change 1 + it (the sums it serves).
  for (double x : {-708.0, -1e300, -std::numeric_limits<double>::infinity()}) {
    EXPECT_LT(exp_nonpositive(x), 1e-300) << x;
    EXPECT_EQ(1.0 + exp_nonpositive(x), 1.0) << x;
  }
}

TEST(LogSumExp, MatchesTheLongDoubleSumAndIgnoresRemovedEntries) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<float> x(100003);  // not a multiple of the block or the lanes
  for (float& v : x) v = normal(rng);
  long double top = -INFINITY, sum = 0;
  for (float v : x) top = std::max<long double>(top, v);
  for (float v : x) sum += std::exp(static_cast<long double>(v) - top);
  const double want = static_cast<double>(top + std::log(sum));
  EXPECT_NEAR(log_sum_exp(x), want, 1e-13);
  // The same numbers as doubles give the same bits; -inf adds nothing (the
  // sum's grouping may shift around it).
  std::vector<double> wide(x.begin(), x.end());
  EXPECT_EQ(log_sum_exp(std::span<const double>(wide)), log_sum_exp(x));
  std::vector<double> with_removed = wide;
  with_removed.insert(with_removed.begin() + 500, 77, -std::numeric_limits<double>::infinity());
  EXPECT_NEAR(log_sum_exp(std::span<const double>(with_removed)), log_sum_exp(x), 1e-13);
  EXPECT_EQ(log_sum_exp(std::span<const double>()), -std::numeric_limits<double>::infinity());
}
