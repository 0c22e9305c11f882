// The GPT-2 engine against an independent PyTorch implementation
// (tests/data/model/make_gpt2_reference.py, float64 math over the stored
// weights). Covers odd sizes, both tensor naming styles, tied and untied
// heads, F32/F16/BF16 storage, both GELUs, n_inner, and prefill, single-token
// decode steps and a batch of sequences at different positions.
//
// Tolerance: 1e-4 absolute on log-probabilities (and on raw logits). Our
// float32 math differs from the float64 reference by float32 rounding
// (~6e-8 relative) accumulated over dot products of length <= 4C and a
// few layers, i.e. ~1e-6 relative, times logits of magnitude <= ~15: a few
// 1e-6 in practice, so 1e-4 has ample margin while any real bug (a wrong
// scale, bias, mask or position) shifts log-probs by 1e-2 or more. F16/BF16
// files use the same tolerance because both sides compute with the identical
// rounded weights.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/python_reference.h"
#include "common/require_reference.h"
#include "model/gpt2_kv_cache.h"
#include "model/gpt2_model.h"
#include "model_test_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

constexpr double kTolerance = 1e-4;
// Worst difference seen in the current test, printed at its end so the real
// margin under the tolerance is visible in the log.
double g_worst_seen = 0;

std::vector<double> log_softmax(std::span<const float> logits) {
  double max = -INFINITY;
  for (float v : logits) max = std::max(max, static_cast<double>(v));
  double sum = 0;
  for (float v : logits) sum += std::exp(v - max);
  const double log_sum = max + std::log(sum);
  std::vector<double> out(logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) out[i] = logits[i] - log_sum;
  return out;
}

// Largest |got - want|; fails with context if above the tolerance.
void expect_close(std::span<const double> got, const nlohmann::json& want,
                  const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  double worst = 0;
  std::size_t worst_at = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double diff = std::abs(got[i] - want[i].get<double>());
    if (diff > worst) {
      worst = diff;
      worst_at = i;
    }
  }
  g_worst_seen = std::max(g_worst_seen, worst);
  EXPECT_LE(worst, kTolerance) << what << ": worst difference at token " << worst_at << " (got "
                               << got[worst_at] << ", want " << want[worst_at].get<double>() << ")";
}

void expect_close(std::span<const float> got, const nlohmann::json& want, const std::string& what) {
  std::vector<double> widened(got.begin(), got.end());
  expect_close(widened, want, what);
}

std::vector<std::int32_t> ids_of(const nlohmann::json& j) {
  return j.get<std::vector<std::int32_t>>();
}

// Generates the reference folders once for the whole suite.
class Gpt2ReferenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string python = BEAMSCOPE_PYTHON;
    if (const std::string lacks = test::python_lacks("torch"); !lacks.empty()) {
      skip_reason_ = new std::string(lacks);
      return;
    }
    dir_ = new test::TempDir();
    const std::string script =
        std::string(BEAMSCOPE_TEST_DATA_DIR) + "/model/make_gpt2_reference.py";
    const std::string command = python + " '" + script + "' '" + dir_->path().string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << "reference script failed: " << command;
    std::ifstream in(dir_->path() / "cases.json");
    cases_ =
        new std::vector<std::string>(nlohmann::json::parse(in).get<std::vector<std::string>>());
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete cases_;
    delete skip_reason_;
    dir_ = nullptr;
    cases_ = nullptr;
    skip_reason_ = nullptr;
  }
  void TearDown() override {
    if (!skip_reason_) std::cout << "  max |C++ - reference| = " << g_worst_seen << "\n";
  }
  void SetUp() override {
    g_worst_seen = 0;
    if (skip_reason_) BEAMSCOPE_REFERENCE_MISSING("GPT-2 reference comparison: " << *skip_reason_);
    ASSERT_NE(cases_, nullptr);
    ASSERT_GE(cases_->size(), 3u);
  }

  struct Case {
    std::unique_ptr<Gpt2Model> model;
    nlohmann::json expected;
  };
  static Case load(const std::string& name) {
    const auto folder = dir_->path() / name;
    std::ifstream in(folder / "expected.json");
    return {load_gpt2_model(folder), nlohmann::json::parse(in)};
  }

  static test::TempDir* dir_;
  static std::vector<std::string>* cases_;
  static std::string* skip_reason_;
};
test::TempDir* Gpt2ReferenceTest::dir_ = nullptr;
std::vector<std::string>* Gpt2ReferenceTest::cases_ = nullptr;
std::string* Gpt2ReferenceTest::skip_reason_ = nullptr;

TEST_F(Gpt2ReferenceTest, PrefillMatchesReference) {
  for (const auto& name : *cases_) {
    SCOPED_TRACE(name);
    auto [model, expected] = load(name);
    const int V = model->info().vocab_size;
    ASSERT_EQ(V, expected["vocab_size"].get<int>());
    for (const auto& item : expected["prefill"]) {
      const auto ids = ids_of(item["ids"]);
      auto cache = model->new_cache();
      std::vector<float> logits(V);
      model->prefill(*cache, ids, logits);
      EXPECT_EQ(cache->length(), static_cast<int>(ids.size()));
      const std::string what = "prefill of " + std::to_string(ids.size()) + " tokens";
      expect_close(std::span<const float>(logits), item["logits"], what + " (logits)");
      expect_close(log_softmax(logits), item["logprobs"], what + " (log-probs)");
    }
  }
}

TEST_F(Gpt2ReferenceTest, PrefillCoversTheWholeContext) {
  for (const auto& name : *cases_) {
    auto [model, expected] = load(name);
    bool found = false;
    for (const auto& item : expected["prefill"]) {
      found = found || item["ids"].size() == static_cast<std::size_t>(model->info().context_length);
    }
    EXPECT_TRUE(found) << name << ": the reference must include a full-context prompt";
  }
}

TEST_F(Gpt2ReferenceTest, SingleTokenDecodeStepsMatchReference) {
  for (const auto& name : *cases_) {
    SCOPED_TRACE(name);
    auto [model, expected] = load(name);
    const int V = model->info().vocab_size;
    const auto& scenario = expected["decode"];
    auto cache = model->new_cache();
    std::vector<float> logits(V);
    model->prefill(*cache, ids_of(scenario["prompt"]), logits);
    int step = 0;
    for (const auto& s : scenario["steps"]) {
      const std::int32_t token = s["token"].get<std::int32_t>();
      KvCache* caches[] = {cache.get()};
      model->decode(caches, std::span<const std::int32_t>(&token, 1), logits);
      expect_close(log_softmax(logits), s["logprobs"], "decode step " + std::to_string(step++));
    }
    EXPECT_EQ(cache->length(),
              static_cast<int>(scenario["prompt"].size() + scenario["steps"].size()));
  }
}

TEST_F(Gpt2ReferenceTest, AllPositionLogitsMatchReference) {
  // The decode scenario again, but as one prefill that returns every row (the
  // path `beamscope-cli score` uses).
  for (const auto& name : *cases_) {
    SCOPED_TRACE(name);
    auto [model, expected] = load(name);
    const int V = model->info().vocab_size;
    const auto& scenario = expected["decode"];
    auto ids = ids_of(scenario["prompt"]);
    const std::size_t prompt_length = ids.size();
    for (const auto& s : scenario["steps"]) ids.push_back(s["token"].get<std::int32_t>());
    auto cache = model->new_cache();
    std::vector<float> logits(ids.size() * V);
    model->prefill_all_logits(*cache, ids, logits);
    for (std::size_t k = 0; k < scenario["steps"].size(); ++k) {
      const std::span<const float> row(logits.data() + (prompt_length + k) * V, V);
      expect_close(log_softmax(row), scenario["steps"][k]["logprobs"], "row " + std::to_string(k));
    }
  }
}

TEST_F(Gpt2ReferenceTest, BatchOfSequencesAtDifferentPositionsMatchesReference) {
  for (const auto& name : *cases_) {
    SCOPED_TRACE(name);
    auto [model, expected] = load(name);
    const int V = model->info().vocab_size;
    const auto& scenario = expected["batch"];
    std::vector<std::unique_ptr<KvCache>> caches;
    std::vector<float> logits(V);
    for (const auto& prompt : scenario["prompts"]) {
      caches.push_back(model->new_cache());
      model->prefill(*caches.back(), ids_of(prompt), logits);
    }
    std::vector<KvCache*> pointers;
    for (auto& c : caches) pointers.push_back(c.get());
    int step = 0;
    for (const auto& s : scenario["steps"]) {
      const auto tokens = ids_of(s["tokens"]);
      std::vector<float> batch_logits(tokens.size() * V);
      model->decode(pointers, tokens, batch_logits);
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::span<const float> row(batch_logits.data() + i * V, V);
        expect_close(log_softmax(row), s["logprobs"][i],
                     "batch step " + std::to_string(step) + ", sequence " + std::to_string(i));
      }
      ++step;
    }
  }
}

TEST_F(Gpt2ReferenceTest, ReportsTheModelInfo) {
  auto [model, expected] = load("f16_bare_untied");
  const ModelInfo& info = model->info();
  EXPECT_EQ(info.architecture, "gpt2");
  EXPECT_EQ(info.vocab_size, 97);
  EXPECT_EQ(info.context_length, 32);
  // wte 97x64 + wpe 32x64 + 3 layers x (12C^2 + 13C) + ln_f 2C + untied head 97x64.
  const std::size_t C = 64;
  const std::size_t want = 97 * C + 32 * C + 3 * (12 * C * C + 13 * C) + 2 * C + 97 * C;
  EXPECT_EQ(info.parameter_count, want);
  // Held in memory: the matrices as halves (this is an F16 file; the head's
  // 97 columns padded to whole panels), everything else as floats.
  const std::size_t width = static_cast<std::size_t>(PanelMatrix::panel_width());
  const std::size_t head_columns = (97 + width - 1) / width * width;
  const std::size_t halves = 3 * 12 * C * C + head_columns * C;
  const std::size_t floats = 97 * C + 32 * C + 3 * 13 * C + 2 * C;
  EXPECT_EQ(info.weight_bytes, 2 * halves + 4 * floats);
}

}  // namespace
}  // namespace beamscope
