// "Nothing per step allocates in the steady state": counts malloc calls made
// during decode steps once the scratch buffers and KV caches have grown
// (tests/common/malloc_counter.h interposes malloc for this test binary).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>

#include "common/malloc_counter.h"
#include "model/gpt2_model.h"
#include "model_test_files.h"

namespace beamscope {
namespace {

using test::g_counting;
using test::g_mallocs;

TEST(SteadyState, DecodeStepsDoNotAllocate) {
  if (!BEAMSCOPE_COUNTS_MALLOC) GTEST_SKIP() << "Skipping: malloc is not countable under ASan.";
  const Gpt2Config config = test::tiny_gpt2_config();
  Gpt2Model model(config, random_gpt2_weights(config, 4));
  const int V = config.vocab_size;
  for (int batch : {1, 3}) {
    SCOPED_TRACE("batch " + std::to_string(batch));
    std::vector<std::unique_ptr<KvCache>> caches;
    std::vector<KvCache*> pointers;
    std::vector<float> logits(static_cast<std::size_t>(batch) * V);
    for (int b = 0; b < batch; ++b) {
      caches.push_back(model.new_cache());
      model.prefill(*caches.back(), std::vector<std::int32_t>{1, 2, 3}, std::span(logits).first(V));
      pointers.push_back(caches.back().get());
    }
    std::vector<std::int32_t> tokens(batch, 7);
    model.decode(pointers, tokens, logits);  // warm-up: scratch grows to this batch

    g_mallocs = 0;
    g_counting = true;
    for (int step = 0; step < 10; ++step) model.decode(pointers, tokens, logits);
    g_counting = false;
    // 3 + 1 + 10 = 14 positions stay inside the first 64-position chunk.
    EXPECT_EQ(g_mallocs.load(), 0) << "heap allocations during 10 steady-state decode steps";
    ASSERT_EQ(caches[0]->length(), 14);
  }
}

TEST(SteadyState, TheCounterSeesAllocations) {
  // Guards against the interposition silently not working.
  if (!BEAMSCOPE_COUNTS_MALLOC) GTEST_SKIP() << "Skipping: malloc is not countable under ASan.";
  g_mallocs = 0;
  g_counting = true;
  auto* p = new std::vector<float>(1000);
  g_counting = false;
  delete p;
  EXPECT_GE(g_mallocs.load(), 2);
}

}  // namespace
}  // namespace beamscope
