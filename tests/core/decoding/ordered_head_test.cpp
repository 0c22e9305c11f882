// Large vocabularies: a summary orders only the head of the distribution
// (logit_order.h), and everything that reads an order — ranks, listed ids,
// the order hint of VocabLogits, the top-p cut — must give exactly what a
// sort of the whole vocabulary gives. Each case is checked against that sort.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "decoding/logits_summary.h"
#include "decoding/sampler_stages.h"
#include "decoding/vocab_logits.h"

using namespace beamscope;

namespace {

constexpr int kVocab = 100000;  // large enough that only a head is ordered

std::vector<float> normal_logits(int n, float sigma, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, sigma);
  std::vector<float> x(static_cast<std::size_t>(n));
  for (float& v : x) v = normal(rng);
  return x;
}

// Every survivor by (score desc, id asc): the whole sort.
std::vector<std::int32_t> sorted_survivors(const std::vector<double>& s) {
  std::vector<std::int32_t> ids;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != kRemoved) ids.push_back(static_cast<std::int32_t>(i));
  }
  std::stable_sort(ids.begin(), ids.end(), [&](std::int32_t a, std::int32_t b) {
    return s[static_cast<std::size_t>(a)] > s[static_cast<std::size_t>(b)];
  });
  return ids;
}

std::vector<std::int32_t> head(const std::vector<std::int32_t>& ids, std::size_t n) {
  return {ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(std::min(n, ids.size()))};
}

// HF's top-p over the whole sorted vocabulary, as top_p_stage.cpp did before
// it ordered only the head: ascending cumulative mass, remove while <= 1 - p.
std::vector<std::int32_t> reference_top_p(const std::vector<double>& s, double p, int min_keep) {
  const std::vector<std::int32_t> order = sorted_survivors(s);
  const double lse = VocabLogits(s).log_sum_exp();
  double tail = 0.0;
  std::vector<std::int32_t> kept;
  for (std::size_t i = order.size(); i-- > 0;) {
    tail += std::exp(s[static_cast<std::size_t>(order[i])] - lse);
    if (tail > 1.0 - p || static_cast<int>(i) < min_keep) kept.push_back(order[i]);
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

std::vector<std::int32_t> survivors(const VocabLogits& s) {
  std::vector<std::int32_t> ids;
  for (std::int32_t i = 0; i < s.size(); ++i) {
    if (s.alive(i)) ids.push_back(i);
  }
  return ids;
}

}  // namespace

TEST(OrderedHead, IsTheHeadOfTheWholeOrderAndRanksBeyondItCount) {
  std::vector<float> logits = normal_logits(kVocab, 3.0f, 11);
  logits[5] = logits[9];  // a tie inside the head's range or not: the lower id first
  const LogitsSummary summary = summarize_logits(logits);
  const std::vector<std::int32_t> whole = sorted_survivors(log_softmax(logits));
  ASSERT_FALSE(summary.order_complete);
  ASSERT_GE(summary.order.size(), kOrderedIds);
  EXPECT_LT(summary.order.size(), whole.size() / 4);
  EXPECT_EQ(summary.order, head(whole, summary.order.size()));
  EXPECT_EQ(summary.best_ids(logits, 30000), head(whole, 30000));
  for (std::size_t rank : {0ul, 17ul, 2047ul, 5000ul, 60000ul, 99999ul}) {
    EXPECT_EQ(summary.rank_of(logits, whole[rank]), static_cast<int>(rank)) << rank;
  }
  const LogitsSummary complete = summarize_logits(logits, SIZE_MAX);
  EXPECT_TRUE(complete.order_complete);
  EXPECT_EQ(complete.order, whole);
}

TEST(OrderedHead, RunsOfEqualLogProbsAtTheHeadsEndStayWhole) {
  // Logits on a coarse grid: long runs of ties, one of them across where the
  // head would end; the head must not cut a run (it is ordered by id).
  std::vector<float> logits = normal_logits(kVocab, 3.0f, 12);
  for (float& x : logits) x = std::round(x * 4.0f) / 4.0f;
  const LogitsSummary summary = summarize_logits(logits);
  const std::vector<std::int32_t> whole = sorted_survivors(log_softmax(logits));
  EXPECT_EQ(summary.order, head(whole, summary.order.size()));
  EXPECT_GE(summary.order.size(), kOrderedIds);
  // All equal: no head is shorter than the whole; everything is ordered.
  const std::vector<float> flat(kVocab, 1.5f);
  const LogitsSummary all = summarize_logits(flat);
  EXPECT_TRUE(all.order_complete);
  EXPECT_EQ(all.order, sorted_survivors(log_softmax(flat)));
}

TEST(OrderedHead, HintWalksTheHeadAndFallsBackBeyondIt) {
  const std::vector<float> logits = normal_logits(kVocab, 3.0f, 13);
  const LogitsSummary summary = summarize_logits(logits);
  const auto hint = std::make_shared<const std::vector<std::int32_t>>(summary.order);

  // Temperature and a truncation keep the order: head walked, rest checked.
  VocabLogits s(logits);
  s.set_order_hint(hint);
  for (double& v : s.mutable_values()) v /= 0.7;
  for (std::int32_t id = 0; id < s.size(); id += 3) s.remove(id);
  const std::vector<std::int32_t> all = sorted_survivors(s.values());
  EXPECT_EQ(s.best_alive(10), head(all, 10));
  EXPECT_EQ(s.best_alive(1500), head(all, 1500));
  EXPECT_EQ(s.best_alive(5000), head(all, 5000));  // more than the head holds
  EXPECT_EQ(s.alive_sorted_desc(), all);

  // A penalty-like write lifts a token from outside the head to the top.
  const std::int32_t outsider = summarize_logits(logits, SIZE_MAX).order[50000];
  s[outsider] = 1000.0;
  EXPECT_EQ(s.best_alive(3).front(), outsider);
  EXPECT_EQ(s.best_alive(100), head(sorted_survivors(s.values()), 100));

  // An exact hint (log-softmax values, no stage) over a head only.
  VocabLogits exact(summary.log_softmax(logits));
  exact.set_order_hint(hint, /*exact=*/true);
  const std::vector<std::int32_t> exact_all = sorted_survivors(exact.values());
  EXPECT_EQ(exact.best_alive(20), head(exact_all, 20));
  EXPECT_EQ(exact.best_alive(summary.order.size() + 10),
            head(exact_all, summary.order.size() + 10));
}

TEST(OrderedHead, TopPEqualsTheCutOverTheWholeSortedVocabulary) {
  struct Case {
    float sigma;
    double temperature, top_p;
    int min_keep;
  };
  // Peaked (the cut inside the first head), flat (a few rounds of a longer
  // head, or the whole vocabulary), and min_keep beyond the cut.
  for (const Case& c : {Case{3.0f, 0.7, 0.9, 1}, Case{3.0f, 1.0, 0.5, 1}, Case{0.5f, 1.0, 0.9, 1},
                        Case{0.05f, 1.0, 0.95, 1}, Case{3.0f, 0.7, 0.9, 3000}}) {
    const std::vector<float> logits = normal_logits(kVocab, c.sigma, 14);
    const LogitsSummary summary = summarize_logits(logits);
    VocabLogits s(logits);
    s.set_order_hint(std::make_shared<const std::vector<std::int32_t>>(summary.order));
    for (double& v : s.mutable_values()) v /= c.temperature;
    const std::vector<std::int32_t> expected = reference_top_p(s.values(), c.top_p, c.min_keep);
    const double kept_mass = make_top_p_stage(c.top_p, c.min_keep)->apply(s, StageContext{});
    EXPECT_EQ(survivors(s), expected) << "sigma " << c.sigma << " top_p " << c.top_p;
    EXPECT_GT(kept_mass, std::min(c.top_p, 1.0) - 1e-12);
  }
}

// After top-p or top-k the stages and sums after them walk a list of the
// survivors, not the vocabulary: every read must equal the same read of the
// same scores without the list (a VocabLogits built from its values), and
// the stages after them must cut the same tokens.
TEST(OrderedHead, SurvivorListGivesWhatTheWholeVocabularyGives) {
  const std::vector<float> logits = normal_logits(kVocab, 3.0f, 21);
  const LogitsSummary summary = summarize_logits(logits);
  for (const bool top_p : {true, false}) {
    SCOPED_TRACE(top_p ? "top-p 0.9" : "top-k 700");
    VocabLogits listed(logits);
    listed.set_order_hint(std::make_shared<const std::vector<std::int32_t>>(summary.order));
    for (double& v : listed.mutable_values()) v /= 0.7;
    const auto cut = top_p ? make_top_p_stage(0.9, 1) : make_top_k_stage(700, 1);
    cut->apply(listed, StageContext{});
    VocabLogits whole(listed.values());
    ASSERT_GT(listed.alive_count(), 100);
    EXPECT_EQ(listed.alive_count(), whole.alive_count());
    EXPECT_EQ(listed.max_score(), whole.max_score());
    EXPECT_NEAR(listed.log_sum_exp(), whole.log_sum_exp(), 1e-13);
    EXPECT_EQ(listed.best_id(), whole.best_id());
    EXPECT_EQ(listed.alive_sorted_desc(), sorted_survivors(whole.values()));
    EXPECT_EQ(listed.best_alive(50), head(sorted_survivors(whole.values()), 50));
    const std::vector<double> p_listed = listed.probabilities(), p_whole = whole.probabilities();
    for (std::size_t i = 0; i < p_whole.size(); ++i) ASSERT_NEAR(p_listed[i], p_whole[i], 1e-15);
    // min-p after the cut: the same tokens go, walking the list or not.
    const auto min_p = make_min_p_stage(0.05, 1);
    min_p->apply(listed, StageContext{});
    min_p->apply(whole, StageContext{});
    EXPECT_EQ(survivors(listed), survivors(whole));
    EXPECT_LT(listed.alive_count(), 100);
  }
}

TEST(OrderedHead, TopKKeepsTiesWithTheKthAndNothingWhenFewerSurvive) {
  // Scores 0, 1, 1, 1, 2 (ids 0..4): top-k 2 keeps 4 and every 1 (ties with
  // the 2nd largest stay, as HF's `scores < kth` removal keeps them).
  VocabLogits s(std::vector<double>{0, 1, 1, 1, 2});
  make_top_k_stage(2, 1)->apply(s, StageContext{});
  EXPECT_EQ(survivors(s), (std::vector<std::int32_t>{1, 2, 3, 4}));
  // Two survivors and k 3: the 3rd largest is -inf, nothing goes.
  VocabLogits few(std::vector<double>{kRemoved, 0.5, kRemoved, 0.25});
  make_top_k_stage(3, 1)->apply(few, StageContext{});
  EXPECT_EQ(survivors(few), (std::vector<std::int32_t>{1, 3}));
}
