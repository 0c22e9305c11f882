// Each sampler stage on hand-made distributions; expected kept sets worked
// out in the comments (HF semantics, see sampler_stages.h).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "decoding/sampler_chain.h"
#include "decoding/sampler_stages.h"

using namespace beamscope;

namespace {

// Scores = log(p), so softmax gives back p.
VocabLogits from_probs(std::vector<double> p) {
  std::vector<double> s;
  for (double x : p) s.push_back(std::log(x));
  return VocabLogits(std::move(s));
}

std::set<std::int32_t> kept(const VocabLogits& s) {
  std::set<std::int32_t> ids;
  for (std::int32_t i = 0; i < s.size(); ++i) {
    if (s.alive(i)) ids.insert(i);
  }
  return ids;
}

std::set<std::int32_t> apply(const SamplerStage& stage, std::vector<double> probs,
                             std::vector<std::int32_t> history = {}) {
  VocabLogits s = from_probs(std::move(probs));
  stage.apply(s, StageContext{history});
  return kept(s);
}

using Ids = std::set<std::int32_t>;

}  // namespace

TEST(TopK, KeepsTheKBestAndAllTiesAtTheKth) {
  EXPECT_EQ(apply(*make_top_k_stage(2), {0.1, 0.5, 0.3, 0.1}), (Ids{1, 2}));
  // 0.1 ties at the 3rd place: HF keeps every score >= the 3rd largest.
  EXPECT_EQ(apply(*make_top_k_stage(3), {0.1, 0.5, 0.3, 0.1}), (Ids{0, 1, 2, 3}));
  EXPECT_EQ(apply(*make_top_k_stage(1), {0.1, 0.5, 0.3, 0.1}), (Ids{1}));
}

TEST(TopK, KAtLeastVocabKeepsAll) {
  EXPECT_EQ(apply(*make_top_k_stage(4), {0.1, 0.5, 0.3, 0.1}), (Ids{0, 1, 2, 3}));
  EXPECT_EQ(apply(*make_top_k_stage(1000), {0.1, 0.5, 0.3, 0.1}), (Ids{0, 1, 2, 3}));
}

TEST(TopP, RemovesTheTailWhoseAscendingMassIsAtMostOneMinusP) {
  // p = .5 .3 .15 .05; ascending cumsum .05 .20 .50 1.0; top_p .75 removes
  // cum <= .25 -> {.05, .15}.
  EXPECT_EQ(apply(*make_top_p_stage(0.75), {0.5, 0.3, 0.15, 0.05}), (Ids{0, 1}));
  // top_p .9: removes cum <= .1 -> only .05.
  EXPECT_EQ(apply(*make_top_p_stage(0.9), {0.5, 0.3, 0.15, 0.05}), (Ids{0, 1, 2}));
  // top_p .45: removes cum <= .55 -> keeps only the best.
  EXPECT_EQ(apply(*make_top_p_stage(0.45), {0.5, 0.3, 0.15, 0.05}), (Ids{0}));
}

TEST(TopP, ZeroKeepsTheBestToken) {
  EXPECT_EQ(apply(*make_top_p_stage(0.0), {0.2, 0.5, 0.3}), (Ids{1}));
}

TEST(TopP, ThresholdIsTheKeptMass) {
  VocabLogits s = from_probs({0.5, 0.3, 0.15, 0.05});
  const double mass = make_top_p_stage(0.75)->apply(s, {});
  EXPECT_NEAR(mass, 0.8, 1e-12);
}

TEST(MinP, RemovesBelowMinPTimesTheMax) {
  // p_max .5, min_p .5 -> threshold .25: keeps .5 and .3.
  VocabLogits s = from_probs({0.5, 0.3, 0.15, 0.05});
  const double threshold = make_min_p_stage(0.5)->apply(s, {});
  EXPECT_NEAR(threshold, 0.25, 1e-12);
  EXPECT_EQ(kept(s), (Ids{0, 1}));
}

TEST(MinP, OneKeepsOnlyTheMaxAndItsTies) {
  EXPECT_EQ(apply(*make_min_p_stage(1.0), {0.2, 0.5, 0.3}), (Ids{1}));
  EXPECT_EQ(apply(*make_min_p_stage(1.0), {0.4, 0.2, 0.4}), (Ids{0, 2}));
}

TEST(Temperature, DividesScores) {
  VocabLogits s = from_probs({0.5, 0.5});
  make_temperature_stage(2.0)->apply(s, {});
  EXPECT_NEAR(s[0], std::log(0.5) / 2, 1e-12);
}

TEST(Temperature, ZeroIsGreedy) {
  EXPECT_EQ(apply(*make_temperature_stage(0.0), {0.2, 0.5, 0.3}), (Ids{1}));
  EXPECT_EQ(apply(*make_temperature_stage(0.0), {0.4, 0.2, 0.4}), (Ids{0}));  // ties: lower id
}

TEST(RepetitionPenalty, DividesPositiveAndMultipliesNegativeScoresOncePerId) {
  VocabLogits s(std::vector<double>{2.0, -1.0, 0.5});
  const std::vector<std::int32_t> history{0, 1, 0};  // id 0 twice: penalised once
  make_repetition_penalty_stage(2.0)->apply(s, StageContext{history});
  EXPECT_DOUBLE_EQ(s[0], 1.0);
  EXPECT_DOUBLE_EQ(s[1], -2.0);
  EXPECT_DOUBLE_EQ(s[2], 0.5);
}

TEST(NoRepeatNgram, BansTokensThatWouldRepeatAnNgram) {
  // history 1 2 3 1 2, n = 3: the tail (1 2) was followed by 3 -> ban 3.
  EXPECT_EQ(apply(*make_no_repeat_ngram_stage(3), {0.2, 0.2, 0.2, 0.2, 0.2}, {1, 2, 3, 1, 2}),
            (Ids{0, 1, 2, 4}));
  // n = 2: tail (2) was followed by 3 -> ban 3 as well.
  EXPECT_EQ(apply(*make_no_repeat_ngram_stage(2), {0.2, 0.2, 0.2, 0.2, 0.2}, {1, 2, 3, 1, 2}),
            (Ids{0, 1, 2, 4}));
  // n = 1 bans every seen token.
  EXPECT_EQ(apply(*make_no_repeat_ngram_stage(1), {0.2, 0.2, 0.2, 0.2, 0.2}, {1, 2, 3, 1, 2}),
            (Ids{0, 4}));
  // Too short a history for n = 4 + 1 > 5... here 5 + 1 >= 4: (2 3 1 2)? no
  // earlier match of (3 1 2) -> nothing banned.
  EXPECT_EQ(apply(*make_no_repeat_ngram_stage(4), {0.2, 0.2, 0.2, 0.2, 0.2}, {1, 2, 3, 1, 2}),
            (Ids{0, 1, 2, 3, 4}));
}

TEST(TypicalP, KeepsTheTokensClosestToTheExpectedSurprise) {
  // p = .4 .3 .2 .1; H = -sum p ln p = 1.2799. |-ln p - H|: .3636 .0759
  // .3296 1.0227 -> order: tok1 (.3), tok2 (.2), tok0 (.4), tok3 (.1).
  // mass .45: cumulative .3 (< .45), .5 (not) -> last index 1 -> keep
  // distances <= .3296: tok1, tok2. The most likely token goes!
  EXPECT_EQ(apply(*make_typical_p_stage(0.45), {0.4, 0.3, 0.2, 0.1}), (Ids{1, 2}));
  // mass .55: cumulative .3 .5 (< .55) .9 -> last index 2 -> tok1 tok2 tok0.
  EXPECT_EQ(apply(*make_typical_p_stage(0.55), {0.4, 0.3, 0.2, 0.1}), (Ids{0, 1, 2}));
  // mass .95: cumulative .9 < .95 too -> all four.
  EXPECT_EQ(apply(*make_typical_p_stage(0.95), {0.4, 0.3, 0.2, 0.1}), (Ids{0, 1, 2, 3}));
}

TEST(Epsilon, RemovesTokensBelowEpsilon) {
  EXPECT_EQ(apply(*make_epsilon_stage(0.1), {0.5, 0.3, 0.15, 0.05}), (Ids{0, 1, 2}));
  // Everything below epsilon: the best token stays (min_tokens_to_keep 1).
  EXPECT_EQ(apply(*make_epsilon_stage(0.9), {0.5, 0.3, 0.15, 0.05}), (Ids{0}));
}

TEST(Chain, HfAndLlamaCppOrdersKeepDifferentSets) {
  // p = .6 .3 .1, temperature 2, top_p .55.
  // hf: temperature first -> p ~ sqrt(p) = .4727 .3343 .1930; ascending
  //     cumsum .193 .527 1 -> removes <= .45 -> {0, 1}.
  // llamacpp: top_p on the untempered p: ascending cumsum .1 .4 1 -> removes
  //     <= .45 -> {0}.
  DecodeParams p;
  p.temperature = 2.0;
  p.top_p = 0.55;
  p.order = ChainOrder::Hf;
  VocabLogits hf = from_probs({0.6, 0.3, 0.1});
  SamplerChain(p, ChainScope::Sampling).apply(hf, {});
  p.order = ChainOrder::LlamaCpp;
  VocabLogits llama = from_probs({0.6, 0.3, 0.1});
  SamplerChain(p, ChainScope::Sampling).apply(llama, {});
  EXPECT_EQ(kept(hf), (Ids{0, 1}));
  EXPECT_EQ(kept(llama), (Ids{0}));
}

TEST(Chain, MinPAfterOrBeforeTemperature) {
  // p = .6 .3 .1, T = 2, min_p .4. hf (after T): .4 * .4727 = .189 <= .1930
  // -> all kept. llamacpp (before T): .4 * .6 = .24 > .1 -> {0, 1}.
  DecodeParams p;
  p.temperature = 2.0;
  p.min_p = 0.4;
  VocabLogits hf = from_probs({0.6, 0.3, 0.1});
  SamplerChain(p, ChainScope::Sampling).apply(hf, {});
  p.order = ChainOrder::LlamaCpp;
  VocabLogits llama = from_probs({0.6, 0.3, 0.1});
  SamplerChain(p, ChainScope::Sampling).apply(llama, {});
  EXPECT_EQ(kept(hf), (Ids{0, 1, 2}));
  EXPECT_EQ(kept(llama), (Ids{0, 1}));
}

TEST(Chain, CustomOrderAndNeutralStagesLeftOut) {
  DecodeParams p;
  p.order = ChainOrder::Custom;
  p.custom_order = {"top_k", "temperature", "min_p"};
  p.top_k = 3;
  p.temperature = 0.7;
  EXPECT_EQ(SamplerChain(p, ChainScope::Sampling).stage_names(),
            (std::vector<std::string>{"top_k", "temperature"}));
  EXPECT_TRUE(SamplerChain(p, ChainScope::PenaltiesOnly).empty());
  p.repetition_penalty = 1.3;
  EXPECT_EQ(SamplerChain(p, ChainScope::PenaltiesOnly).stage_names(),
            (std::vector<std::string>{"repetition_penalty"}));
}

TEST(Chain, RecordsTheCutOfEveryStage) {
  // p = .5 .3 .15 .05; top_k 3 then top_p .75 (hf order).
  DecodeParams p;
  p.top_k = 3;
  p.top_p = 0.75;
  VocabLogits s = from_probs({0.5, 0.3, 0.15, 0.05});
  const std::vector<std::int32_t> listed{0, 1, 2, 3};
  const auto cuts = SamplerChain(p, ChainScope::Sampling).apply_recording(s, {}, listed);
  ASSERT_EQ(cuts.size(), 2u);
  EXPECT_EQ(cuts[0].stage, "top_k");
  EXPECT_EQ(cuts[0].kept_total, 3);
  // After top-k: renormalised over .95.
  EXPECT_NEAR(cuts[0].probs[0], 0.5 / 0.95, 1e-6);
  EXPECT_EQ(cuts[0].probs[3], 0.0f);
  EXPECT_NEAR(cuts[0].threshold, 0.15, 1e-12);  // p of the k-th token
  // top_p .75 on (.5263 .3158 .1579): ascending cumsum .158 .474 1 -> removes
  // <= .25 -> {0, 1}; kept mass .8421.
  EXPECT_EQ(cuts[1].stage, "top_p");
  EXPECT_EQ(cuts[1].kept_total, 2);
  EXPECT_NEAR(cuts[1].probs[0], 0.5 / 0.8, 1e-6);
  EXPECT_NEAR(cuts[1].threshold, 0.8 / 0.95, 1e-9);
}
