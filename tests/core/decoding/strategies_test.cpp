// Greedy and sampling on the toy world, the logits cache, forcing and cancel.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "decoding/cached_logits_source.h"
#include "toy_world.h"

using namespace beamscope;
using namespace beamscope::test;

namespace {
constexpr double kTol = 1e-6;

DecodeParams sampling(std::uint64_t seed, int n) {
  DecodeParams p;
  p.strategy = StrategyKind::Sample;
  p.seed = seed;
  p.num_samples = n;
  p.max_new_tokens = 4;
  return p;
}
}  // namespace

TEST(Greedy, TakesTheArgmaxUntilEos) {
  // [1] -> B (.5) -> eos (.4): score = ln .5 + ln .4.
  ToyWorld w;
  DecodeParams p;
  const DecodeResult r = w.decoder.run(w.prompt, p);
  ASSERT_EQ(r.tree.sequences.size(), 1u);
  EXPECT_EQ(r.tree.sequences[0].token_ids, (std::vector<std::int32_t>{2, 0}));
  EXPECT_EQ(r.tree.sequences[0].text, " B<eos>");
  EXPECT_NEAR(r.tree.sequences[0].score, std::log(0.5) + std::log(0.4), kTol);
  const int b = *r.tree.find_child(0, 2);
  EXPECT_EQ(r.tree.node(b).status, NodeStatus::Selected);
  EXPECT_EQ(r.tree.node(r.tree.sequences[0].node).status, NodeStatus::Returned);
  // Alternatives: the other 4 listed tokens under the prompt.
  int alternatives = 0;
  for (int c : r.tree.node(0).children)
    alternatives += r.tree.node(c).status == NodeStatus::Alternative;
  EXPECT_EQ(alternatives, 4);
}

TEST(Greedy, StopsAtMaxNewTokens) {
  ToyWorld w;
  DecodeParams p;
  p.max_new_tokens = 1;
  const DecodeResult r = w.decoder.run(w.prompt, p);
  EXPECT_EQ(r.tree.sequences.at(0).token_ids, (std::vector<std::int32_t>{2}));
}

TEST(Greedy, NoRepeatNgramChangesThePath) {
  // no_repeat_ngram_size 1 bans the prompt token and every generated one.
  // [1]: B; [1 B]: eos .4 still best -> same. Use prompt [1 2] instead:
  // [1 2] bans A, B: eos (.4) wins anyway; so ban with size 1 on prompt [2]:
  // fallback p: .1 .2 .3 .25 .15 -> B banned -> C (.25).
  ToyWorld w;
  DecodeParams p;
  p.max_new_tokens = 1;
  p.no_repeat_ngram_size = 1;
  const std::vector<std::int32_t> prompt{2};
  const DecodeResult r = w.decoder.run(prompt, p);
  EXPECT_EQ(r.tree.sequences.at(0).token_ids, (std::vector<std::int32_t>{3}));
  // The banned token shows -inf as the score the strategy used.
  EXPECT_EQ(r.tree.node(*r.tree.find_child(0, 2)).used_logprob, -INFINITY);
  // Greedy renormalises over the survivors: ln(.25 / .7).
  EXPECT_NEAR(r.tree.sequences[0].score, std::log(0.25 / 0.7), kTol);
}

TEST(Sampling, TopKOneEqualsGreedy) {
  ToyWorld w;
  DecodeParams greedy;
  greedy.max_new_tokens = 4;
  DecodeParams p = sampling(7, 10);
  p.top_k = 1;
  const DecodeResult g = w.decoder.run(w.prompt, greedy);
  const DecodeResult s = w.decoder.run(w.prompt, p);
  ASSERT_EQ(s.tree.sequences.size(), 1u);
  EXPECT_EQ(s.tree.sequences[0].token_ids, g.tree.sequences[0].token_ids);
  EXPECT_EQ(s.tree.sequences[0].count, 10);
  EXPECT_NEAR(s.tree.sequences[0].score, 0.0, kTol);  // p = 1 after top-k 1
}

TEST(Sampling, TemperatureZeroIsGreedy) {
  ToyWorld w;
  DecodeParams p = sampling(3, 5);
  p.temperature = 0.0;
  const DecodeResult s = w.decoder.run(w.prompt, p);
  ASSERT_EQ(s.tree.sequences.size(), 1u);
  EXPECT_EQ(s.tree.sequences[0].token_ids, (std::vector<std::int32_t>{2, 0}));
}

TEST(Sampling, MinPOneKeepsOnlyTheMax) {
  ToyWorld w;
  DecodeParams p = sampling(11, 20);
  p.min_p = 1.0;
  const DecodeResult s = w.decoder.run(w.prompt, p);
  ASSERT_EQ(s.tree.sequences.size(), 1u);
  EXPECT_EQ(s.tree.sequences[0].token_ids, (std::vector<std::int32_t>{2, 0}));
  const auto& cut = s.tree.node(0).next.stages.at(0);
  EXPECT_EQ(cut.stage, "min_p");
  EXPECT_EQ(cut.kept_total, 1);
  EXPECT_NEAR(cut.threshold, 0.5, 1e-6);
}

TEST(Sampling, CountsAddUpToTheNumberOfSamples) {
  ToyWorld w;
  const DecodeResult r = w.decoder.run(w.prompt, sampling(42, 50));
  const TokenTree& t = r.tree;
  EXPECT_EQ(t.node(0).count, 50);
  int first_step = 0;
  for (int c : t.node(0).children) first_step += t.node(c).count;
  EXPECT_EQ(first_step, 50);
  int returned = 0;
  for (const auto& s : t.sequences) returned += s.count;
  EXPECT_EQ(returned, 50);
  // Every node's count is the sum of its children's plus the samples ending there.
  for (const TreeNode& n : t.nodes()) {
    int below = 0;
    for (int c : n.children) below += t.node(c).count;
    int ending = 0;
    for (const auto& s : t.sequences) ending += s.node == n.id ? s.count : 0;
    EXPECT_EQ(n.count, below + ending) << "node " << n.id;
  }
  for (std::size_t i = 1; i < t.sequences.size(); ++i) {
    EXPECT_GE(t.sequences[i - 1].score, t.sequences[i].score);  // best first
  }
}

TEST(Sampling, SameSeedSameTreeDifferentSeedDifferentTree) {
  ToyWorld w1, w2;
  const DecodeResult a = w1.decoder.run(w1.prompt, sampling(1234, 30));
  const DecodeResult b = w2.decoder.run(w2.prompt, sampling(1234, 30));
  const DecodeResult c = w1.decoder.run(w1.prompt, sampling(99, 30));
  EXPECT_TRUE(a.tree == b.tree);
  EXPECT_FALSE(a.tree == c.tree);
}

TEST(Sampling, DrawsFollowTheProbabilities) {
  // 4000 one-token samples from the prompt: B should come up ~50%, C ~30%.
  // Binomial sd at n=4000: sqrt(.25/4000) = .008; allow 5 sd.
  ToyWorld w;
  DecodeParams p = sampling(5, 4000);
  p.max_new_tokens = 1;
  const DecodeResult r = w.decoder.run(w.prompt, p);
  EXPECT_NEAR(r.tree.node(*r.tree.find_child(0, 2)).count / 4000.0, 0.5, 0.04);
  EXPECT_NEAR(r.tree.node(*r.tree.find_child(0, 3)).count / 4000.0, 0.3, 0.04);
}

TEST(LogitsCache, AParameterChangeRunsNoModel) {
  ToyWorld w;
  const DecodeResult first = w.decoder.run(w.prompt, beam_params(2, 1.0, EarlyStopping::Never));
  // One forward pass per step: prefill of the prompt, then one batched
  // decode for both beams at steps 2, 3 and 4.
  EXPECT_EQ(first.model_calls, 4);
  EXPECT_EQ(w.model.prefill_calls, 1);
  EXPECT_EQ(w.model.decode_calls, 3);
  w.model.reset_counts();
  for (auto params :
       {beam_params(2, 2.0, EarlyStopping::False), beam_params(2, 1.0, EarlyStopping::True),
        beam_params(1, 1.0, EarlyStopping::True)}) {
    const DecodeResult again = w.decoder.run(w.prompt, params);
    EXPECT_EQ(again.model_calls, 0);
  }
  EXPECT_EQ(w.model.calls(), 0);
  EXPECT_GT(w.cache.hits(), 0u);
}

TEST(LogitsCache, SamplingParameterChangesReuseSeenPrefixes) {
  ToyWorld w;
  DecodeParams p = sampling(8, 40);
  w.decoder.run(w.prompt, p);
  w.model.reset_counts();
  p.temperature = 0.5;  // a cooler run only visits prefixes a hotter one saw? not
  p.top_k = 2;          // guaranteed, so count only re-runs of identical paths:
  p.seed = 8;
  const DecodeResult r1 = w.decoder.run(w.prompt, p);
  w.model.reset_counts();
  const DecodeResult r2 = w.decoder.run(w.prompt, p);  // same params: all seen
  EXPECT_EQ(r2.model_calls, 0);
  EXPECT_TRUE(r1.tree == r2.tree);
}

TEST(LogitsCache, LruEvictionKeepsTheBudget) {
  LogitsCache cache(3 * (5 * sizeof(float) + 2 * 4 + 128));
  auto logits = std::make_shared<const std::vector<float>>(5, 0.0f);
  cache.insert({1}, logits);
  cache.insert({2}, logits);
  cache.insert({3}, logits);
  EXPECT_TRUE(cache.find({1}) != nullptr);  // 1 is now the most recent
  cache.insert({4}, logits);                // evicts 2, the least recent
  EXPECT_FALSE(cache.contains({2}));
  EXPECT_TRUE(cache.contains({1}));
  EXPECT_TRUE(cache.contains({4}));
  EXPECT_LE(cache.bytes(), cache.budget_bytes());
  EXPECT_EQ(cache.hits(), 1u);
}

// The one-lookup path of a re-run on a cached tree (find_all_summarized) must
// count and reorder as find() would, and take nothing it cannot answer whole.
TEST(LogitsCache, AnAllHitBatchCountsAndOrdersAsFindDoes) {
  LogitsCache cache;
  auto one = std::make_shared<const std::vector<float>>(5, 1.0f);
  auto two = std::make_shared<const std::vector<float>>(5, 2.0f);
  auto three = std::make_shared<const std::vector<float>>(5, 3.0f);
  cache.insert({1}, one);
  cache.insert({2}, two);
  cache.insert({3}, three);
  for (auto& [prefix, logits] : {std::pair{TokenPrefix{1}, one}, {TokenPrefix{2}, two}}) {
    cache.summary(prefix, logits);
  }
  cache.reset_counters();
  std::vector<PrefixLogits> out;
  // {3} has no summary yet, {9} is not cached: nothing is answered or counted.
  EXPECT_FALSE(cache.find_all_summarized(std::vector<TokenPrefix>{{1}, {3}}, out));
  EXPECT_FALSE(cache.find_all_summarized(std::vector<TokenPrefix>{{2}, {9}}, out));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(cache.hits() + cache.misses(), 0u);
  cache.summary({3}, three);  // now the most recent: 3, 2, 1
  // {1} twice counts once, as the general path's find() does; 1 and 2 become
  // the most recent, in that order, so 3 is now the least recent.
  ASSERT_TRUE(cache.find_all_summarized(std::vector<TokenPrefix>{{1}, {2}, {1}}, out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].logits, one);
  EXPECT_EQ(out[1].logits, two);
  EXPECT_EQ(out[2].logits, one);
  EXPECT_EQ(out[1].summary, cache.summary({2}, two));
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 0u);
  cache.set_budget_bytes(cache.bytes() - 1);  // evicts the least recent
  EXPECT_FALSE(cache.contains({3}));
  cache.set_budget_bytes(cache.bytes() - 1);
  EXPECT_FALSE(cache.contains({1}));
  EXPECT_TRUE(cache.contains({2}));
}

TEST(CachedLogitsSource, ExtendsKnownPrefixesByOneBatchedDecode) {
  ToyModel model(5, {0.2, 0.2, 0.2, 0.2, 0.2});
  LogitsCache cache;
  CachedLogitsSource source(model, cache);
  source.logits_for(TokenPrefix{1, 2, 3});
  EXPECT_EQ(model.prefill_calls, 1);
  const std::vector<TokenPrefix> next{{1, 2, 3, 0}, {1, 2, 3, 4}, {1, 2, 3, 4}};
  const auto out = source.logits_for(next);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(model.decode_calls, 1);
  EXPECT_EQ(model.sequences_run, 3);  // 1 prefill + 2 distinct extensions
  // A prefix whose parent KV is unknown but an ancestor's is: one prefill of
  // the missing tokens onto the ancestor, then one decode.
  source.logits_for(TokenPrefix{1, 2, 3, 4, 1, 1});
  EXPECT_EQ(model.prefill_calls, 2);
  EXPECT_EQ(model.decode_calls, 2);
}

TEST(Force, AddsABranchAndContinuesTheStrategy) {
  // Greedy took B; force C under the prompt: [1 C] -> D (.6) -> eos (.7).
  ToyWorld w;
  DecodeParams p;
  const DecodeResult first = w.decoder.run(w.prompt, p);
  const DecodeResult forced = w.decoder.force(first.tree, w.prompt, 0, 3, p);
  const TokenTree& t = forced.tree;
  // The original nodes are untouched prefixes of the new tree.
  ASSERT_GT(t.size(), first.tree.size());
  const int c = *t.find_child(0, 3);
  EXPECT_TRUE(t.node(c).forced);
  EXPECT_EQ(t.node(c).status, NodeStatus::Selected);
  ASSERT_EQ(t.sequences.size(), 1u);
  EXPECT_EQ(t.sequences[0].token_ids, (std::vector<std::int32_t>{3, 4, 0}));
  EXPECT_NEAR(t.sequences[0].score, std::log(0.6) + std::log(0.7), kTol);  // after the forced token
  EXPECT_NEAR(t.sequences[0].cum_logprob, std::log(0.3) + std::log(0.6) + std::log(0.7), kTol);
  // The first answer is still marked returned.
  EXPECT_EQ(t.node(first.tree.sequences[0].node).status, NodeStatus::Returned);
}

TEST(Force, BeamSearchFromAForcedToken) {
  ToyWorld w;
  const DecodeParams p = beam_params(2, 1.0, EarlyStopping::True);
  const DecodeResult first = w.decoder.run(w.prompt, p);
  // Force D under the prompt, then 3 more tokens of beam search from [1 D]
  // (fallback distribution .1 .2 .3 .25 .15 everywhere below).
  const DecodeResult forced = w.decoder.force(first.tree, w.prompt, 0, 4, p);
  EXPECT_FALSE(forced.tree.sequences.empty());
  for (const auto& s : forced.tree.sequences) EXPECT_EQ(s.token_ids.front(), 4);
  EXPECT_TRUE(forced.tree.node(*forced.tree.find_child(0, 4)).forced);
}

TEST(Force, RejectsBadNodesAndTokens) {
  ToyWorld w;
  DecodeParams p;
  const DecodeResult first = w.decoder.run(w.prompt, p);
  EXPECT_THROW(w.decoder.force(first.tree, w.prompt, 999, 1, p), Error);
  EXPECT_THROW(w.decoder.force(first.tree, w.prompt, 0, 77, p), Error);
}

TEST(Cancel, StopsWithinOneStep) {
  ToyWorld w;
  int calls = 0;
  const DecodeResult r = w.decoder.run(w.prompt, beam_params(2, 1.0, EarlyStopping::Never),
                                       [&](const TokenTree& tree, int step) {
                                         ++calls;
                                         EXPECT_EQ(step, 1);
                                         EXPECT_GT(tree.size(), 1);
                                         return false;
                                       });
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(calls, 1);
  for (const TreeNode& n : r.tree.nodes()) EXPECT_LE(n.step, 1);
}

TEST(Cancel, SamplingAndGreedyStopToo) {
  ToyWorld w;
  auto stop = [](const TokenTree&, int) { return false; };
  const DecodeResult s = w.decoder.run(w.prompt, sampling(1, 10), stop);
  EXPECT_TRUE(s.cancelled);
  for (const TreeNode& n : s.tree.nodes()) EXPECT_LE(n.step, 1);
  DecodeParams g;
  g.max_new_tokens = 4;
  w.model.set({1}, {0.01, 0.01, 0.96, 0.01, 0.01});
  const DecodeResult gr = w.decoder.run(std::vector<std::int32_t>{3, 3}, g, stop);
  EXPECT_TRUE(gr.cancelled);
  for (const TreeNode& n : gr.tree.nodes()) EXPECT_LE(n.step, 1);
}

TEST(Validation, RejectsBadParametersWithOneSentence) {
  ToyWorld w;
  auto expect_error = [&](DecodeParams p, const std::string& fragment) {
    try {
      w.decoder.run(w.prompt, p);
      ADD_FAILURE() << "no error for " << fragment;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  DecodeParams p;
  p.temperature = -1;
  expect_error(p, "temperature");
  p = {};
  p.top_p = 1.5;
  expect_error(p, "top_p");
  p = beam_params(2, 1.0, EarlyStopping::True);
  p.num_return_sequences = 3;
  expect_error(p, "num_return_sequences");
  p = {};
  p.max_new_tokens = 100;  // toy context is 64
  expect_error(p, "context");
  EXPECT_THROW(w.decoder.run(std::vector<std::int32_t>{}, DecodeParams{}), Error);
  EXPECT_THROW(w.decoder.run(std::vector<std::int32_t>{9}, DecodeParams{}), Error);
}
