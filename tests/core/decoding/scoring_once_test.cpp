// Every strategy scores a node through one StrategyChain: "what if" scores the
// forced token exactly as the strategy would have, and beam search with one
// beam (greedy underneath) scores each node once yet keeps its beam score.
// The expectations spell out HF's rules by hand, so a strategy_chain that picked the
// wrong chain scope or score base fails here.
#include <gtest/gtest.h>

#include <cmath>

#include "decoding/cached_logits_source.h"
#include "decoding/node_distribution.h"
#include "decoding/search_context.h"
#include "toy_world.h"

using namespace beamscope;
using namespace beamscope::test;

namespace {

constexpr double kTol = 1e-12;

// What HF feeds each strategy's chain, written out apart from StrategyChain.
NodeDistribution expected_scoring(ToyWorld& w, const DecodeParams& p, const TokenPrefix& prefix) {
  const bool sampling = p.strategy == StrategyKind::Sample;
  const bool beams = p.strategy == StrategyKind::Beam && p.num_beams > 1;
  const SamplerChain chain(p, sampling ? ChainScope::Sampling : ChainScope::PenaltiesOnly);
  CachedLogitsSource source(w.model, w.cache);
  return make_node_distribution(source.logits_for(prefix), prefix, chain,
                                beams ? ScoreBase::LogSoftmax : ScoreBase::RawLogits,
                                p.alternatives, w.tokenizer);
}

std::vector<DecodeParams> every_strategy() {
  DecodeParams greedy;
  greedy.max_new_tokens = 3;
  greedy.repetition_penalty = 1.8;  // a processor, so the score base matters
  DecodeParams beam = beam_params(2, 1.0, EarlyStopping::True, 3);
  beam.repetition_penalty = 1.8;
  DecodeParams beam_one = beam_params(1, 1.0, EarlyStopping::True, 3);
  beam_one.repetition_penalty = 1.8;
  DecodeParams sample = greedy;
  sample.strategy = StrategyKind::Sample;
  sample.temperature = 0.6;  // a warper, so the chain scope matters
  sample.top_k = 3;
  sample.num_samples = 3;
  return {greedy, beam, beam_one, sample};
}

}  // namespace

TEST(ScoringOnce, ForcedTokenIsScoredAsItsStrategyWould) {
  for (const DecodeParams& p : every_strategy()) {
    // A: never taken, and removed by sampling's top-k; D: kept by every chain.
    for (const std::int32_t token : {1, 4}) {
      ToyWorld w;
      const DecodeResult first = w.decoder.run(w.prompt, p);
      const DecodeResult forced = w.decoder.force(first.tree, w.prompt, 0, token, p);
      const NodeDistribution want = expected_scoring(w, p, TokenPrefix{1});
      const TreeNode& n = forced.tree.node(*forced.tree.find_child(0, token));
      SCOPED_TRACE(std::string(to_string(p.strategy)) + " num_beams " +
                   std::to_string(p.num_beams) + " token " + std::to_string(token));
      if (std::isinf(want.used_logprob(token))) {
        EXPECT_EQ(n.used_logprob, want.used_logprob(token));
      } else {
        EXPECT_NEAR(n.used_logprob, want.used_logprob(token), kTol);
      }
      EXPECT_NEAR(n.logprob, want.raw_logprob(token), kTol);
      EXPECT_EQ(forced.tree.node(0).next, want.next);
    }
  }
}

TEST(ScoringOnce, OneBeamKeepsTheBeamScoreOfTheProcessedLogSoftmax) {
  // Greedy picks by the processed raw logits; the beam score sums the
  // processed log-softmax values (the penalty acts differently on the two).
  for (const DecodeParams& p : every_strategy()) {
    if (!(p.strategy == StrategyKind::Beam && p.num_beams == 1)) continue;
    ToyWorld w;
    const DecodeResult r = w.decoder.run(w.prompt, p);
    ASSERT_EQ(r.tree.sequences.size(), 1u);
    DecodeParams beams = p;
    beams.num_beams = 2;  // the same processors on log-softmax, as beam search runs them
    double sum = 0.0;
    const std::vector<int> path = r.tree.path_nodes(r.tree.sequences[0].node);
    for (std::size_t i = 1; i < path.size(); ++i) {
      TokenPrefix prefix = w.prompt;
      const auto tokens = r.tree.path_tokens(path[i - 1]);
      prefix.insert(prefix.end(), tokens.begin(), tokens.end());
      sum += expected_scoring(w, beams, prefix).used_logprob(r.tree.node(path[i]).token_id);
    }
    const double length = static_cast<double>(path.size() - 1);
    EXPECT_NEAR(r.tree.sequences[0].score, sum / std::pow(length, p.length_penalty), kTol);
    // And the path is greedy's under the same penalty.
    DecodeParams greedy = p;
    greedy.strategy = StrategyKind::Greedy;
    EXPECT_EQ(w.decoder.run(w.prompt, greedy).tree.sequences[0].token_ids,
              r.tree.sequences[0].token_ids);
  }
}
