// The paged, prefix-shared KV cache under real decoding trees on a small
// random GPT-2: memory grows with the distinct tokens of the tree, not with
// paths x length, and dropping pages under a budget changes no logit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <random>
#include <string>

#include "decoding/cached_logits_source.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "model/gpt2_model.h"
#include "model/transformer_kv_cache.h"
#include "toy_model.h"

namespace beamscope {
namespace {

Gpt2Config small_config() {
  Gpt2Config c;
  c.n_embd = 32;
  c.n_head = 4;
  c.n_layer = 2;
  c.n_positions = 320;
  c.vocab_size = 64;
  c.n_inner = 64;
  return c;
}

// Forwards to a model and counts the positions it computes: each is one
// distinct token of the tree unless something was computed twice.
class CountingModel final : public LanguageModel {
 public:
  explicit CountingModel(LanguageModel& inner) : inner_(inner) {}
  const ModelInfo& info() const override { return inner_.info(); }
  std::unique_ptr<KvCache> new_cache() const override { return inner_.new_cache(); }
  void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
               std::span<float> logits) override {
    prefilled += tokens.size();
    inner_.prefill(cache, tokens, logits);
  }
  void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
              std::span<float> logits) override {
    decoded += tokens.size();
    inner_.decode(caches, tokens, logits);
  }
  std::size_t positions() const { return prefilled + decoded; }
  std::size_t prefilled = 0, decoded = 0;

 private:
  LanguageModel& inner_;
};

struct RandomWorld {
  Gpt2Config config = small_config();
  Gpt2Model gpt2{config, random_gpt2_weights(config, 11)};
  CountingModel model{gpt2};
  test::ToyTokenizer tokenizer{pieces()};
  LogitsCache cache;
  Decoder decoder{model, tokenizer, {}, cache};

  static std::vector<std::string> pieces() {
    std::vector<std::string> p;
    for (int i = 0; i < 64; ++i) p.push_back("t" + std::to_string(i));
    return p;
  }
  // Bytes of keys/values in use across all of the model's caches.
  std::size_t kv_bytes() const { return gpt2.new_cache()->storage_bytes(); }
  std::size_t slot_bytes() const {
    return dynamic_cast<const TransformerKvCache&>(*gpt2.new_cache()).pool().slot_bytes();
  }
};

std::vector<std::int32_t> prompt_of(int n) {
  std::vector<std::int32_t> ids;
  for (int i = 0; i < n; ++i) ids.push_back((i * 7 + 3) % 64);
  return ids;
}

TEST(KvSharing, ABeam16TreeHoldsItsDistinctTokensOnce) {
  RandomWorld w;
  DecodeParams p;
  p.strategy = StrategyKind::Beam;
  p.num_beams = 16;
  p.num_return_sequences = 1;
  p.max_new_tokens = 256;
  p.early_stopping = EarlyStopping::Never;
  const DecodeResult r = w.decoder.run(prompt_of(8), p);
  ASSERT_GE(r.tree.size(), 16 * 200) << "a beam-16 tree over 256 steps";
  // Every position computed is a distinct token (nothing was recomputed: the
  // budget is far away), and its keys/values are held once.
  const std::size_t distinct = w.model.positions();
  EXPECT_GE(distinct, 16u * 250);
  EXPECT_LE(w.kv_bytes(), distinct * w.slot_bytes() * 12 / 10);
  EXPECT_GT(w.kv_bytes(), 0u);
  std::cout << "beam-16 tree: " << distinct << " distinct positions, "
            << w.kv_bytes() / w.slot_bytes() << " held\n";
}

TEST(KvSharing, TwoHundredSamplesAddNoCopyOfThePrompt) {
  RandomWorld w;
  DecodeParams p;
  p.strategy = StrategyKind::Sample;
  p.num_samples = 200;
  p.max_new_tokens = 6;
  p.seed = 5;
  const std::vector<std::int32_t> prompt = prompt_of(48);
  w.decoder.run(prompt, p);
  EXPECT_EQ(w.model.prefilled, prompt.size()) << "the prompt was computed once";
  // All positions held: the prompt once plus the distinct sampled tokens.
  const std::size_t held = w.kv_bytes() / w.slot_bytes();
  EXPECT_EQ(held, w.model.positions());
  EXPECT_LT(held, 2 * prompt.size() + 200 * 6) << "200 copies would be 200 x 48 positions";
}

// Random revisits of a random tree of prefixes: under a budget of a few
// positions the runner keeps dropping and rebuilding keys/values (prefill
// instead of a decode step), and every logit matches the unbounded run's bit
// for bit.
TEST(KvSharing, EvictionUnderASmallBudgetKeepsEveryLogit) {
  RandomWorld big, small;
  LogitsCache big_logits, small_logits;
  CachedLogitsSource unbounded(big.gpt2, big_logits);
  const std::size_t budget = 24 * small.slot_bytes();
  CachedLogitsSource bounded(small.gpt2, small_logits, budget);
  std::mt19937 rng(3);
  std::vector<TokenPrefix> known{prompt_of(5)};
  std::size_t compared = 0;
  for (int step = 0; step < 60; ++step) {
    std::vector<TokenPrefix> batch;
    for (int i = 0; i < 3; ++i) {
      TokenPrefix p = known[rng() % known.size()];
      p.push_back(static_cast<std::int32_t>(rng() % 64));
      batch.push_back(p);
      known.push_back(p);
    }
    const auto a = unbounded.logits_for(batch);
    const auto b = bounded.logits_for(batch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      ASSERT_EQ(a[i].logits->size(), b[i].logits->size());
      ASSERT_EQ(0, std::memcmp(a[i].logits->data(), b[i].logits->data(),
                               a[i].logits->size() * sizeof(float)))
          << "step " << step << ", prefix of length " << batch[i].size();
      ++compared;
    }
    // At most the budget, or one leaf (the longest prefix) that is larger.
    EXPECT_LE(bounded.kv_bytes(), std::max(budget, 65 * small.slot_bytes()));
  }
  EXPECT_EQ(compared, 180u);
  EXPECT_GT(bounded.model_calls(), unbounded.model_calls()) << "the budget forced rebuilds";
}

}  // namespace
}  // namespace beamscope
