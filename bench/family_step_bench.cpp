// Decode-step speed, load time and resident size of Llama-architecture models
// with real shapes (SmolLM2-135M, Llama-3.2-1B; random weights written by
// bench/make_family_bench_models.py, loaded by bench/family_step_reference.py
// too), and the per-node work of the decoder that scales with the vocabulary.
//
//   BM_DecodeStep/B       one step for B sequences at position 128, beside
//                         the memory-bandwidth bound of the weights it reads
//   BM_NodeWork/V/S       what the decoder does per tree node with a [V]
//                         distribution: log-sum-exp and order of the logits
//                         (the summary), the chain, the listed alternatives
//                         and their stage records; S = 0 greedy/beam (no
//                         stages), 1 sampling (temperature 0.7, top-p 0.9,
//                         min-p 0.05)
//   BM_NodeSummary/V      of that, the part done once per cached prefix:
//                         log-sum-exp and the order of the whole distribution
//   BM_MemoryBandwidth    the bandwidth the bounds use (bench_clock.h)
//   --load-only           loads the folder once and prints JSON: wall and CPU
//                         seconds, resident and peak resident size, file size
//
// Single-threaded, timed in thread CPU time (bench_clock.h).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "bench_clock.h"
#include "bench_threads.h"
#include "decoding/logits_summary.h"
#include "decoding/node_distribution.h"
#include "decoding/sampler_chain.h"
#include "model/model_folder.h"

namespace beamscope {
namespace {

constexpr int kPosition = 128;

std::filesystem::path model_dir() {
  const char* dir = std::getenv("BEAMSCOPE_BENCH_MODEL_DIR");
  return dir ? dir : "";
}

LoadedModel& loaded() {
  static LoadedModel m = load_model_folder(model_dir());
  return m;
}

// The weights one decode step reads at least: every stored tensor once (the
// bench models tie the head to the embeddings, so the table is read whole as
// the head; the few embedding rows the step looks up are in it). The header
// is a few kB of the file.
double weight_bytes_read() {
  double bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(model_dir())) {
    if (entry.path().extension() == ".safetensors") bytes += entry.file_size();
  }
  return bytes;
}

// The same formula as family_step_reference.py's prompt().
std::vector<std::int32_t> prompt(int n, int seed, int vocab) {
  std::vector<std::int32_t> ids(n);
  for (int i = 0; i < n; ++i)
    ids[i] = static_cast<std::int32_t>((seed * 7919L + i * 104729L) % vocab);
  return ids;
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

  double seconds = 0, best = 1e30;
  for (auto _ : state) {
    const double start = bench::thread_cpu_seconds();
    m.decode(pointers, tokens, logits);
    const double step = bench::thread_cpu_seconds() - start;
    seconds += step;
    best = std::min(best, step);
    benchmark::DoNotOptimize(logits.data());
    state.PauseTiming();
    for (auto& c : caches) c->truncate(kPosition);  // every step at position 128
    state.ResumeTiming();
  }
  const double bandwidth = bench::bandwidth_bytes_per_second();
  state.counters["cpu_ms"] = seconds / static_cast<double>(state.iterations()) * 1e3;
  // The best step, as the bandwidth is the best pass: the machine's other
  // tenants only ever slow a step down (their traffic shares the memory bus
  // even in CPU time), and the ratio to the bound compares like with like.
  state.counters["best_cpu_ms"] = best * 1e3;
  state.counters["weight_MB"] = weight_bytes_read() / 1e6;
  state.counters["bandwidth_GB_per_s"] = bandwidth / 1e9;
  state.counters["bound_ms"] = weight_bytes_read() / bandwidth * 1e3;
  // The other limit: every row multiplies every weight once (norms and the
  // like aside), at this core's F32 FMA peak. With one row it is far below
  // the memory bound; with four 16-bit rows on AVX2 it is not.
  const double params = static_cast<double>(m.info().parameter_count);
  state.counters["fma_bound_ms"] = 2 * batch * params / bench::fma_flops_per_second() * 1e3;
  state.counters["fma_GFLOP_per_s"] = bench::fma_flops_per_second() / 1e9;
  state.counters["vocab"] = V;
}
BENCHMARK(BM_DecodeStep)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_NodeWork(benchmark::State& state) {
  const int V = static_cast<int>(state.range(0));
  const bool sampling = state.range(1) == 1;
  // Logits spread like a trained model's (a few tokens stand out).
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<float> logits(V);
  for (auto& x : logits) x = normal(rng);
  DecodeParams params;
  if (sampling) {
    params.strategy = StrategyKind::Sample;
    params.temperature = 0.7;
    params.top_p = 0.9;
    params.min_p = 0.05;
  }
  const SamplerChain chain(params, sampling ? ChainScope::Sampling : ChainScope::PenaltiesOnly);
  const std::vector<std::int32_t> history = prompt(kPosition, 1, V);
  double seconds = 0;
  for (auto _ : state) {
    const double start = bench::thread_cpu_seconds();
    NodeDistribution d = make_node_distribution(logits, history, chain, ScoreBase::RawLogits,
                                                params.alternatives, *loaded().tokenizer);
    seconds += bench::thread_cpu_seconds() - start;
    benchmark::DoNotOptimize(d);
  }
  state.counters["cpu_ms"] = seconds / static_cast<double>(state.iterations()) * 1e3;
  state.counters["vocab"] = V;
}
BENCHMARK(BM_NodeWork)
    ->ArgsProduct({{49152, 128256, 151936, 262144}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

// The part of BM_NodeWork done once per cached prefix whatever the
// parameters: log-sum-exp and the order of the whole distribution.
void BM_NodeSummary(benchmark::State& state) {
  const int V = static_cast<int>(state.range(0));
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<float> logits(V);
  for (auto& x : logits) x = normal(rng);
  double seconds = 0;
  for (auto _ : state) {
    const double start = bench::thread_cpu_seconds();
    LogitsSummary s = summarize_logits(logits);
    seconds += bench::thread_cpu_seconds() - start;
    benchmark::DoNotOptimize(s);
  }
  state.counters["cpu_ms"] = seconds / static_cast<double>(state.iterations()) * 1e3;
}
BENCHMARK(BM_NodeSummary)
    ->Arg(49152)
    ->Arg(128256)
    ->Arg(151936)
    ->Arg(262144)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

// The yardstick alone, for the per-node rows (run without a model's steps).
void BM_MemoryBandwidth(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::bandwidth_bytes_per_second());
  state.counters["GB_per_s"] = bench::bandwidth_bytes_per_second() / 1e9;
}
BENCHMARK(BM_MemoryBandwidth)->Iterations(1);

long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  }
  return -1;
}

// One load, as the app does it; run after an earlier load (or a read of the
// files), so the page cache is warm and the time is the loader's own.
int load_only() {
  const double wall = bench::wall_seconds(), cpu = bench::thread_cpu_seconds();
  LoadedModel m = load_model_folder(model_dir());
  const double wall_s = bench::wall_seconds() - wall, cpu_s = bench::thread_cpu_seconds() - cpu;
  std::printf(
      "{\"load_wall_s\": %.3f, \"load_cpu_s\": %.3f, \"rss_mb\": %.1f, \"peak_rss_mb\": %.1f, "
      "\"file_mb\": %.1f, \"weight_bytes_held_mb\": %.1f, \"parameters\": %zu}\n",
      wall_s, cpu_s, status_kb("VmRSS:") / 1024.0, status_kb("VmHWM:") / 1024.0,
      weight_bytes_read() / 1e6, m.model->info().weight_bytes / 1e6,
      m.model->info().parameter_count);
  return 0;
}

// Logits of the check prompt (seed 0) for the reference to compare against.
void write_check_logits(const char* path) {
  LanguageModel& m = *loaded().model;
  auto cache = m.new_cache();
  std::vector<float> logits(m.info().vocab_size);
  m.prefill(*cache, prompt(kPosition, 0, m.info().vocab_size), logits);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(logits.data()),
            static_cast<std::streamsize>(logits.size() * sizeof(float)));
}

}  // namespace
}  // namespace beamscope

int main(int argc, char** argv) {
  if (beamscope::model_dir().empty()) {
    std::fprintf(stderr,
                 "Set BEAMSCOPE_BENCH_MODEL_DIR to a folder written by "
                 "bench/make_family_bench_models.py (bench/run.sh does this).\n");
    return 1;
  }
  try {
    beamscope::set_bench_threads();
    if (argc > 1 && std::strcmp(argv[1], "--load-only") == 0) return beamscope::load_only();
    beamscope::loaded();  // load before any timing
    if (const char* out = std::getenv("BEAMSCOPE_BENCH_LOGITS_OUT"))
      beamscope::write_check_logits(out);
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
