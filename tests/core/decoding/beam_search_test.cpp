// Beam search on the toy world, every expected beam and score worked out by
// hand from the table in toy_world.h (ln values to 4 decimals in comments;
// the assertions recompute them exactly with std::log). Tolerance 1e-6: the
// toy model's logits are float(log p), so raw log-probs carry ~1e-7 rounding.
#include <gtest/gtest.h>

#include <cmath>

#include "toy_world.h"

using namespace beamscope;
using namespace beamscope::test;

namespace {

constexpr double kTol = 1e-6;

// Pool arithmetic with num_beams = 2 (pool K = 2 * 2 = 4 candidates):
// step 1, only the prompt beam expands: B ln.5=-.6931, C ln.3=-1.2040,
//   D ln.1=-2.3026, eos ln.06=-2.8134 (rank 4 >= num_beams: pruned).
//   running: [1 B] -.6931, [1 C] -1.2040.
// step 2: [1 B]+eos ln.4 -> -1.6094 (r1, stops: hypothesis -1.6094/2^lp),
//   [1 C]+D ln.6 -> -1.7148 (r2), [1 B]+D ln.3 -> -1.8971 (r3),
//   [1 B]+C ln.2 -> -2.3026 (r4). running: [1 C D] -1.7148, [1 B D] -1.8971.
// step 3: [1 C D]+eos ln.7 -> -2.0715 (r1, hypothesis -2.0715/3^lp),
//   [1 B D]+A ln.5 -> -2.5903 (r2), [1 B D]+eos ln.2 -> -3.5066 (r3: EOS
//   outside top num_beams), [1 C D]+A ln.12 -> -3.8351 (r4).
//   running: [1 B D A] -2.5903, [1 C D A] -3.8351. Two hypotheses kept now.
// step 4 (last, every candidate stops): [1 B D A]+eos ln.9 -> -2.6957 (r1),
//   [1 C D A]+eos ln.3 -> -5.0391 (r2): hypotheses /4^lp.
const double kStep2Eos = std::log(0.5) + std::log(0.4);                  // -1.6094
const double kStep3Eos = std::log(0.3) + std::log(0.6) + std::log(0.7);  // -2.0715
const double kRunning3 = std::log(0.5) + std::log(0.3) + std::log(0.5);  // -2.5903
const double kStep4Eos = kRunning3 + std::log(0.9);                      // -2.6957
const double kStep4Second =
    std::log(0.3) + std::log(0.6) + std::log(0.12) + std::log(0.3);  // -5.0391

struct Answer {
  std::vector<std::int32_t> ids;
  double score;
};

void expect_answers(const DecodeResult& r, const std::vector<Answer>& want) {
  ASSERT_EQ(r.tree.sequences.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.tree.sequences[i].token_ids, want[i].ids) << "answer " << i;
    EXPECT_NEAR(r.tree.sequences[i].score, want[i].score, kTol) << "answer " << i;
    EXPECT_EQ(r.tree.node(r.tree.sequences[i].node).status, NodeStatus::Returned);
  }
}

}  // namespace

TEST(BeamSearch, EarlyStoppingTrueStopsWhenNumBeamsHypothesesExist) {
  // lp = 1. After step 3 two hypotheses exist -> stop.
  // [C D eos] = -2.0715/3 = -0.6905 beats [B eos] = -1.6094/2 = -0.8047.
  ToyWorld w;
  const DecodeResult r = w.decoder.run(w.prompt, beam_params(2, 1.0, EarlyStopping::True));
  expect_answers(r, {{{3, 4, 0}, kStep3Eos / 3}, {{2, 0}, kStep2Eos / 2}});
  EXPECT_EQ(r.tree.depth(), 3);
  EXPECT_FALSE(r.cancelled);
}

TEST(BeamSearch, EarlyStoppingFalseStopsWhenRunningBeamsCannotImprove) {
  // lp = 1, after step 3: best running -2.5903 / 3 = -0.8634 is not better
  // than the worst kept -0.8047 -> stop; same answers as `true`.
  ToyWorld w;
  const DecodeResult r = w.decoder.run(w.prompt, beam_params(2, 1.0, EarlyStopping::False));
  expect_answers(r, {{{3, 4, 0}, kStep3Eos / 3}, {{2, 0}, kStep2Eos / 2}});
  EXPECT_EQ(r.tree.depth(), 3);
}

TEST(BeamSearch, EarlyStoppingNeverAssumesTheLongestLengthWithPositivePenalty) {
  // lp = 1, after step 3 "never" divides by max_new_tokens: -2.5903 / 4 =
  // -0.6476 > -0.8047 -> go on. Step 4: [B D A eos] = -2.6957/4 = -0.6739
  // and [C D A eos] = -5.0391/4 = -1.2598. Best two of all four:
  // -0.6739, -0.6905.
  ToyWorld w;
  const DecodeResult r = w.decoder.run(w.prompt, beam_params(2, 1.0, EarlyStopping::Never));
  expect_answers(r, {{{2, 4, 1, 0}, kStep4Eos / 4}, {{3, 4, 0}, kStep3Eos / 3}});
  EXPECT_EQ(r.tree.depth(), 4);
  // The displaced hypothesis stays a finished node with its reason.
  const int b_eos = *r.tree.find_child(*r.tree.find_child(0, 2), 0);
  EXPECT_EQ(r.tree.node(b_eos).status, NodeStatus::Finished);
  const NodeReason& why = r.tree.node(b_eos).reason;
  EXPECT_EQ(why.code, ReasonCode::BeamHypothesis);
  EXPECT_EQ(why.stop, StopCause::Eos);
  EXPECT_EQ(why.dropped_at_step, 4);
  EXPECT_EQ(why.answer, 0);
  EXPECT_NE(describe_reason(why).find("; not among the best 2 hypotheses (step 4)"),
            std::string::npos)
      << describe_reason(why);
}

TEST(BeamSearch, EarlyStoppingTrueWithLengthPenaltyTwoStopsEarly) {
  // lp = 2: hypotheses -1.6094/2^2 = -0.4024 and -2.0715/3^2 = -0.2302;
  // `true` stops at step 3 regardless of the running beams.
  ToyWorld w;
  const DecodeResult r = w.decoder.run(w.prompt, beam_params(2, 2.0, EarlyStopping::True));
  expect_answers(r, {{{3, 4, 0}, kStep3Eos / 9}, {{2, 0}, kStep2Eos / 4}});
  EXPECT_EQ(r.tree.depth(), 3);
}

TEST(BeamSearch, EarlyStoppingFalseWithLengthPenaltyTwoKeepsGoing) {
  // lp = 2, after step 3: best running -2.5903 / 3^2 = -0.2878 > worst kept
  // -0.4024 -> go on. Step 4: -2.6957/16 = -0.1685, -5.0391/16 = -0.3149.
  // Best two of {-0.2302, -0.4024, -0.1685, -0.3149}: -0.1685, -0.2302.
  ToyWorld w;
  const DecodeResult r = w.decoder.run(w.prompt, beam_params(2, 2.0, EarlyStopping::False));
  expect_answers(r, {{{2, 4, 1, 0}, kStep4Eos / 16}, {{3, 4, 0}, kStep3Eos / 9}});
  EXPECT_EQ(r.tree.depth(), 4);
  (void)kStep4Second;
}

TEST(BeamSearch, ReturnsOnlyNumReturnSequences) {
  ToyWorld w;
  DecodeParams p = beam_params(2, 1.0, EarlyStopping::Never);
  p.num_return_sequences = 1;
  const DecodeResult r = w.decoder.run(w.prompt, p);
  expect_answers(r, {{{2, 4, 1, 0}, kStep4Eos / 4}});
  // The runner-up hypothesis is finished, not returned.
  const int c_d_eos = *r.tree.find_child(*r.tree.find_child(*r.tree.find_child(0, 3), 4), 0);
  EXPECT_EQ(r.tree.node(c_d_eos).status, NodeStatus::Finished);
}

TEST(BeamSearch, EveryPoolCandidateIsANodeWithStatusAndReason) {
  ToyWorld w;
  const DecodeResult r = w.decoder.run(w.prompt, beam_params(2, 1.0, EarlyStopping::Never));
  const TokenTree& t = r.tree;
  // Step 1: only the prompt beam expands (HF's -1e9 start for other beams).
  const int b = *t.find_child(0, 2), c = *t.find_child(0, 3), d = *t.find_child(0, 4),
            eos = *t.find_child(0, 0);
  EXPECT_EQ(t.node(b).status, NodeStatus::Selected);
  EXPECT_EQ(t.node(c).status, NodeStatus::Selected);
  EXPECT_EQ(t.node(d).status, NodeStatus::Pruned);
  EXPECT_EQ(t.node(d).reason.code, ReasonCode::BeamPruned);
  EXPECT_EQ(t.node(d).reason.pool_rank, 3);
  EXPECT_EQ(t.node(d).reason.pool_size, 4);
  EXPECT_EQ(describe_reason(t.node(d).reason),
            "rank 3 of 4 candidates; 2 better candidates continue");
  EXPECT_EQ(t.node(eos).status, NodeStatus::Pruned);
  EXPECT_EQ(t.node(eos).reason.code, ReasonCode::BeamStopOutsideTop);
  EXPECT_EQ(t.node(eos).reason.stop, StopCause::Eos);
  EXPECT_NE(describe_reason(t.node(eos).reason).find("EOS outside top num_beams"),
            std::string::npos)
      << describe_reason(t.node(eos).reason);
  EXPECT_NEAR(t.node(c).beam_sum, std::log(0.3), kTol);
  // Step 3: [1 B D]+eos ranked 3 of 4 -> pruned although it ends a sequence.
  const int bd = *t.find_child(b, 4);
  const int bd_eos = *t.find_child(bd, 0);
  EXPECT_EQ(t.node(bd_eos).status, NodeStatus::Pruned);
  EXPECT_EQ(t.node(bd_eos).reason.code, ReasonCode::BeamStopOutsideTop);
  EXPECT_EQ(t.node(bd_eos).reason.pool_rank, 3);
  EXPECT_NEAR(t.node(bd_eos).beam_sum, std::log(0.5) + std::log(0.3) + std::log(0.2), kTol);
  // Raw numbers of a node.
  EXPECT_NEAR(t.node(bd).logprob, std::log(0.3), kTol);
  EXPECT_NEAR(t.node(bd).cum_logprob, std::log(0.5) + std::log(0.3), kTol);
  EXPECT_NEAR(t.node(bd).cum_prob, 0.5 * 0.3, kTol);
  EXPECT_EQ(t.node(bd).rank, 1);  // second most likely after [1 B]
  // The prompt node lists its top 5 next tokens, best first.
  EXPECT_EQ(t.node(0).next.token_ids, (std::vector<std::int32_t>{2, 3, 4, 0, 1}));
  // Token A after the prompt was in the top 5 but no candidate: alternative.
  EXPECT_EQ(t.node(*t.find_child(0, 1)).status, NodeStatus::Alternative);
}

TEST(BeamSearch, NumBeamsOneEqualsGreedy) {
  ToyWorld w;
  DecodeParams greedy;
  greedy.max_new_tokens = 4;
  const DecodeResult g = w.decoder.run(w.prompt, greedy);
  const DecodeResult b = w.decoder.run(w.prompt, beam_params(1, 1.0, EarlyStopping::False));
  ASSERT_EQ(g.tree.sequences.size(), 1u);
  ASSERT_EQ(b.tree.sequences.size(), 1u);
  // Greedy: B (.5) then eos (.4).
  EXPECT_EQ(g.tree.sequences[0].token_ids, (std::vector<std::int32_t>{2, 0}));
  EXPECT_EQ(b.tree.sequences[0].token_ids, g.tree.sequences[0].token_ids);
  EXPECT_NEAR(g.tree.sequences[0].score, kStep2Eos, kTol);      // sum of processed log-probs
  EXPECT_NEAR(b.tree.sequences[0].score, kStep2Eos / 2, kTol);  // beam score sum / len^lp
}

TEST(BeamSearch, RepetitionPenaltyActsOnLogSoftmaxScores) {
  // Beam search applies the penalty to log-probs (all negative), so every
  // seen id is multiplied: penalty 2 on the prompt token A and on generated
  // tokens. Step 1 from [1]: A ln.04*2 = -6.44; B keeps ln .5.
  ToyWorld w;
  DecodeParams p = beam_params(2, 1.0, EarlyStopping::True);
  p.repetition_penalty = 2.0;
  const DecodeResult r = w.decoder.run(w.prompt, p);
  const TokenTree& t = r.tree;
  const int a = *t.find_child(0, 1);
  EXPECT_NEAR(t.node(a).used_logprob, 2 * std::log(0.04), kTol);
  EXPECT_NEAR(t.node(a).logprob, std::log(0.04), kTol);
  // Step 3 from [1 B D]: A (in the prompt) gets ln.5*2 = -1.3863 -> -3.2834,
  // no longer ahead of [1 C D]+A (A penalised too: ln.12*2 -> -5.9554)...
  // the candidate values are sum + processed score, no renormalisation.
  const int bd = *t.find_child(*t.find_child(0, 2), 4);
  const int bda = *t.find_child(bd, 1);
  EXPECT_NEAR(t.node(bda).beam_sum, std::log(0.5) + std::log(0.3) + 2 * std::log(0.5), kTol);
}
