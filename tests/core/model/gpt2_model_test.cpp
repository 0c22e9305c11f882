// Behaviour of the GPT-2 engine that needs no reference numbers: the KV cache
// operations a decoder relies on (fork, reorder, truncate, batch) must give
// the same logits as recomputing from scratch, and misuse must be a clear
// beamscope::Error that leaves the caches untouched.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "common/expect_error.h"
#include "model/gpt2_kv_cache.h"
#include "model/gpt2_model.h"
#include "model_test_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

// Same weights, same math, but different batch shapes change the summation
// order inside Eigen's GEMM blocks: float32 rounding only.
constexpr float kTolerance = 1e-5f;

class Gpt2ModelTest : public ::testing::Test {
 protected:
  Gpt2ModelTest()
      : config_(test::tiny_gpt2_config()),
        model_(config_, random_gpt2_weights(config_, 42, /*tied_head=*/false)),
        V_(config_.vocab_size) {}

  // Logits after feeding `ids` to a fresh cache in one prefill.
  std::vector<float> from_scratch(const std::vector<std::int32_t>& ids) {
    auto cache = model_.new_cache();
    std::vector<float> logits(V_);
    model_.prefill(*cache, ids, logits);
    return logits;
  }
  void expect_same(std::span<const float> a, std::span<const float> b, const std::string& what) {
    ASSERT_EQ(a.size(), b.size());
    float worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    EXPECT_LE(worst, kTolerance) << what;
  }
  void decode_one(KvCache& cache, std::int32_t token, std::span<float> logits) {
    KvCache* caches[] = {&cache};
    model_.decode(caches, std::span<const std::int32_t>(&token, 1), logits);
  }

  Gpt2Config config_;
  Gpt2Model model_;
  int V_;
};

TEST_F(Gpt2ModelTest, LogitsAreFiniteAndDependOnTheInput) {
  const auto a = from_scratch({1, 2, 3});
  const auto b = from_scratch({1, 2, 4});
  for (float v : a) ASSERT_TRUE(std::isfinite(v));
  float diff = 0;
  for (int i = 0; i < V_; ++i) diff = std::max(diff, std::abs(a[i] - b[i]));
  EXPECT_GT(diff, 1e-3f) << "the last token must change the logits";
}

TEST_F(Gpt2ModelTest, PrefillInPiecesEqualsPrefillAtOnce) {
  auto cache = model_.new_cache();
  std::vector<float> logits(V_);
  const std::vector<std::int32_t> first = {5, 6, 7}, second = {8, 9};
  model_.prefill(*cache, first, logits);
  model_.prefill(*cache, second, logits);
  EXPECT_EQ(cache->length(), 5);
  expect_same(logits, from_scratch({5, 6, 7, 8, 9}), "prefill 3 + 2 vs 5");
}

TEST_F(Gpt2ModelTest, DecodeStepsEqualPrefill) {
  auto cache = model_.new_cache();
  std::vector<float> logits(V_);
  model_.prefill(*cache, std::vector<std::int32_t>{3}, logits);
  const std::vector<std::int32_t> rest = {14, 15, 9, 26};
  std::vector<std::int32_t> ids = {3};
  for (auto t : rest) {
    decode_one(*cache, t, logits);
    ids.push_back(t);
    expect_same(logits, from_scratch(ids), "after " + std::to_string(ids.size()) + " tokens");
  }
}

TEST_F(Gpt2ModelTest, AllPositionLogitsEqualPrefixPrefills) {
  auto cache = model_.new_cache();
  std::vector<float> first(V_);
  model_.prefill(*cache, std::vector<std::int32_t>{2, 4}, first);
  // Continue the cache with three tokens and ask for every position.
  const std::vector<std::int32_t> more = {6, 8, 10};
  std::vector<float> all(3 * V_);
  model_.prefill_all_logits(*cache, more, all);
  EXPECT_EQ(cache->length(), 5);
  expect_same({all.data(), std::size_t(V_)}, from_scratch({2, 4, 6}), "row 0");
  expect_same({all.data() + V_, std::size_t(V_)}, from_scratch({2, 4, 6, 8}), "row 1");
  expect_same({all.data() + 2 * V_, std::size_t(V_)}, from_scratch({2, 4, 6, 8, 10}), "row 2");
  std::vector<float> wrong(V_);
  EXPECT_ERROR_CONTAINS(model_.prefill_all_logits(*cache, more, wrong), "room for 3 x 50 logits");
}

TEST_F(Gpt2ModelTest, ForkedAndReorderedCachesMatchRecomputation) {
  // A beam branches: the prompt's cache is cloned, both branches continue with
  // different tokens, and the batch is passed in swapped order (as a beam
  // search reorders its beams).
  auto parent = model_.new_cache();
  std::vector<float> logits(V_);
  const std::vector<std::int32_t> prompt = {10, 20, 30, 40};
  model_.prefill(*parent, prompt, logits);
  auto child = parent->clone();
  EXPECT_EQ(child->length(), 4);

  std::vector<float> batch(2 * V_);
  KvCache* step1[] = {child.get(), parent.get()};
  const std::int32_t tokens1[] = {7, 8};
  model_.decode(step1, tokens1, batch);
  expect_same({batch.data(), std::size_t(V_)}, from_scratch({10, 20, 30, 40, 7}), "child step 1");
  expect_same({batch.data() + V_, std::size_t(V_)}, from_scratch({10, 20, 30, 40, 8}),
              "parent step 1");

  KvCache* step2[] = {parent.get(), child.get()};
  const std::int32_t tokens2[] = {1, 2};
  model_.decode(step2, tokens2, batch);
  expect_same({batch.data(), std::size_t(V_)}, from_scratch({10, 20, 30, 40, 8, 1}),
              "parent step 2");
  expect_same({batch.data() + V_, std::size_t(V_)}, from_scratch({10, 20, 30, 40, 7, 2}),
              "child step 2");
}

TEST_F(Gpt2ModelTest, CloneIsDeep) {
  auto parent = model_.new_cache();
  std::vector<float> logits(V_);
  model_.prefill(*parent, std::vector<std::int32_t>{1, 2, 3}, logits);
  auto child = parent->clone();
  // Both write position 3 past the fork. A clone sharing the parent's rows
  // would let the child's write overwrite the parent's (and the other way
  // round), which shows in the step after: it reads position 3 back.
  decode_one(*parent, 44, logits);
  decode_one(*child, 11, logits);
  expect_same(logits, from_scratch({1, 2, 3, 11}), "child after parent moved on");
  decode_one(*parent, 5, logits);
  expect_same(logits, from_scratch({1, 2, 3, 44, 5}), "parent reads its own position 3");
  decode_one(*child, 6, logits);
  expect_same(logits, from_scratch({1, 2, 3, 11, 6}), "child reads its own position 3");
  // And the prompt rows were copied, not borrowed: a parent that backs up and
  // rewrites them leaves the child as it was.
  parent->truncate(1);
  decode_one(*parent, 9, logits);
  decode_one(*child, 7, logits);
  expect_same(logits, from_scratch({1, 2, 3, 11, 6, 7}), "child after parent rewrote position 1");
}

TEST_F(Gpt2ModelTest, TruncateBacksUp) {
  auto cache = model_.new_cache();
  std::vector<float> logits(V_);
  model_.prefill(*cache, std::vector<std::int32_t>{4, 5, 6, 7, 8}, logits);
  cache->truncate(2);
  EXPECT_EQ(cache->length(), 2);
  decode_one(*cache, 9, logits);
  expect_same(logits, from_scratch({4, 5, 9}), "truncate(2) then 9");
  EXPECT_THROW(cache->truncate(4), Error);
  EXPECT_THROW(cache->truncate(-1), Error);
}

TEST_F(Gpt2ModelTest, BatchRowsEqualSingleDecodes) {
  std::vector<std::unique_ptr<KvCache>> batch_caches, single_caches;
  std::vector<float> logits(V_);
  const std::vector<std::vector<std::int32_t>> prompts = {{1}, {2, 3, 4}, {5, 6, 7, 8, 9, 10, 11}};
  for (const auto& p : prompts) {
    batch_caches.push_back(model_.new_cache());
    single_caches.push_back(model_.new_cache());
    model_.prefill(*batch_caches.back(), p, logits);
    model_.prefill(*single_caches.back(), p, logits);
  }
  std::vector<KvCache*> pointers = {batch_caches[0].get(), batch_caches[1].get(),
                                    batch_caches[2].get()};
  const std::int32_t tokens[] = {12, 13, 14};
  std::vector<float> batch(3 * V_);
  model_.decode(pointers, tokens, batch);
  for (int i = 0; i < 3; ++i) {
    decode_one(*single_caches[i], tokens[i], logits);
    expect_same({batch.data() + i * V_, std::size_t(V_)}, logits, "row " + std::to_string(i));
    EXPECT_EQ(batch_caches[i]->length(), static_cast<int>(prompts[i].size()) + 1);
  }
}

TEST_F(Gpt2ModelTest, ExceedingTheContextIsAnErrorAndLeavesTheCache) {
  const int P = config_.n_positions;
  std::vector<std::int32_t> full(P);
  std::iota(full.begin(), full.end(), 0);
  auto cache = model_.new_cache();
  std::vector<float> logits(V_);
  model_.prefill(*cache, full, logits);  // exactly P is fine
  EXPECT_EQ(cache->length(), P);
  EXPECT_ERROR_CONTAINS(decode_one(*cache, 1, logits),
                        "The sequence would be 25 tokens long, but the model's context length is "
                        "24 tokens.");
  EXPECT_EQ(cache->length(), P);

  auto fresh = model_.new_cache();
  full.push_back(3);
  EXPECT_ERROR_CONTAINS(model_.prefill(*fresh, full, logits), "context length is 24");
  EXPECT_EQ(fresh->length(), 0);
}

TEST_F(Gpt2ModelTest, OutOfRangeTokenIdsAreErrors) {
  auto cache = model_.new_cache();
  std::vector<float> logits(V_);
  EXPECT_ERROR_CONTAINS(model_.prefill(*cache, std::vector<std::int32_t>{1, V_}, logits),
                        "Token id 50 is outside the model's vocabulary (0..49).");
  EXPECT_ERROR_CONTAINS(decode_one(*cache, -1, logits), "Token id -1 is outside");
  EXPECT_EQ(cache->length(), 0);
}

TEST_F(Gpt2ModelTest, MisuseOfDecodeIsAnError) {
  auto a = model_.new_cache();
  std::vector<float> logits(2 * V_);
  KvCache* twice[] = {a.get(), a.get()};
  const std::int32_t tokens[] = {1, 2};
  EXPECT_ERROR_CONTAINS(model_.decode(twice, tokens, logits), "the same KV cache twice");
  KvCache* one[] = {a.get()};
  EXPECT_ERROR_CONTAINS(model_.decode(one, tokens, logits), "1 caches but 2 tokens");
  KvCache* null_cache[] = {nullptr, a.get()};
  EXPECT_ERROR_CONTAINS(model_.decode(null_cache, tokens, logits), "null KV cache");
  std::vector<float> small(V_ - 1);
  EXPECT_ERROR_CONTAINS(model_.prefill(*a, std::vector<std::int32_t>{1}, small),
                        "room for 1 x 50 logits");
  EXPECT_ERROR_CONTAINS(model_.prefill(*a, std::vector<std::int32_t>{}, small), "at least one");
  // A cache from a model of another shape.
  Gpt2KvCache foreign(1, 8, 16);
  EXPECT_ERROR_CONTAINS(
      model_.prefill(foreign, std::vector<std::int32_t>{1}, std::span<float>(logits.data(), V_)),
      "not made by this model");
  EXPECT_EQ(a->length(), 0);
}

TEST_F(Gpt2ModelTest, EmptyBatchDoesNothingButIsStillChecked) {
  std::vector<float> none;
  EXPECT_NO_THROW(model_.decode({}, {}, none));
  // An empty batch is checked like any other: logits room or tokens that do
  // not match zero caches are caller bugs, not something to skip quietly.
  std::vector<float> one_row(V_, 123.0f);
  EXPECT_ERROR_CONTAINS(model_.decode({}, {}, one_row), "room for 0 x");
  EXPECT_EQ(one_row, std::vector<float>(V_, 123.0f));
  const std::int32_t token = 1;
  EXPECT_ERROR_CONTAINS(model_.decode({}, std::span<const std::int32_t>(&token, 1), none),
                        "0 caches but 1 tokens");
  // The model is as good as before for the next real step.
  auto cache = model_.new_cache();
  model_.prefill(*cache, std::vector<std::int32_t>{3, 4}, one_row);
  decode_one(*cache, 5, one_row);
  expect_same(one_row, from_scratch({3, 4, 5}), "a step after the empty batches");
}

TEST_F(Gpt2ModelTest, RejectsWeightsOfTheWrongSize) {
  Gpt2Weights w = random_gpt2_weights(config_, 1);
  w.layers[1].mlp_fc_bias.pop_back();
  EXPECT_ERROR_CONTAINS(Gpt2Model(config_, std::move(w)), "tensor 'h.1.mlp.c_fc.bias' has 127");
}

// ---- the cache on its own ----

TEST(Gpt2KvCacheTest, TakesSlotsUpToTheContextAndClonesShareThem) {
  Gpt2KvCache cache(/*n_layer=*/2, /*n_embd=*/8, /*max_positions=*/200);
  const std::size_t slot = cache.pool().slot_bytes();
  EXPECT_EQ(slot, 2u * 2 * 16 * sizeof(float)) << "rows padded to 16 floats";
  EXPECT_EQ(cache.bytes(), 0u);
  cache.reserve(10);
  cache.key_row(1, 3)[5] = 42.0f;  // layer 1, position 3, column 5
  cache.value_row(1, 3)[5] = 7.0f;
  cache.set_length(10);
  EXPECT_EQ(cache.bytes(), 10 * slot);
  cache.reserve(190);
  EXPECT_EQ(cache.key_row(1, 3)[5], 42.0f) << "growing keeps valid rows";
  EXPECT_THROW(cache.reserve(201), Error) << "capped at the context length";

  auto copy = cache.clone();
  auto& typed = dynamic_cast<Gpt2KvCache&>(*copy);
  EXPECT_EQ(typed.length(), 10);
  EXPECT_EQ(typed.bytes(), 10 * slot) << "a clone holds only what its length needs";
  EXPECT_EQ(typed.key_row(1, 3), cache.key_row(1, 3)) << "and shares those positions";
  EXPECT_EQ(typed.value_row(1, 3)[5], 7.0f);
  EXPECT_EQ(cache.pool().slots_in_use(), 190u) << "no position was copied";
  typed.reserve(11);
  EXPECT_NE(typed.key_row(0, 10), cache.key_row(0, 10)) << "growing a clone takes its own slot";
  copy.reset();
  cache.truncate(4);
  EXPECT_EQ(cache.pool().slots_in_use(), 4u) << "dropped positions go back to the pool";
}

}  // namespace
}  // namespace beamscope
