// Decoding on inputs no sane model gives but a corrupt or hostile one can:
// NaN / +inf / all -inf logits (weights files may hold NaN and still be valid
// safetensors), and a beam wider than the vocabulary. The decoder must never
// crash, hang or return garbage silently: each case either refuses with one
// clear sentence or produces a tree whose numbers are what the rules say.
// (The CLI test BadInputsCli covers the same through a weights file.)
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/decoding/toy_model.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// A model whose logits are the same fixed row after every prefix.
class FixedLogitsModel final : public LanguageModel {
 public:
  explicit FixedLogitsModel(std::vector<float> row) : row_(std::move(row)) {
    info_.architecture = "fixed";
    info_.vocab_size = static_cast<int>(row_.size());
    info_.context_length = 64;
  }
  const ModelInfo& info() const override { return info_; }
  std::unique_ptr<KvCache> new_cache() const override { return std::make_unique<ToyKvCache>(); }
  void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
               std::span<float> logits) override {
    auto& toy = dynamic_cast<ToyKvCache&>(cache);
    toy.tokens.insert(toy.tokens.end(), tokens.begin(), tokens.end());
    std::copy(row_.begin(), row_.end(), logits.begin());
  }
  void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
              std::span<float> logits) override {
    for (std::size_t i = 0; i < caches.size(); ++i) {
      dynamic_cast<ToyKvCache&>(*caches[i]).tokens.push_back(tokens[i]);
      std::copy(row_.begin(), row_.end(), logits.begin() + i * row_.size());
    }
  }

 private:
  std::vector<float> row_;
  ModelInfo info_;
};

ToyTokenizer tokenizer_for(std::size_t vocab) {
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < vocab; ++i) pieces.push_back(" t" + std::to_string(i));
  return ToyTokenizer(pieces);
}

DecodeParams params(StrategyKind strategy, int beams = 1) {
  DecodeParams p;
  p.strategy = strategy;
  p.num_beams = beams;
  p.num_return_sequences = 1;
  p.max_new_tokens = 4;
  p.seed = 5;
  p.num_samples = 3;
  return p;
}

// Runs one decode; returns the error text, or "" and fills `tree`.
std::string run(const std::vector<float>& row, const DecodeParams& p, TokenTree* tree = nullptr) {
  FixedLogitsModel model(row);
  const ToyTokenizer tokenizer = tokenizer_for(row.size());
  LogitsCache cache;
  Decoder decoder(model, tokenizer, {}, cache);
  const std::vector<std::int32_t> prompt{0};
  try {
    DecodeResult r = decoder.run(prompt, p);
    if (tree) *tree = std::move(r.tree);
    return "";
  } catch (const Error& e) {
    return e.what();
  }
}

const std::vector<StrategyKind> kStrategies = {StrategyKind::Greedy, StrategyKind::Beam,
                                               StrategyKind::Sample};

// A GPT-2 never produces a non-finite logit from finite weights, so one is
// taken as corrupt weights: the run stops with a sentence saying so, for
// every strategy, rather than ranking NaN or computing inf - inf.
TEST(DecoderEdgeCases, NonFiniteLogitsAreRefused) {
  const std::vector<std::vector<float>> rows = {
      {1.0f, kNan, 0.5f, 0.0f}, {kNan, kNan, kNan}, {1.0f, kInf, 0.5f}, {-kInf, -kInf, -kInf}};
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (const StrategyKind s : kStrategies) {
      SCOPED_TRACE(std::string(to_string(s)) + ", row " + std::to_string(r));
      const std::string error = run(rows[r], params(s, s == StrategyKind::Beam ? 2 : 1));
      EXPECT_NE(error.find("non-finite logit"), std::string::npos) << error;
      EXPECT_NE(error.find("corrupt"), std::string::npos) << error;
    }
  }
}

TEST(DecoderEdgeCases, BeamWiderThanTheVocabulary) {
  // 3 tokens, 4 beams: 2 x 4 candidates per step but only 3 (then 12) exist.
  const std::vector<float> row{0.0f, -1.0f, -2.0f};
  DecodeParams p = params(StrategyKind::Beam, 4);
  p.num_return_sequences = 4;
  TokenTree tree;
  const std::string error = run(row, p, &tree);
  if (!error.empty()) {
    EXPECT_NE(error.find("num_beams"), std::string::npos) << error;
    return;
  }
  ASSERT_EQ(tree.sequences.size(), 4u);
  for (std::size_t i = 1; i < tree.sequences.size(); ++i) {
    EXPECT_GE(tree.sequences[i - 1].score, tree.sequences[i].score);
    EXPECT_NE(tree.sequences[i - 1].token_ids, tree.sequences[i].token_ids);
  }
  for (const auto& s : tree.sequences) EXPECT_TRUE(std::isfinite(s.score));
}

}  // namespace
}  // namespace beamscope::test
