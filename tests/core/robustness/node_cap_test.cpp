// The node cap (DecodeParams::max_nodes): however wide the search (many
// samples, many beams, many listed alternatives, forced branches on top), the
// tree never holds more nodes than the cap. A step that could cross it is not
// started; the run returns the valid tree so far with `capped` set, and the
// front ends show node_cap_message().
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/decoding/toy_model.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

constexpr int kVocab = 40;

// The same gently sloping logits after every prefix: every strategy keeps
// branching (no EOS, no dominant token), the worst case for tree growth.
class SlopeModel final : public LanguageModel {
 public:
  SlopeModel() {
    info_.architecture = "slope";
    info_.vocab_size = kVocab;
    info_.context_length = 4096;
  }
  const ModelInfo& info() const override { return info_; }
  std::unique_ptr<KvCache> new_cache() const override { return std::make_unique<ToyKvCache>(); }
  void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
               std::span<float> logits) override {
    auto& toy = dynamic_cast<ToyKvCache&>(cache);
    toy.tokens.insert(toy.tokens.end(), tokens.begin(), tokens.end());
    fill(logits);
  }
  void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
              std::span<float> logits) override {
    for (std::size_t i = 0; i < caches.size(); ++i) {
      dynamic_cast<ToyKvCache&>(*caches[i]).tokens.push_back(tokens[i]);
      fill(logits.subspan(i * kVocab, kVocab));
    }
  }

 private:
  static void fill(std::span<float> row) {
    for (std::size_t t = 0; t < row.size(); ++t) row[t] = -0.05f * static_cast<float>(t);
  }
  ModelInfo info_;
};

struct Rig {
  SlopeModel model;
  ToyTokenizer tokenizer{pieces()};
  LogitsCache cache;
  Decoder decoder{model, tokenizer, {}, cache};
  const std::vector<std::int32_t> prompt{0, 1};

  static std::vector<std::string> pieces() {
    std::vector<std::string> p;
    for (int i = 0; i < kVocab; ++i) p.push_back(" w" + std::to_string(i));
    return p;
  }
};

DecodeParams wide(StrategyKind strategy, int max_nodes) {
  DecodeParams p;
  p.strategy = strategy;
  p.max_new_tokens = 200;
  p.alternatives = 5;
  p.max_nodes = max_nodes;
  if (strategy == StrategyKind::Beam) {
    p.num_beams = 8;
    p.num_return_sequences = 8;
  }
  if (strategy == StrategyKind::Sample) {
    p.num_samples = 64;
    p.num_return_sequences = 1;
    p.seed = 11;
  }
  return p;
}

// The most nodes one step of `p` can add (what the strategies check against).
int worst_step(const DecodeParams& p) {
  switch (p.strategy) {
    case StrategyKind::Greedy:
      return 1 + p.alternatives;
    case StrategyKind::Beam:
      return 2 * p.num_beams + p.num_beams * p.alternatives;
    case StrategyKind::Sample:
      return p.num_samples * (1 + p.alternatives);
  }
  return 0;
}

void expect_well_formed(const TokenTree& tree) {
  for (const TreeNode& n : tree.nodes()) {
    if (n.id == 0) continue;
    ASSERT_GE(n.parent, 0);
    ASSERT_LT(n.parent, n.id);
    EXPECT_EQ(n.step, tree.node(n.parent).step + 1);
  }
}

const std::vector<StrategyKind> kStrategies = {StrategyKind::Greedy, StrategyKind::Beam,
                                               StrategyKind::Sample};

TEST(NodeCap, DefaultIsDocumentedValue) {
  EXPECT_EQ(DecodeParams{}.max_nodes, 200000);
  EXPECT_EQ(DecodeParams::kDefaultMaxNodes, 200000);
}

TEST(NodeCap, EveryStrategyStopsAtTheCapAndNeverCrossesIt) {
  for (const StrategyKind s : kStrategies) {
    SCOPED_TRACE(std::string(to_string(s)));
    Rig rig;
    const int cap = 700;
    const DecodeParams p = wide(s, cap);
    int steps_reported = 0;
    const DecodeResult r = rig.decoder.run(rig.prompt, p, [&](const TokenTree& tree, int) {
      EXPECT_LE(tree.size(), cap);  // not only at the end: at every step
      ++steps_reported;
      return true;
    });
    EXPECT_TRUE(r.capped);
    EXPECT_FALSE(r.cancelled);
    EXPECT_LE(r.tree.size(), cap);
    // It stopped because the next step might not fit, not much earlier.
    EXPECT_GT(r.tree.size() + worst_step(p), cap);
    EXPECT_GT(steps_reported, 0);
    expect_well_formed(r.tree);
  }
}

TEST(NodeCap, CappedTreeIsAPrefixOfTheUncappedOne) {
  for (const StrategyKind s : kStrategies) {
    SCOPED_TRACE(std::string(to_string(s)));
    Rig rig;
    DecodeParams p = wide(s, 100);
    p.max_new_tokens = 30;
    const DecodeResult capped = rig.decoder.run(rig.prompt, p);
    p.max_nodes = DecodeParams::kDefaultMaxNodes;
    const DecodeResult full = rig.decoder.run(rig.prompt, p);
    ASSERT_TRUE(capped.capped);
    EXPECT_FALSE(full.capped);
    ASSERT_LT(capped.tree.size(), full.tree.size());
    // Same decisions up to the cap: same tokens under the same parents.
    for (int id = 0; id < capped.tree.size(); ++id) {
      EXPECT_EQ(capped.tree.node(id).token_id, full.tree.node(id).token_id) << id;
      EXPECT_EQ(capped.tree.node(id).parent, full.tree.node(id).parent) << id;
    }
    EXPECT_FALSE(full.tree.sequences.empty());
  }
}

TEST(NodeCap, ACapBelowOneStepGrowsNothing) {
  Rig rig;
  const DecodeResult r = rig.decoder.run(rig.prompt, wide(StrategyKind::Beam, 1));
  EXPECT_TRUE(r.capped);
  EXPECT_EQ(r.tree.size(), 1);  // the prompt's root only
  EXPECT_TRUE(r.tree.sequences.empty());
}

TEST(NodeCap, ForcedBranchesCannotPileUpPastTheCap) {
  Rig rig;
  DecodeParams p = wide(StrategyKind::Greedy, 60);
  p.max_new_tokens = 6;
  DecodeResult r = rig.decoder.run(rig.prompt, p);
  ASSERT_FALSE(r.capped);
  // Keep asking "what if" on alternatives of the root until the cap bites.
  int forced = 0;
  bool capped = false;
  for (std::int32_t token = 1; token < kVocab && !capped; ++token) {
    const auto child = r.tree.find_child(0, token);
    if (child && r.tree.node(*child).status != NodeStatus::Alternative) continue;
    const int before = r.tree.size();
    DecodeResult next = rig.decoder.force(r.tree, rig.prompt, 0, token, p);
    EXPECT_LE(next.tree.size(), p.max_nodes);
    capped = next.capped;
    if (capped && next.tree.size() == before) {
      EXPECT_TRUE(next.tree == r.tree);  // refused outright: nothing changed
    }
    r = std::move(next);
    ++forced;
  }
  EXPECT_TRUE(capped) << "forced " << forced << " branches, tree " << r.tree.size();
  expect_well_formed(r.tree);
}

TEST(NodeCap, OutOfRangeCapIsRefused) {
  for (const int bad : {0, -5, 10000001}) {
    DecodeParams p;
    p.max_nodes = bad;
    try {
      validate_decode_params(p);
      ADD_FAILURE() << "accepted max_nodes " << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("max_nodes"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(std::to_string(bad)), std::string::npos) << e.what();
    }
  }
}

TEST(NodeCap, MessageNamesTheCap) {
  EXPECT_EQ(node_cap_message(1234), "The tree reached its cap of 1234 nodes; decoding stopped.");
}

}  // namespace
}  // namespace beamscope::test
