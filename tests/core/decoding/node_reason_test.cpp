// Reasons are recorded as data by the strategies and worded in one place
// (describe_reason): each code's sentence, and the data a real run records.
#include <gtest/gtest.h>

#include <cmath>

#include "decoding/node_reason.h"
#include "toy_world.h"

using namespace beamscope;
using namespace beamscope::test;

TEST(NodeReason, EachCodeHasItsSentence) {
  EXPECT_EQ(describe_reason({}), "");
  EXPECT_EQ(describe_reason({.legacy_text = "from an old file"}), "from an old file");
  EXPECT_EQ(describe_reason({.code = ReasonCode::Listed, .listed = 5}), "in the top 5, not taken");
  EXPECT_EQ(describe_reason({.code = ReasonCode::Argmax}), "argmax of the processed scores");
  EXPECT_EQ(describe_reason({.code = ReasonCode::Argmax, .stop = StopCause::Eos}),
            "argmax of the processed scores; EOS");
  EXPECT_EQ(describe_reason({.code = ReasonCode::Sampled, .stop = StopCause::MaxLength}),
            "sampled; max_new_tokens reached");
  EXPECT_EQ(describe_reason({.code = ReasonCode::Forced}), "forced by the user");
  EXPECT_EQ(describe_reason({.code = ReasonCode::NothingLeft}),
            "every token was removed by the processors");
  EXPECT_EQ(describe_reason({.code = ReasonCode::BeamRunning,
                             .pool_rank = 2,
                             .pool_size = 8,
                             .beam = 2,
                             .num_beams = 4}),
            "rank 2 of 8 candidates; running beam 2");
  EXPECT_EQ(describe_reason(
                {.code = ReasonCode::BeamPruned, .pool_rank = 6, .pool_size = 8, .num_beams = 4}),
            "rank 6 of 8 candidates; 4 better candidates continue");
  EXPECT_EQ(describe_reason({.code = ReasonCode::BeamStopOutsideTop,
                             .stop = StopCause::MaxLength,
                             .pool_rank = 5,
                             .pool_size = 8,
                             .num_beams = 4}),
            "rank 5 of 8 candidates; max length reached outside top num_beams");
  EXPECT_EQ(describe_reason({.code = ReasonCode::BeamHypothesis,
                             .stop = StopCause::Eos,
                             .pool_rank = 1,
                             .pool_size = 4,
                             .num_beams = 2,
                             .sum = -1.5,
                             .length = 3,
                             .length_penalty = 1.0,
                             .score = -0.5,
                             .dropped_at_step = 4,
                             .answer = 0}),
            "rank 1 of 4 candidates; EOS; hypothesis score -1.5000 / 3^1.0000 = -0.5000; not "
            "among the best 2 hypotheses (step 4)");
}

TEST(NodeReason, CodesAndStopsHaveStableNames) {
  for (ReasonCode c :
       {ReasonCode::None, ReasonCode::Listed, ReasonCode::Argmax, ReasonCode::Sampled,
        ReasonCode::Forced, ReasonCode::BeamRunning, ReasonCode::BeamPruned,
        ReasonCode::BeamStopOutsideTop, ReasonCode::BeamHypothesis, ReasonCode::NothingLeft}) {
    EXPECT_EQ(parse_reason_code(to_string(c)), c) << to_string(c);
  }
  for (StopCause s : {StopCause::None, StopCause::Eos, StopCause::MaxLength}) {
    EXPECT_EQ(parse_stop_cause(to_string(s)), s) << to_string(s);
  }
  EXPECT_EQ(parse_reason_code("rank 3"), std::nullopt);
  EXPECT_EQ(to_string(ReasonCode::BeamStopOutsideTop), "beam_stop_outside_top");
}

TEST(NodeReason, BeamSearchRecordsItsNumbers) {
  ToyWorld w;
  const DecodeResult r = w.decoder.run(w.prompt, beam_params(2, 1.0, EarlyStopping::Never));
  ASSERT_FALSE(r.tree.sequences.empty());
  const NodeReason& best = r.tree.node(r.tree.sequences[0].node).reason;
  EXPECT_EQ(best.code, ReasonCode::BeamHypothesis);
  EXPECT_EQ(best.answer, 1);
  EXPECT_EQ(best.num_beams, 2);
  EXPECT_GT(best.length, 0);
  EXPECT_DOUBLE_EQ(best.score, best.sum / std::pow(best.length, best.length_penalty));
  EXPECT_DOUBLE_EQ(best.score, r.tree.sequences[0].score);
  int running = 0, listed = 0;
  for (const TreeNode& n : r.tree.nodes()) {
    if (n.status == NodeStatus::Selected) {
      EXPECT_EQ(n.reason.code, ReasonCode::BeamRunning);
      EXPECT_GE(n.reason.beam, 1);
      EXPECT_LE(n.reason.beam, 2);
      ++running;
    }
    if (n.status == NodeStatus::Alternative) {
      EXPECT_EQ(n.reason.code, ReasonCode::Listed);
      EXPECT_EQ(n.reason.listed, static_cast<int>(r.tree.node(n.parent).next.token_ids.size()));
      ++listed;
    }
  }
  EXPECT_GT(running, 0);
  EXPECT_GT(listed, 0);
}

TEST(NodeReason, GreedySampleAndForcedRecordTheirStops) {
  ToyWorld w;
  DecodeParams greedy;
  greedy.strategy = StrategyKind::Greedy;
  greedy.max_new_tokens = 4;
  const DecodeResult g = w.decoder.run(w.prompt, greedy);
  ASSERT_EQ(g.tree.sequences.size(), 1u);
  const NodeReason& end = g.tree.node(g.tree.sequences[0].node).reason;
  EXPECT_EQ(end.code, ReasonCode::Argmax);
  EXPECT_NE(end.stop, StopCause::None);

  DecodeParams sample = greedy;
  sample.strategy = StrategyKind::Sample;
  sample.num_samples = 4;
  const DecodeResult s = w.decoder.run(w.prompt, sample);
  for (const ReturnedSequence& seq : s.tree.sequences) {
    EXPECT_EQ(s.tree.node(seq.node).reason.code, ReasonCode::Sampled);
    EXPECT_NE(s.tree.node(seq.node).reason.stop, StopCause::None);
  }

  // Forcing EOS under the root ends the branch at once.
  const DecodeResult f = w.decoder.force(g.tree, w.prompt, 0, kEos, greedy);
  const int forced = *f.tree.find_child(0, kEos);
  EXPECT_EQ(f.tree.node(forced).reason.code, ReasonCode::Forced);
  EXPECT_EQ(f.tree.node(forced).reason.stop, StopCause::Eos);
  EXPECT_EQ(describe_reason(f.tree.node(forced).reason), "forced by the user; EOS");
}
