// The inspector's columns of a node distribution: the rest of the mass, each
// stage's cut row and the mass where top-p's cumulative sum crosses p, on a
// distribution worked out by hand; and the recorded distribution is as long
// as distribution_size while the tree keeps `alternatives` nodes per parent.
#include <gtest/gtest.h>

#include <cmath>

#include "decoding/distribution_columns.h"
#include "decoding/node_distribution.h"
#include "decoding/sampler_chain.h"
#include "toy_world.h"

using namespace beamscope;

namespace {
// 30 tokens: seven big ones (0.81 together), then 23 of 0.19 / 23 each.
std::vector<float> logits_of_thirty() {
  const double big[] = {0.20, 0.15, 0.13, 0.12, 0.10, 0.06, 0.05};
  std::vector<float> logits;
  for (double p : big) logits.push_back(static_cast<float>(std::log(p)));
  while (logits.size() < 30) logits.push_back(static_cast<float>(std::log(0.19 / 23)));
  return logits;
}
}  // namespace

TEST(DistributionColumns, TopPCrossesAfterRowSevenAndTheRestIsTheUnlisted) {
  std::vector<std::string> pieces;
  for (int i = 0; i < 30; ++i) pieces.push_back("t" + std::to_string(i));
  const test::ToyTokenizer tokenizer(pieces);
  DecodeParams p;
  p.strategy = StrategyKind::Sample;
  p.top_p = 0.8;  // a token stays iff the mass better than it is < 0.8
  const SamplerChain chain(p, ChainScope::Sampling);
  const std::vector<float> logits = logits_of_thirty();
  const NodeDistribution d =
      make_node_distribution(logits, {}, chain, ScoreBase::RawLogits, 20, tokenizer);
  ASSERT_EQ(d.next.token_ids.size(), 20u);
  const std::vector<DistributionColumn> columns = distribution_columns(d.next);
  ASSERT_EQ(columns.size(), 2u);  // raw, top_p
  // Raw: 10 of the 23 small tokens are not listed.
  EXPECT_NEAR(columns[0].rest, 10 * 0.19 / 23, 1e-6);
  EXPECT_EQ(columns[0].cut_row, -1);
  // Row 7 has 0.76 above it (kept), row 8 has 0.81 (removed).
  EXPECT_EQ(columns[1].cut_row, 7);
  EXPECT_NEAR(columns[1].mass_at_cut, 0.81, 1e-6);
  EXPECT_EQ(columns[1].rest, 0.0);  // every survivor is listed
  EXPECT_NEAR(columns[1].probs[0], 0.20 / 0.81, 1e-6);
  EXPECT_EQ(columns[1].probs[7], 0.0);
}

TEST(DistributionColumns, RecordedEntriesAreIndependentOfTheTreeAlternatives) {
  test::ToyWorld w;
  DecodeParams p;
  p.max_new_tokens = 1;
  p.alternatives = 2;
  p.distribution_size = 4;
  const DecodeResult r = w.decoder.run(w.prompt, p);
  EXPECT_EQ(r.tree.node(0).next.token_ids.size(), 4u);
  EXPECT_EQ(r.tree.node(0).children.size(), 2u);  // the first 2 listed: " B" (taken), " C"
  p.distribution_size = 1;                        // never fewer than the alternatives
  EXPECT_EQ(w.decoder.run(w.prompt, p).tree.node(0).next.token_ids.size(), 2u);
}
