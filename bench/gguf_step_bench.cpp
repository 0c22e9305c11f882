// Our decode step and 128-token prefill on a GGUF file, timed exactly as
// bench/llama_cpp_step.mjs times llama.cpp on the same file (bench/
// run_llama_cpp.sh runs both in one run): wall-clock milliseconds with the
// same number of threads, best and median of the repetitions in about
// SECONDS, the same prompt ids.
//
//   gguf_step_bench MODEL.gguf THREADS SECONDS   -> one JSON object
//
//   decode   one token at position 128 (after a 128-token prompt), its
//            logits; the cache is truncated back to 128 after each step
//   prefill  128 prompt tokens from an empty cache, logits of the last one
//
// Wall-clock, not CPU time: with two threads the CPU time of the process
// counts both, and llama.cpp's threads spin at their barriers, so only the
// time a user waits compares the two. The machine is shared; the best of
// many repetitions is the figure least moved by the neighbours. The least
// process CPU time of a repetition is reported too (cpu_best): with one
// thread it is the figure a loaded machine moves least.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "model/model_folder.h"
#include "util/thread_pool.h"

namespace beamscope {
namespace {

constexpr int kPosition = 128;

// The same formula as llama_cpp_step.mjs's prompt().
std::vector<std::int32_t> prompt(int n, long seed, long vocab) {
  std::vector<std::int32_t> ids(n);
  for (int i = 0; i < n; ++i)
    ids[i] = static_cast<std::int32_t>((seed * 7919 + i * 104729L) % vocab);
  return ids;
}

struct Summary {
  double best = 0, median = 0, cpu_best = 0;
  std::size_t n = 0;
};

// CPU time of the whole process (all threads), in milliseconds.
double process_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return 1e3 * static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_nsec);
}

// Runs `once` (returning wall milliseconds) untimed once, then for about
// `seconds` and at least 3 times; also the least process CPU time of one
// repetition (with one thread, the time a quiet machine would take).
Summary timed(const std::function<double()>& once, double seconds) {
  using Clock = std::chrono::steady_clock;
  once();
  std::vector<double> samples;
  double cpu_best = 1e300;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  while (samples.size() < 3 || Clock::now() < until) {
    const double cpu = process_cpu_ms();
    samples.push_back(once());
    cpu_best = std::min(cpu_best, process_cpu_ms() - cpu);
  }
  std::sort(samples.begin(), samples.end());
  return {samples.front(), samples[samples.size() / 2], cpu_best, samples.size()};
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::string json(const Summary& s) {
  char out[160];
  std::snprintf(out, sizeof out,
                "{\"best\": %.3f, \"median\": %.3f, \"cpu_best\": %.3f, \"n\": %zu}", s.best,
                s.median, s.cpu_best, s.n);
  return out;
}

int run(const char* path, int threads, double seconds) {
  ThreadPool::set_shared_threads(threads);
  const auto load_start = std::chrono::steady_clock::now();
  LoadedModel loaded = load_model(path);
  const double load_ms = ms_since(load_start);
  LanguageModel& m = *loaded.model;
  const int V = m.info().vocab_size;
  std::vector<float> logits(V);
  const auto ids = prompt(kPosition, 7, V);
  auto cache = m.new_cache();

  const Summary prefill = timed(
      [&] {
        cache->truncate(0);
        const auto start = std::chrono::steady_clock::now();
        m.prefill(*cache, ids, logits);
        return ms_since(start);
      },
      seconds);

  cache->truncate(0);
  m.prefill(*cache, ids, logits);
  KvCache* caches[] = {cache.get()};
  const std::int32_t token[] = {100};
  const Summary decode = timed(
      [&] {
        const auto start = std::chrono::steady_clock::now();
        m.decode(caches, token, logits);
        const double ms = ms_since(start);
        cache->truncate(kPosition);
        return ms;
      },
      seconds);

  std::printf(
      "{\"model\": \"%s\", \"threads\": %d, \"vocab\": %d, \"load_ms\": %.1f, \"decode_ms\": %s, "
      "\"prefill_ms\": %s, \"weight_bytes\": %zu}\n",
      path, threads, V, load_ms, json(decode).c_str(), json(prefill).c_str(),
      static_cast<std::size_t>(m.info().weight_bytes));
  return 0;
}

}  // namespace
}  // namespace beamscope

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: gguf_step_bench MODEL.gguf THREADS SECONDS\n");
    return 2;
  }
  try {
    return beamscope::run(argv[1], std::atoi(argv[2]), std::atof(argv[3]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
