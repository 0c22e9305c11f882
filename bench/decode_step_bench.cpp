// Decode-step speed of a GPT-2-small-shaped model (124M parameters, random
// weights made in memory) next to the machine's memory bandwidth, so the
// result reads as "how close to the memory-bound limit": one decode step must
// stream every weight once, so weight_bytes / bandwidth is its floor.
//
//   BM_MemoryBandwidth      streaming read + sum of a 1 GiB buffer
//   BM_DecodeStep/B         one step for B sequences at position 128
//   BM_Prefill128           128 prompt tokens of one sequence in one pass
#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include <ctime>
#include <memory>
#include <numeric>
#include <vector>

#include "model/aligned_buffer.h"
#include "model/gpt2_model.h"

namespace beamscope {
namespace {

constexpr int kPosition = 128;

Gpt2Config gpt2_small() {
  Gpt2Config c;
  c.n_embd = 768;
  c.n_head = 12;
  c.n_layer = 12;
  c.n_positions = 1024;
  c.vocab_size = 50257;
  c.n_inner = 3072;
  return c;
}

Gpt2Model& model() {
  static Gpt2Model m(gpt2_small(), random_gpt2_weights(gpt2_small(), 1234));
  return m;
}

// Bytes one decode step must read: every weight except the embedding rows it
// does not look up (wpe is touched one row per token; wte is read whole as
// the tied head).
double weight_bytes_per_step() {
  const Gpt2Config c = gpt2_small();
  return static_cast<double>(model().info().weight_bytes) -
         static_cast<double>(c.n_positions) * c.n_embd * sizeof(float);
}

std::vector<std::int32_t> prompt(int n, int seed) {
  std::vector<std::int32_t> ids(n);
  for (int i = 0; i < n; ++i) ids[i] = (seed * 7919 + i * 104729) % 50257;
  return ids;
}

// CPU time of this thread. The build machine is shared (load ~8 on 2 cores),
// so wall-clock time mostly measures the neighbours; bandwidth and step times
// are both taken in CPU time so their ratio means something.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Sums a buffer far larger than the caches; returns bytes per CPU second.
double measure_bandwidth(FloatBuffer& buffer, double& sink) {
  const double start = thread_cpu_seconds();
  // Eigen's vectorised reduction keeps several SIMD accumulators in flight,
  // so the loop is limited by memory, not by add latency.
  const std::size_t n = buffer.size();
  sink += Eigen::Map<const Eigen::VectorXf>(buffer.data(), static_cast<Eigen::Index>(n)).sum();
  const double seconds = thread_cpu_seconds() - start;
  return n * sizeof(float) / seconds;
}

FloatBuffer& bandwidth_buffer() {
  static FloatBuffer buffer(std::size_t{1} << 28, 1.0f);  // 1 GiB
  return buffer;
}

// Best of a few passes, measured once and shared by the decode counters.
double bandwidth() {
  static const double best = [] {
    double sink = 0, b = 0;
    for (int i = 0; i < 5; ++i) b = std::max(b, measure_bandwidth(bandwidth_buffer(), sink));
    benchmark::DoNotOptimize(sink);
    return b;
  }();
  return best;
}

void BM_MemoryBandwidth(benchmark::State& state) {
  double sink = 0;
  for (auto _ : state) measure_bandwidth(bandwidth_buffer(), sink);
  benchmark::DoNotOptimize(sink);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          bandwidth_buffer().size() * sizeof(float));
  state.counters["GB_per_s"] = bandwidth() / 1e9;
}
BENCHMARK(BM_MemoryBandwidth)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_DecodeStep(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  Gpt2Model& m = model();
  const int V = m.info().vocab_size;
  std::vector<std::unique_ptr<KvCache>> caches;
  std::vector<KvCache*> pointers;
  std::vector<float> logits(static_cast<std::size_t>(batch) * V);
  for (int b = 0; b < batch; ++b) {
    caches.push_back(m.new_cache());
    m.prefill(*caches.back(), prompt(kPosition, b), std::span(logits).first(V));
    pointers.push_back(caches.back().get());
  }
  std::vector<std::int32_t> tokens(batch);
  std::iota(tokens.begin(), tokens.end(), 100);
  double step_seconds = 0;
  for (auto _ : state) {
    const double start = thread_cpu_seconds();
    m.decode(pointers, tokens, logits);
    step_seconds += thread_cpu_seconds() - start;
    benchmark::DoNotOptimize(logits.data());
    // Back to position 128 (O(1)), so every step costs the same.
    state.PauseTiming();
    for (auto& c : caches) c->truncate(kPosition);
    state.ResumeTiming();
  }
  const double bound_s = weight_bytes_per_step() / bandwidth();
  state.counters["weight_MB"] = weight_bytes_per_step() / 1e6;
  state.counters["bound_ms"] = bound_s * 1e3;
  // Fraction of the memory-bound floor reached (1.0 = streaming the weights
  // at the measured bandwidth; all in CPU time).
  state.counters["of_bound"] = bound_s / (step_seconds / static_cast<double>(state.iterations()));
  state.counters["tokens_per_s"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_DecodeStep)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Prefill128(benchmark::State& state) {
  Gpt2Model& m = model();
  auto cache = m.new_cache();
  std::vector<float> logits(m.info().vocab_size);
  const auto ids = prompt(kPosition, 7);
  for (auto _ : state) {
    cache->truncate(0);
    m.prefill(*cache, ids, logits);
    benchmark::DoNotOptimize(logits.data());
  }
  state.counters["tokens_per_s"] =
      benchmark::Counter(kPosition, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Prefill128)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace beamscope

BENCHMARK_MAIN();
