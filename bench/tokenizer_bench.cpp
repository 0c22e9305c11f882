// Tokenizer speed: encoding a few hundred KB of English (the bundled model's
// held-out text, or generated text when it is absent), decoding it back, and
// loading a tokenizer folder.
//
//   BM_Encode        encode of the whole text, word cache warm (the usual case)
//   BM_EncodeCold    the same with a freshly loaded tokenizer (empty cache)
//   BM_Decode        ids back to bytes
//   BM_Load          vocab.json + merges.txt -> ready tokenizer
//
// The tokenizer is $BEAMSCOPE_TOKENIZER_DIR if set (anything load_tokenizer
// reads: build/fetched/gpt2-vocab for GPT-2's 50k vocabulary,
// build/fetched/gemma3 for Gemma 3's 262k), else the bundled model; the text
// is $BEAMSCOPE_TOKENIZER_TEXT if set (bench/run_tokenizers.sh gives 1 MB of
// mixed English, code and CJK). BM_Encode reports the ids' count and FNV-1a
// hash, so the run can check the reference produced the same ids.
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
    const char* given = std::getenv("BEAMSCOPE_TOKENIZER_TEXT");
    std::ifstream in(given ? std::filesystem::path(given) : bundled_model_dir() / "heldout.txt",
                     std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string t = s.str();
    return given || t.size() >= 100'000 ? t : generated_text(300'000);
  }();
  return text;
}

const Tokenizer& tokenizer() {
  static const auto tok = load_tokenizer(tokenizer_dir());
  return *tok;
}

// FNV-1a over the ids' little-endian bytes (bench/tokenizer_reference.js
// computes the same).
std::uint32_t fnv1a(const std::vector<std::int32_t>& ids) {
  std::uint32_t h = 0x811c9dc5u;
  for (const std::int32_t id : ids) {
    for (int shift = 0; shift < 32; shift += 8) {
      h ^= (static_cast<std::uint32_t>(id) >> shift) & 0xFFu;
      h *= 0x01000193u;
    }
  }
  return h;
}

void BM_Encode(benchmark::State& state) {
  const std::string& text = bench_text();
  // Loaded and warmed outside the timed loop: with the load (a third of a
  // second for Gemma 3) in the first iteration, Google Benchmark stopped
  // after that one iteration and reported the load as encode time.
  benchmark::DoNotOptimize(tokenizer().encode(text, false));
  // As the reference is run: no special tokens added.
  for (auto _ : state) benchmark::DoNotOptimize(tokenizer().encode(text, false));
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
  const auto ids = tokenizer().encode(text, false);
  state.counters["tokens"] = double(ids.size());
  state.counters["ids_fnv1a"] = double(fnv1a(ids));
  state.counters["text_bytes"] = double(text.size());
}
BENCHMARK(BM_Encode)->Unit(benchmark::kMillisecond);

void BM_EncodeCold(benchmark::State& state) {
  const std::string& text = bench_text();
  for (auto _ : state) {
    state.PauseTiming();
    auto fresh = load_tokenizer(tokenizer_dir());
    state.ResumeTiming();
    benchmark::DoNotOptimize(fresh->encode(text, false));
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
}
BENCHMARK(BM_EncodeCold)->Unit(benchmark::kMillisecond);

void BM_Decode(benchmark::State& state) {
  const auto ids = tokenizer().encode(bench_text(), false);
  for (auto _ : state) benchmark::DoNotOptimize(tokenizer().decode(ids));
  state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(ids.size()));
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);

void BM_Load(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(load_tokenizer(tokenizer_dir()));
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace beamscope

BENCHMARK_MAIN();
