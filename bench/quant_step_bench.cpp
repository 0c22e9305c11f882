// Decode step and 128-token prefill of a quantized GGUF file
// (BEAMSCOPE_BENCH_GGUF; bench/make_gguf_bench_models.py writes GPT-2-small
// and Llama-3.2-1B shaped Q8_0 and Q4_K_M files), with the weights kept
// quantized and decoded in the kernel, or, with BEAMSCOPE_GGUF_DEQUANTIZE=1,
// dequantized to float panels at load as before (bench/run_quant.sh runs
// both). Beside each step: the memory-bandwidth bound of reading the
// weights the step reads (the file's tensor bytes) once.
//
//   BM_DecodeStep/B   one step for B sequences at position 128
//   BM_Prefill/128    128 tokens into an empty cache
//   --load-only       loads the file once and prints JSON: wall seconds,
//                     resident size, file size, weight bytes held
//
// Threads: BEAMSCOPE_BENCH_THREADS (default 1); timed in thread CPU time
// with one thread, else in wall time (bench_clock.h).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "bench_clock.h"
#include "bench_threads.h"
#include "model/gguf/gguf_file.h"
#include "model/gguf/gguf_model.h"

namespace beamscope {
namespace {

constexpr int kPosition = 128;

std::filesystem::path gguf_path() {
  const char* p = std::getenv("BEAMSCOPE_BENCH_GGUF");
  return p ? p : "";
}

LoadedModel& loaded() {
  static LoadedModel m = load_gguf_model(gguf_path());
  return m;
}

// What a step reads at least: every tensor once (the head is tied to the
// embedding table, so the table is read whole).
double weight_bytes_read() {
  static const double bytes = [] {
    const GgufFile f(gguf_path());
    double total = 0;
    for (const GgufTensor& t : f.tensors()) total += static_cast<double>(t.bytes);
    return total;
  }();
  return bytes;
}

bool one_thread() { return ThreadPool::shared().threads() == 1; }
double now() { return one_thread() ? bench::thread_cpu_seconds() : bench::wall_seconds(); }

std::vector<std::int32_t> prompt(int n, int seed, int vocab) {
  std::vector<std::int32_t> ids(n);
  for (int i = 0; i < n; ++i)
    ids[i] = static_cast<std::int32_t>((seed * 7919L + i * 104729L) % vocab);
  return ids;
}

void counters(benchmark::State& state, double seconds) {
  const double bandwidth = bench::bandwidth_bytes_per_second();
  state.counters["ms"] = seconds / static_cast<double>(state.iterations()) * 1e3;
  state.counters["weight_MB"] = weight_bytes_read() / 1e6;
  state.counters["held_MB"] = static_cast<double>(loaded().model->info().weight_bytes) / 1e6;
  state.counters["bound_ms"] = weight_bytes_read() / bandwidth * 1e3;
  state.counters["threads"] = ThreadPool::shared().threads();
}

void BM_DecodeStep(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  LanguageModel& m = *loaded().model;
  const int V = m.info().vocab_size;
  std::vector<std::unique_ptr<KvCache>> caches;
  std::vector<KvCache*> pointers;
  std::vector<float> logits(static_cast<std::size_t>(batch) * V);
  for (int b = 0; b < batch; ++b) {
    caches.push_back(m.new_cache());
    m.prefill(*caches.back(), prompt(kPosition, b, V), std::span(logits).first(V));
    pointers.push_back(caches.back().get());
  }
  std::vector<std::int32_t> tokens(batch);
  std::iota(tokens.begin(), tokens.end(), 100);
  m.decode(pointers, tokens, logits);  // scratch grows to this batch, untimed
  for (auto& c : caches) c->truncate(kPosition);
  double seconds = 0;
  for (auto _ : state) {
    const double start = now();
    m.decode(pointers, tokens, logits);
    seconds += now() - start;
    benchmark::DoNotOptimize(logits.data());
    state.PauseTiming();
    for (auto& c : caches) c->truncate(kPosition);
    state.ResumeTiming();
  }
  counters(state, seconds);
}
BENCHMARK(BM_DecodeStep)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Prefill(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  LanguageModel& m = *loaded().model;
  const int V = m.info().vocab_size;
  std::vector<float> logits(static_cast<std::size_t>(V));
  const std::vector<std::int32_t> ids = prompt(n, 1, V);
  double seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<KvCache> cache = m.new_cache();
    state.ResumeTiming();
    const double start = now();
    m.prefill(*cache, ids, logits);
    seconds += now() - start;
    benchmark::DoNotOptimize(logits.data());
  }
  counters(state, seconds);
}
BENCHMARK(BM_Prefill)->Arg(128)->Unit(benchmark::kMillisecond)->MinTime(2.0);

long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  }
  return -1;
}

int load_only() {
  const double wall = bench::wall_seconds();
  LoadedModel m = load_gguf_model(gguf_path());
  const double wall_s = bench::wall_seconds() - wall;
  // The mapping of the file is gone once loaded: what stays resident is
  // what the model holds.
  std::printf(
      "{\"load_wall_s\": %.3f, \"rss_mb\": %.1f, \"peak_rss_mb\": %.1f, \"file_mb\": %.1f, "
      "\"tensor_mb\": %.1f, \"weight_bytes_held_mb\": %.1f}\n",
      wall_s, status_kb("VmRSS:") / 1024.0, status_kb("VmHWM:") / 1024.0,
      static_cast<double>(std::filesystem::file_size(gguf_path())) / 1e6, weight_bytes_read() / 1e6,
      static_cast<double>(m.model->info().weight_bytes) / 1e6);
  return 0;
}

}  // namespace
}  // namespace beamscope

int main(int argc, char** argv) {
  if (beamscope::gguf_path().empty()) {
    std::fprintf(stderr,
                 "Set BEAMSCOPE_BENCH_GGUF to a file written by bench/make_gguf_bench_models.py "
                 "(bench/run_quant.sh does this).\n");
    return 1;
  }
  try {
    beamscope::set_bench_threads();
    if (argc > 1 && std::strcmp(argv[1], "--load-only") == 0) return beamscope::load_only();
    beamscope::loaded();  // load before any timing
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
