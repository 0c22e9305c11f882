// Decode-step speed of a GPT-2-small-shaped model (124M parameters, random
// weights) next to the machine's memory bandwidth, so the result reads as
// "how close to the memory-bound limit": one decode step must stream every
// weight once, so weight_bytes / bandwidth is its floor.
//
// The model is the folder in $BEAMSCOPE_BENCH_MODEL_DIR, written by
// bench/make_gpt2_small.py; bench/decode_step_reference.py loads the very same
// file into PyTorch. With $BEAMSCOPE_BENCH_LOGITS_OUT set, the last-position
// logits of the 128-token check prompt are written there (raw float32) so the
// reference can show both sides compute the same function.
//
//   BM_MemoryBandwidth      streaming read + sum of a 1 GiB buffer (one thread,
//                           and split over every thread of the pool)
//   BM_DecodeStep/B         one step for B sequences at position 128
//   BM_Prefill128           128 prompt tokens of one sequence in one pass, with
//                           its floating-point work and the time this core
//                           needs for it at its F32 FMA peak
//   BM_FmaPeak              that peak: independent F32 FMAs, no memory
//   BM_Products/T           the step's matrix products alone for T rows (F32
//                           matrices of the model's shapes), wall clock
//
// With BEAMSCOPE_BENCH_THREADS unset everything is single-threaded and timed
// in thread CPU time (see thread_cpu_seconds()); with more threads the
// step's wall-clock time (real_time) is the figure, beside the all-core
// bound (bound_all_cores_ms).
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>
#include <vector>

#include "bench_clock.h"
#include "bench_threads.h"
#include "heap_counter.h"
#include "model/aligned_buffer.h"
#include "model/gpt2_model.h"
#include "model/panel_matrix.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace beamscope {
namespace {

constexpr int kPosition = 128;

std::filesystem::path model_dir() {
  const char* dir = std::getenv("BEAMSCOPE_BENCH_MODEL_DIR");
  return dir ? dir : "";
}

Gpt2Model& model() {
  static std::unique_ptr<Gpt2Model> m = load_gpt2_model(model_dir());
  return *m;
}

// Bytes one decode step must read: every weight as held in memory, except
// the position embeddings (one row per token is touched; wte is read whole as
// the tied head). An F16 file's matrices are held (and streamed) as halves,
// so for it this is about half the F32 figure.
double weight_bytes_per_step() {
  const Gpt2Config& c = model().config();
  return static_cast<double>(model().info().weight_bytes) -
         static_cast<double>(c.n_positions) * c.n_embd * sizeof(float);
}

// The same formula as decode_step_reference.py's prompt().
std::vector<std::int32_t> prompt(int n, int seed) {
  std::vector<std::int32_t> ids(n);
  for (int i = 0; i < n; ++i) ids[i] = (seed * 7919 + i * 104729) % 50257;
  return ids;
}

// CPU time of this thread. The build machine is shared (other builds and a
// training job), so wall-clock time mostly measures the neighbours;
// bandwidth and step times are both taken in CPU time so their ratio means
// something.
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

// Best of ten passes (neighbours' memory traffic only ever slows a pass
// down), measured once and shared by the decode counters.
double bandwidth() {
  static const double best = [] {
    double sink = 0, b = 0;
    for (int i = 0; i < 10; ++i) b = std::max(b, measure_bandwidth(bandwidth_buffer(), sink));
    benchmark::DoNotOptimize(sink);
    return b;
  }();
  return best;
}

// The same streaming sum split over every thread of the model's pool
// (BEAMSCOPE_BENCH_THREADS), one slice each, in wall-clock time: what all
// cores together can read, the yardstick for a multi-threaded step. One
// core alone cannot fill the memory system (its outstanding misses limit it),
// so with 2 threads this reads well above bandwidth().
double measure_bandwidth_all_cores(FloatBuffer& buffer, double& sink) {
  ThreadPool& pool = ThreadPool::shared();
  const int threads = pool.threads();
  const std::size_t n = buffer.size();
  std::vector<double> sums(static_cast<std::size_t>(threads));
  const auto start = std::chrono::steady_clock::now();
  pool.run(threads, [&](int i) {
    const std::size_t first = n * static_cast<std::size_t>(i) / threads;
    const std::size_t end = n * static_cast<std::size_t>(i + 1) / threads;
    sums[static_cast<std::size_t>(i)] =
        Eigen::Map<const Eigen::VectorXf>(buffer.data() + first,
                                          static_cast<Eigen::Index>(end - first))
            .sum();
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (double s : sums) sink += s;
  return n * sizeof(float) / seconds;
}

double bandwidth_all_cores() {
  static const double best = [] {
    double sink = 0, b = 0;
    for (int i = 0; i < 10; ++i)
      b = std::max(b, measure_bandwidth_all_cores(bandwidth_buffer(), sink));
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
  state.counters["all_cores_GB_per_s"] = bandwidth_all_cores() / 1e9;
  state.counters["threads"] = ThreadPool::shared().threads();
}
BENCHMARK(BM_MemoryBandwidth)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_FmaPeak(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::fma_flops_per_second());
  state.counters["GFLOP_per_s"] = bench::fma_flops_per_second() / 1e9;
}
BENCHMARK(BM_FmaPeak)->Iterations(1);

// Multiply-adds of one row through the blocks' weight matrices (qkv, proj,
// fc, proj), and through those and the head: the arithmetic a decode step
// cannot skip, per sequence.
double block_macs_per_row() {
  const Gpt2Config& c = model().config();
  const double C = c.n_embd, F = c.n_inner;
  return c.n_layer * (3 * C * C + C * C + 2 * C * F);
}
double head_macs_per_row() {
  return static_cast<double>(model().config().n_embd) * model().config().vocab_size;
}
double matrix_macs_per_row() { return block_macs_per_row() + head_macs_per_row(); }

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
  // One untimed step first, so scratch buffers have grown to this batch.
  m.decode(pointers, tokens, logits);
  for (auto& c : caches) c->truncate(kPosition);

  double step_seconds = 0;
  std::int64_t allocations = 0;
  for (auto _ : state) {
    bench::start_counting_allocations();
    const double start = thread_cpu_seconds();
    m.decode(pointers, tokens, logits);
    step_seconds += thread_cpu_seconds() - start;
    allocations += bench::stop_counting_allocations();
    benchmark::DoNotOptimize(logits.data());
    // Back to position 128 (O(1)), so every step costs the same.
    state.PauseTiming();
    for (auto& c : caches) c->truncate(kPosition);
    state.ResumeTiming();
  }
  const double iterations = static_cast<double>(state.iterations());
  const double bound_s = weight_bytes_per_step() / bandwidth();
  state.counters["cpu_ms"] = step_seconds / iterations * 1e3;
  state.counters["weight_MB"] = weight_bytes_per_step() / 1e6;
  state.counters["bandwidth_GB_per_s"] = bandwidth() / 1e9;
  state.counters["bound_ms"] = bound_s * 1e3;
  // With several threads the step is timed in wall-clock time (real_time);
  // this is its floor: every weight once at what all cores can read.
  state.counters["bound_all_cores_ms"] = weight_bytes_per_step() / bandwidth_all_cores() * 1e3;
  // The same step if it were only its FMAs at this core's peak.
  state.counters["fma_bound_ms"] =
      2 * batch * matrix_macs_per_row() / bench::fma_flops_per_second() * 1e3;
  state.counters["allocs_per_step"] = static_cast<double>(allocations) / iterations;
  state.counters["tokens_per_s"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_DecodeStep)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The step's matrix products alone, for T rows: random F32 matrices of the
// model's shapes (per layer qkv, projection, MLP up and down; the tied head)
// packed into one block as the model's are, multiplied one after the other
// on the same pool. Beside BM_DecodeStep and the all-core bound it splits a
// step's time into the weight stream and everything else (attention, norms,
// hand-offs), which is what the e2e rows compare against. Wall clock, the
// best pass (the bound is the best streaming pass too) and the mean.
void BM_Products(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const Gpt2Config& c = model().config();
  // Held as floats: 4 bytes a parameter (halves would be about 2).
  if (model().info().weight_bytes < 3 * model().info().parameter_count) {
    state.SkipWithError("BM_Products builds F32 matrices; the model is not F32.");
    return;
  }
  static const std::vector<PanelMatrix> matrices = [&] {
    std::vector<PanelMatrix> out;
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-0.05f, 0.05f);
    auto add = [&](Eigen::Index K, Eigen::Index N) {
      std::vector<float> w(static_cast<std::size_t>(K * N));
      for (float& v : w) v = u(rng);
      out.push_back(PanelMatrix::from_rows(w.data(), K, N, PanelMatrix::Halves::kNever));
    };
    const Eigen::Index C = c.n_embd;
    for (int l = 0; l < c.n_layer; ++l) {
      add(C, 3 * C);
      add(C, C);
      add(C, 4 * C);
      add(4 * C, C);
    }
    add(C, c.vocab_size);
    std::vector<PanelMatrix*> all;
    for (PanelMatrix& m : out) all.push_back(&m);
    PanelMatrix::share_one_block(all);
    return out;
  }();
  double bytes = 0;
  for (const PanelMatrix& m : matrices) bytes += static_cast<double>(m.bytes());
  std::vector<float> x(static_cast<std::size_t>(rows) * 4 * c.n_embd, 0.01f);
  std::vector<float> y(static_cast<std::size_t>(rows) * c.vocab_size);
  double best = 1e30, total = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    for (const PanelMatrix& m : matrices) m.multiply(x.data(), rows, y.data(), false);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, s);
    total += s;
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["best_ms"] = best * 1e3;
  state.counters["mean_ms"] = total / static_cast<double>(state.iterations()) * 1e3;
  state.counters["weight_MB"] = bytes / 1e6;
  state.counters["bound_all_cores_ms"] = bytes / bandwidth_all_cores() * 1e3;
}
BENCHMARK(BM_Products)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Floating-point operations of a 128-token prefill: every matrix times 128
// rows, attention over the causal triangle, the head for the last row only.
double prefill_flops() {
  const Gpt2Config& c = model().config();
  const double T = kPosition, C = c.n_embd;
  const double attention_macs = c.n_layer * 2 * C * (T * (T + 1) / 2);  // q.k, p.v per visible row
  return 2 * (T * block_macs_per_row() + attention_macs + head_macs_per_row());
}

void BM_Prefill128(benchmark::State& state) {
  Gpt2Model& m = model();
  auto cache = m.new_cache();
  std::vector<float> logits(m.info().vocab_size);
  const auto ids = prompt(kPosition, 7);
  double seconds = 0;
  for (auto _ : state) {
    cache->truncate(0);
    const double start = thread_cpu_seconds();
    m.prefill(*cache, ids, logits);
    seconds += thread_cpu_seconds() - start;
    benchmark::DoNotOptimize(logits.data());
  }
  state.counters["cpu_ms"] = seconds / static_cast<double>(state.iterations()) * 1e3;
  state.counters["gflop"] = prefill_flops() / 1e9;
  state.counters["fma_bound_ms"] = prefill_flops() / bench::fma_flops_per_second() * 1e3;
  state.counters["tokens_per_s"] =
      benchmark::Counter(kPosition, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Prefill128)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Logits of the check prompt (seed 0) for the reference to compare against.
void write_check_logits(const char* path) {
  Gpt2Model& m = model();
  auto cache = m.new_cache();
  std::vector<float> logits(m.info().vocab_size);
  m.prefill(*cache, prompt(kPosition, 0), logits);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(logits.data()),
            static_cast<std::streamsize>(logits.size() * sizeof(float)));
  if (!out) throw Error(std::string("Could not write ") + path + ".");
}

}  // namespace
}  // namespace beamscope

int main(int argc, char** argv) {
  if (beamscope::model_dir().empty()) {
    std::fprintf(stderr,
                 "Set BEAMSCOPE_BENCH_MODEL_DIR to a folder written by bench/make_gpt2_small.py "
                 "(bench/run.sh does this).\n");
    return 1;
  }
  try {
    beamscope::set_bench_threads();
    beamscope::model();  // load before any timing
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
