// Threads split a product's column panels; every output is summed in the
// same order on any thread, so the logits must be the same bytes for any
// thread count.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "model/gpt2_model.h"
#include "util/thread_pool.h"

namespace beamscope {
namespace {

// Prefill logits of one sequence and one batched decode step of three.
std::vector<float> logits_with(int threads) {
  ThreadPool::set_shared_threads(threads);
  Gpt2Config c;
  c.n_embd = 128;
  c.n_head = 4;
  c.n_layer = 2;
  c.n_positions = 64;
  c.vocab_size = 700;
  c.n_inner = 512;
  Gpt2Model model(c, random_gpt2_weights(c, 21));
  const std::size_t V = 700;
  std::vector<float> out(4 * V);
  std::vector<std::unique_ptr<KvCache>> caches;
  for (int b = 0; b < 3; ++b) {
    caches.push_back(model.new_cache());
    std::vector<std::int32_t> prompt;
    for (int i = 0; i < 12 + b; ++i) prompt.push_back((i * 37 + b) % 700);
    std::vector<float> last(V);
    model.prefill(*caches.back(), prompt, last);
    if (b == 0) std::copy(last.begin(), last.end(), out.begin());
  }
  KvCache* batch[] = {caches[0].get(), caches[1].get(), caches[2].get()};
  const std::int32_t tokens[] = {5, 6, 7};
  model.decode(batch, tokens, std::span(out).subspan(V));
  return out;
}

TEST(Threads, LogitsAreTheSameBytesForOneTwoOrThreeThreads) {
  const std::vector<float> one = logits_with(1);
  for (int threads : {2, 3}) {
    const std::vector<float> many = logits_with(threads);
    ASSERT_EQ(many.size(), one.size());
    EXPECT_EQ(0, std::memcmp(many.data(), one.data(), one.size() * sizeof(float)))
        << threads << " threads";
  }
  ThreadPool::set_shared_threads(physical_core_count());
}

TEST(Threads, APoolRunsEveryChunkOnceAndUsesItsWorkers) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.threads(), 3);
  for (int chunks : {1, 2, 3, 5}) {
    std::mutex m;
    std::vector<int> runs(static_cast<std::size_t>(chunks), 0);
    std::set<std::thread::id> ids;
    for (int repeat = 0; repeat < 50; ++repeat) {
      pool.run(chunks, [&](int i) {
        {
          std::lock_guard lock(m);
          ++runs[static_cast<std::size_t>(i)];
          ids.insert(std::this_thread::get_id());
        }
        // Long enough that the workers, woken at once, take chunks too.
        std::this_thread::sleep_for(std::chrono::microseconds(300));
      });
    }
    for (int r : runs) EXPECT_EQ(r, 50) << chunks << " chunks";
    // Whoever is free takes the next chunk, so which threads ran is not
    // fixed; over 50 jobs the workers took some.
    EXPECT_LE(ids.size(), 3u);
    if (chunks > 1) EXPECT_GE(ids.size(), 2u) << chunks << " chunks";
  }
  EXPECT_GE(physical_core_count(), 1);
}

TEST(Threads, JobsKeepRunningAcrossTheWrapOfTheJobCounter) {
  // Chunks are tagged with the low 32 bits of the job number; job 2^32 once
  // found no chunk with its tag and its caller waited for ever. The jobs run
  // on another thread so that a hang fails this test instead of the suite.
  auto jobs = std::async(std::launch::async, [] {
    ThreadPool pool(2, (std::uint64_t{1} << 32) - 3);
    int ran = 0;
    std::mutex m;
    for (int job = 0; job < 6; ++job) {
      pool.run(4, [&](int) {
        std::lock_guard lock(m);
        ++ran;
      });
    }
    return ran;
  });
  if (jobs.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    ADD_FAILURE() << "a job after the counter's wrap never finished";
    std::_Exit(1);  // the stuck thread cannot be joined
  }
  EXPECT_EQ(jobs.get(), 24);
}

}  // namespace
}  // namespace beamscope
