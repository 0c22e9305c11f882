// The decoder on top-N distributions (a server's top log-probs): greedy and
// beam search equal the dense result while the candidates they need are
// known; sampling equals dense sampling with top-k = N as its first stage
// (the documented approximation); the check, the notes and the tree JSON.
#include <gtest/gtest.h>

#include <cmath>

#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "decoding/logits_check.h"
#include "decoding/logits_summary.h"
#include "decoding/next_token.h"
#include "decoding/top_n_note.h"
#include "io/tree_json.h"
#include "top_n_source.h"
#include "util/error.h"

using namespace beamscope;
using namespace beamscope::test;

namespace {

constexpr int kVocab = 64;
constexpr double kTol = 1e-5;  // float log-probs against float logits

struct Pair {
  ToyTokenizer tokenizer{numbered_pieces(kVocab)};
  RandomDenseModel dense{kVocab};
  TopNModel top;
  LogitsCache dense_cache, top_cache;
  Decoder dense_decoder{dense, tokenizer, {0}, dense_cache};
  Decoder top_decoder{top, tokenizer, {0}, top_cache};
  std::vector<std::int32_t> prompt{5, 9};
  explicit Pair(int n) : top(kVocab, n) {}
};

void expect_same_sequences(const TokenTree& a, const TokenTree& b) {
  ASSERT_EQ(a.sequences.size(), b.sequences.size());
  for (std::size_t i = 0; i < a.sequences.size(); ++i) {
    EXPECT_EQ(a.sequences[i].token_ids, b.sequences[i].token_ids) << i;
    EXPECT_NEAR(a.sequences[i].score, b.sequences[i].score, kTol) << i;
    EXPECT_NEAR(a.sequences[i].cum_logprob, b.sequences[i].cum_logprob, kTol) << i;
    EXPECT_EQ(a.sequences[i].count, b.sequences[i].count) << i;
  }
}

// Same nodes in the same order with the same tokens, statuses and numbers.
void expect_same_tree(const TokenTree& dense, const TokenTree& top) {
  ASSERT_EQ(dense.size(), top.size());
  for (int i = 0; i < dense.size(); ++i) {
    const TreeNode& d = dense.node(i);
    const TreeNode& t = top.node(i);
    EXPECT_EQ(d.token_id, t.token_id) << i;
    EXPECT_EQ(d.status, t.status) << i;
    EXPECT_EQ(d.rank, t.rank) << i;
    EXPECT_NEAR(d.logprob, t.logprob, kTol) << i;
    if (std::isfinite(d.used_logprob)) {
      EXPECT_NEAR(d.used_logprob, t.used_logprob, kTol) << i;
    } else {
      EXPECT_EQ(d.used_logprob, t.used_logprob) << i;
    }
    EXPECT_EQ(d.next.token_ids, t.next.token_ids) << i;
  }
  expect_same_sequences(dense, top);
}

}  // namespace

TEST(TopN, GreedyEqualsDense) {
  Pair p(4);
  DecodeParams params;
  params.max_new_tokens = 6;
  params.alternatives = 3;
  params.distribution_size = 0;  // list the alternatives only: within the server's N
  const DecodeResult dense = p.dense_decoder.run(p.prompt, params);
  const DecodeResult top = p.top_decoder.run(p.prompt, params);
  expect_same_tree(dense.tree, top.tree);
  EXPECT_EQ(top.tree.node(0).next.known, 4);
  EXPECT_GT(top.tree.node(0).next.unknown_mass, 0.0);
  EXPECT_EQ(dense.tree.node(0).next.known, 0);
}

TEST(TopN, BeamSearchEqualsDenseWhenNCoversThePool) {
  // One EOS: the pool is max(2, 1 + 1) * 3 = 6 candidates per step.
  Pair p(6);
  DecodeParams params;
  params.strategy = StrategyKind::Beam;
  params.num_beams = 3;
  params.num_return_sequences = 3;
  params.max_new_tokens = 5;
  params.alternatives = 2;
  params.distribution_size = 0;  // list the alternatives only: within the server's N
  const DecodeResult dense = p.dense_decoder.run(p.prompt, params);
  const DecodeResult top = p.top_decoder.run(p.prompt, params);
  expect_same_tree(dense.tree, top.tree);
}

TEST(TopN, BeamSearchRefusesAnNTooSmallForItsPool) {
  Pair p(5);
  DecodeParams params;
  params.strategy = StrategyKind::Beam;
  params.num_beams = 3;
  params.max_new_tokens = 3;
  try {
    p.top_decoder.run(p.prompt, params);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "The server returns only its top 5 tokens per step, but beam search with 3 beams "
                 "needs the top 6; use fewer beams or raise the server's log-prob limit.");
  }
}

// The documented approximation: sampling on a top-N source draws among the
// N known tokens, exactly as dense sampling with top_k = N as the first
// warper (top-k commutes with temperature, so hf order's place is the same).
TEST(TopN, SamplingEqualsDenseWithTopKNFirst) {
  for (const auto& [temperature, top_p, min_p] :
       {std::tuple{1.0, 1.0, 0.0}, std::tuple{0.7, 0.9, 0.0}, std::tuple{1.3, 1.0, 0.05},
        std::tuple{1.0, 0.5, 0.1}}) {
    Pair p(8);
    DecodeParams params;
    params.strategy = StrategyKind::Sample;
    params.num_samples = 40;
    params.seed = 7;
    params.max_new_tokens = 5;
    params.alternatives = 4;
    params.temperature = temperature;
    params.top_p = top_p;
    params.min_p = min_p;
    const DecodeResult top = p.top_decoder.run(p.prompt, params);
    params.top_k = 8;
    const DecodeResult dense = p.dense_decoder.run(p.prompt, params);
    SCOPED_TRACE(temperature);
    expect_same_sequences(dense.tree, top.tree);
    // The per-stage cuts of the listed tokens match the dense chain's after
    // its top-k (before it the dense stages still see the whole vocabulary).
    const NextTokenDistribution& d = dense.tree.node(0).next;
    const NextTokenDistribution& t = top.tree.node(0).next;
    std::size_t k = 0;
    while (k < d.stages.size() && d.stages[k].stage != "top_k") ++k;
    ASSERT_LT(k, d.stages.size());
    int compared = 0;
    for (std::size_t s = k + 1; s < d.stages.size(); ++s) {
      for (const StageCut& cut : t.stages) {
        if (cut.stage != d.stages[s].stage) continue;
        ++compared;
        for (std::size_t i = 0; i < cut.probs.size(); ++i)
          EXPECT_NEAR(d.stages[s].probs[i], cut.probs[i], 1e-5) << cut.stage;
      }
    }
    EXPECT_EQ(compared, static_cast<int>(d.stages.size() - k - 1));
  }
}

TEST(TopN, ForcingAnUnlistedTokenIsOneSentence) {
  Pair p(4);
  DecodeParams params;
  params.max_new_tokens = 2;
  const DecodeResult r = p.top_decoder.run(p.prompt, params);
  std::int32_t unlisted = 1;
  while (r.tree.find_child(0, unlisted)) ++unlisted;
  try {
    p.top_decoder.force(r.tree, p.prompt, 0, unlisted, params);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did not list token"), std::string::npos) << e.what();
  }
}

TEST(TopN, CheckAcceptsMinusInfOnlyForTopN) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> top{-inf, std::log(0.5f), std::log(0.3f), -inf};
  EXPECT_NO_THROW(require_top_n_logprobs(top, 3));
  EXPECT_THROW(require_finite_logits(top, 3), Error);
  EXPECT_THROW(require_top_n_logprobs(std::vector<float>{-inf, -inf}, 3), Error);
  EXPECT_THROW(require_top_n_logprobs(std::vector<float>{-inf, 0.5f}, 3), Error);
  EXPECT_THROW(require_top_n_logprobs(std::vector<float>{std::nanf(""), -1.0f}, 3), Error);
  EXPECT_THROW(require_top_n_logprobs(std::vector<float>{std::log(0.7f), std::log(0.6f)}, 3),
               Error);
}

TEST(TopN, SummaryKnowsNAndTheUnknownMass) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> top{-inf, std::log(0.5f), std::log(0.3f), -inf};
  const LogitsSummary s = summarize_logits(top);
  EXPECT_EQ(s.known, 2);
  EXPECT_NEAR(s.unknown_mass, 0.2, 1e-6);
  EXPECT_EQ(s.log_sum_exp, 0.0);
  EXPECT_EQ(s.order[0], 1);
  EXPECT_EQ(s.order[1], 2);
  EXPECT_FALSE(summarize_logits(std::vector<float>{1.0f, 2.0f}).top_n());
}

TEST(TopN, NotesSayWhatIsApproximate) {
  NextTokenDistribution next;
  EXPECT_EQ(top_n_note(next), "");
  next.known = 20;
  next.unknown_mass = 0.031;
  EXPECT_EQ(top_n_note(next), "top 20 tokens known; 3.1% of the mass unknown");
  EXPECT_EQ(top_n_stage_note(next, "top_p"),
            "top_p over the 20 known tokens; 3.1% of the mass unknown");
}

TEST(TopN, TreeJsonKeepsNAndReadsOldFilesAsDense) {
  Pair p(4);
  DecodeParams params;
  params.max_new_tokens = 3;
  const DecodeResult r = p.top_decoder.run(p.prompt, params);
  nlohmann::json j;
  tree_to_json(r.tree, j);
  EXPECT_EQ(j["nodes"][0]["next"]["known"], 4);
  EXPECT_EQ(tree_from_json(JsonObjectReader(j, "t.json", "tree")), r.tree);
  nlohmann::json old = j;
  for (auto& n : old["nodes"]) {
    if (n.contains("next")) {
      n["next"].erase("known");
      n["next"].erase("unknown_mass");
    }
  }
  EXPECT_EQ(tree_from_json(JsonObjectReader(old, "old.json", "tree")).node(0).next.known, 0);
}

TEST(TopN, NextTableListsKnownTokensWithTheChainOverThem) {
  // The same rule as sampling: the table of a top-N answer equals the dense
  // table with top_k = N.
  RandomDenseModel dense(kVocab);
  TopNModel top(kVocab, 6);
  const std::vector<std::int32_t> prompt{3, 4};
  std::vector<float> d(kVocab), t(kVocab);
  auto c1 = dense.new_cache();
  auto c2 = top.new_cache();
  dense.prefill(*c1, prompt, d);
  top.prefill(*c2, prompt, t);
  DecodeParams p;
  p.strategy = StrategyKind::Sample;
  p.temperature = 0.7;
  p.min_p = 0.1;
  const auto top_rows = next_token_table(t, prompt, p, 10);
  p.top_k = 6;
  const auto dense_rows = next_token_table(d, prompt, p, 10);
  ASSERT_EQ(top_rows.size(), 6u);
  for (std::size_t i = 0; i < top_rows.size(); ++i) {
    EXPECT_EQ(top_rows[i].id, dense_rows[i].id);
    EXPECT_NEAR(top_rows[i].logprob, dense_rows[i].logprob, kTol);
    EXPECT_NEAR(top_rows[i].prob, dense_rows[i].prob, kTol);
  }
}
