// The cached raw order (LogitsSummary) and the order hint VocabLogits sorts
// with: whatever the hint, alive_sorted_desc / best_alive give exactly the
// sorted survivors, and the summary matches log_softmax bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <random>

#include "decoding/logits_summary.h"
#include "decoding/vocab_logits.h"

using namespace beamscope;

namespace {

// The reference: every survivor, sorted by (score desc, id asc).
std::vector<std::int32_t> sorted_survivors(const VocabLogits& s) {
  std::vector<std::int32_t> ids;
  for (std::int32_t i = 0; i < s.size(); ++i) {
    if (s.alive(i)) ids.push_back(i);
  }
  std::sort(ids.begin(), ids.end(),
            [&](std::int32_t a, std::int32_t b) { return s[a] > s[b] || (s[a] == s[b] && a < b); });
  return ids;
}

std::vector<float> random_logits(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<float> x(static_cast<std::size_t>(n));
  for (float& v : x) v = normal(rng);
  x[7] = x[3];  // a tie, to be broken by the lower id
  return x;
}

std::shared_ptr<const std::vector<std::int32_t>> order_of(const LogitsSummary& s) {
  return std::make_shared<const std::vector<std::int32_t>>(s.order);
}

}  // namespace

TEST(LogitsSummary, ShiftAndOrderMatchLogSoftmax) {
  const std::vector<float> logits = random_logits(500, 1);
  const LogitsSummary summary = summarize_logits(logits);
  const std::vector<double> reference = log_softmax(logits);
  for (std::int32_t id = 0; id < 500; ++id) {
    EXPECT_EQ(summary.raw_logprob(logits, id), reference[static_cast<std::size_t>(id)]);
  }
  EXPECT_EQ(summary.order, sorted_survivors(VocabLogits(reference)));
  EXPECT_EQ(summary.rank_of(logits, summary.order[42]), 42);
}

TEST(LogitsSummary, LogitsThatRoundToOneLogProbGoByIdAsLogSoftmaxSorts) {
  std::vector<float> logits = random_logits(300, 5);
  // -0 and +0 compare equal; 2e-30 and 1e-30 differ as logits but not once
  // the log-sum-exp is subtracted, so the lower id must come first in each pair.
  logits[11] = 0.0f;
  logits[12] = -0.0f;
  logits[20] = 2e-30f;
  logits[21] = 1e-30f;
  logits[30] = 1e-30f;
  logits[31] = 2e-30f;
  const LogitsSummary summary = summarize_logits(logits);
  EXPECT_EQ(summary.order, sorted_survivors(VocabLogits(log_softmax(logits))));
  // Ids 20 and 31 (2e-30) lead their run by logit, not by log-prob.
  EXPECT_FALSE(summary.sorts_logits);
  EXPECT_TRUE(summarize_logits(random_logits(300, 5)).sorts_logits);
}

TEST(OrderHint, KeptOrderUnderTemperatureAndTruncation) {
  const std::vector<float> logits = random_logits(500, 2);
  const LogitsSummary summary = summarize_logits(logits);
  VocabLogits s(logits);
  s.set_order_hint(order_of(summary));
  for (double& v : s.mutable_values()) v /= 0.7;
  for (std::int32_t id = 0; id < s.size(); id += 3) s.remove(id);
  EXPECT_EQ(s.alive_sorted_desc(), sorted_survivors(s));
  const std::vector<std::int32_t> all = sorted_survivors(s);
  EXPECT_EQ(s.best_alive(10), std::vector<std::int32_t>(all.begin(), all.begin() + 10));
}

TEST(OrderHint, AReorderingStageFallsBackToTheSort) {
  const std::vector<float> logits = random_logits(500, 3);
  const LogitsSummary summary = summarize_logits(logits);
  VocabLogits s(logits);
  s.set_order_hint(order_of(summary));
  // A penalty-like change: the worst token becomes the best, one ties another.
  s[summary.order.back()] = 100.0;
  s[summary.order[5]] = s[summary.order[2]];
  EXPECT_EQ(s.alive_sorted_desc(), sorted_survivors(s));
  EXPECT_EQ(s.best_alive(3).front(), summary.order.back());
}

TEST(OrderHint, AnExactHintStopsBeingTrustedAfterAWrite) {
  const std::vector<float> logits = random_logits(500, 4);
  const LogitsSummary summary = summarize_logits(logits);
  VocabLogits s(log_softmax(logits));
  s.set_order_hint(order_of(summary), /*exact=*/true);
  EXPECT_EQ(s.best_alive(5),
            std::vector<std::int32_t>(summary.order.begin(), summary.order.begin() + 5));
  s[summary.order[400]] = 0.0;  // now the best
  EXPECT_EQ(s.best_alive(1).front(), summary.order[400]);
  EXPECT_EQ(s.alive_sorted_desc(), sorted_survivors(s));
}

// A caller that knows how many survive (sampling's draw table, from the
// chain's count) gets the same heads, however few survive and whatever the
// hint: found all, walked past a reordering, or asked for more than survive.
TEST(OrderHint, AKnownSurvivorCountGivesTheSameHeads) {
  const std::vector<float> logits = random_logits(500, 6);
  const LogitsSummary summary = summarize_logits(logits);
  for (int variant = 0; variant < 3; ++variant) {
    VocabLogits s(logits);
    s.set_order_hint(order_of(summary));
    for (double& v : s.mutable_values()) v /= 0.7;
    if (variant >= 1) {  // a min-p-like cut: a handful survive
      const double floor = s[summary.order[9]];
      s.remove_if([&](double v) { return v < floor; });
    }
    if (variant == 2) s[summary.order[7]] = 100.0;  // a penalty reordered them
    const std::vector<std::int32_t> all = sorted_survivors(s);
    const auto alive = static_cast<std::size_t>(s.alive_count());
    ASSERT_EQ(alive, all.size());
    for (std::size_t k : {std::size_t{0}, std::size_t{1}, std::size_t{5}, alive, alive + 7}) {
      const std::size_t n = std::min(k, alive);
      EXPECT_EQ(s.best_alive(k, alive), std::vector<std::int32_t>(all.begin(), all.begin() + n))
          << "variant " << variant << ", k " << k;
    }
  }
}
