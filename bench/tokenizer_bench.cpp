// Tokenizer speed: encoding a few hundred KB of English (the bundled model's
// held-out text, or generated text when it is absent), decoding it back, and
// loading a tokenizer folder.
//
//   BM_Encode        encode of the whole text, word cache warm (the usual case)
//   BM_EncodeCold    the same with a freshly loaded tokenizer (empty cache)
//   BM_Decode        ids back to bytes
//   BM_Load          vocab.json + merges.txt -> ready tokenizer
//
// The folder is $BEAMSCOPE_TOKENIZER_DIR if set (e.g. build/fetched/gpt2-vocab
// for GPT-2's 50k vocabulary), else the bundled model.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "model/model_folder.h"
#include "tokenizer/load_tokenizer.h"

namespace beamscope {
namespace {

std::filesystem::path tokenizer_dir() {
  if (const char* dir = std::getenv("BEAMSCOPE_TOKENIZER_DIR")) return dir;
  return bundled_model_dir();
}

// Generated English-like text, for when no held-out text is around.
std::string generated_text(std::size_t bytes) {
  static const char* words[] = {"the",   "of",    "and",       "to",       "in",         "is",
                                "was",   "that",  "for",       "it",       "with",       "as",
                                "model", "token", "beam",      "search",   "sampling",   "don't",
                                "1984",  "3.5",   "Cambridge", "students", "probability"};
  std::mt19937 rng(1);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(words) - 1);
  std::string text;
  while (text.size() < bytes) {
    text += words[pick(rng)];
    text += (rng() % 12 == 0) ? ".\n" : " ";
  }
  return text;
}

const std::string& bench_text() {
  static const std::string text = [] {
    std::ifstream in(bundled_model_dir() / "heldout.txt", std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string t = s.str();
    return t.size() >= 100'000 ? t : generated_text(300'000);
  }();
  return text;
}

const Tokenizer& tokenizer() {
  static const auto tok = load_tokenizer_folder(tokenizer_dir());
  return *tok;
}

void BM_Encode(benchmark::State& state) {
  const std::string& text = bench_text();
  for (auto _ : state) benchmark::DoNotOptimize(tokenizer().encode(text));
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
  state.counters["tokens"] = double(tokenizer().encode(text).size());
}
BENCHMARK(BM_Encode)->Unit(benchmark::kMillisecond);

void BM_EncodeCold(benchmark::State& state) {
  const std::string& text = bench_text();
  for (auto _ : state) {
    state.PauseTiming();
    auto fresh = load_tokenizer_folder(tokenizer_dir());
    state.ResumeTiming();
    benchmark::DoNotOptimize(fresh->encode(text));
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
}
BENCHMARK(BM_EncodeCold)->Unit(benchmark::kMillisecond);

void BM_Decode(benchmark::State& state) {
  const auto ids = tokenizer().encode(bench_text());
  for (auto _ : state) benchmark::DoNotOptimize(tokenizer().decode(ids));
  state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(ids.size()));
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);

void BM_Load(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(load_tokenizer_folder(tokenizer_dir()));
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace beamscope

BENCHMARK_MAIN();
