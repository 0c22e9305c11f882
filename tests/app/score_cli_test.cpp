// `beamscope-cli score`: the JSON contract and the exact scoring definition of
// resources/models/beamscope-mini/score_reference.py (ids = [EOS] + encode(text),
// windows of n_positions with a fresh context each, bytes without EOS
// markers). The expected numbers are computed here a different way: one fresh
// prefill per scored token over its window prefix, with ids derived from the
// bytes directly (a byte-level vocabulary without merges), so neither the
// strategy_chain's windowing nor the tokenizer is trusted.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "app/cli_test_util.h"
#include "common/python_reference.h"
#include "common/require_reference.h"
#include "common/safetensors_writer.h"
#include "model/gpt2_model.h"
#include "model/model_folder.h"

namespace beamscope {
namespace {

using test::run_cli;

constexpr int kEndOfText = 256;  // after the 256 byte tokens

void write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// GPT-2's byte -> printable code point table: printable Latin-1 bytes stand
// for themselves, the other 68 take U+0100 + n in byte order.
std::string byte_token(int b) {
  const bool printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae);
  int code_point = b;
  if (!printable) {
    int n = 0;
    for (int c = 0; c < b; ++c) {
      if (!((c >= '!' && c <= '~') || (c >= 0xa1 && c <= 0xac) || (c >= 0xae))) ++n;
    }
    code_point = 256 + n;
  }
  std::string utf8;
  if (code_point < 0x80) {
    utf8 += static_cast<char>(code_point);
  } else {
    utf8 += static_cast<char>(0xc0 | (code_point >> 6));
    utf8 += static_cast<char>(0x80 | (code_point & 0x3f));
  }
  return utf8;
}

// A random GPT-2 with a 257-token byte-level vocabulary (no merges), so the
// ids of a text are its bytes, with <|endoftext|> = 256.
class ScoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("beamscope-score-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    config_.n_embd = 24;
    config_.n_head = 2;
    config_.n_layer = 2;
    config_.n_positions = 16;  // small, so a short text spans several windows
    config_.vocab_size = 257;
    config_.n_inner = 96;
    Gpt2Weights weights = random_gpt2_weights(config_, 5);

    write(dir_ / "model.safetensors",
          test::safetensors_bytes(test::gpt2_tensors(config_, weights)));

    write(dir_ / "config.json", nlohmann::json{{"model_type", "gpt2"},
                                               {"n_embd", 24},
                                               {"n_head", 2},
                                               {"n_layer", 2},
                                               {"n_positions", 16},
                                               {"vocab_size", 257},
                                               {"n_inner", 96},
                                               {"eos_token_id", kEndOfText},
                                               {"bos_token_id", kEndOfText}}
                                    .dump());
    nlohmann::json vocab = nlohmann::json::object();
    for (int b = 0; b < 256; ++b) vocab[byte_token(b)] = b;
    vocab["<|endoftext|>"] = kEndOfText;
    write(dir_ / "vocab.json", vocab.dump());
    write(dir_ / "merges.txt", "#version: 0.2\n");
    model_ = std::make_unique<Gpt2Model>(config_, std::move(weights));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The definition, evaluated token by token.
  double expected_total(const std::vector<std::int32_t>& ids) {
    std::vector<std::int32_t> S = {kEndOfText};
    S.insert(S.end(), ids.begin(), ids.end());
    const std::size_t P = config_.n_positions;
    std::vector<float> logits(config_.vocab_size);
    double total = 0;
    for (std::size_t i = 1; i < S.size(); ++i) {
      const std::size_t window_start = (i - 1) / P * P;  // the window that scores S[i]
      auto cache = model_->new_cache();
      model_->prefill(*cache, std::span(S).subspan(window_start, i - window_start), logits);
      double max = -INFINITY, sum = 0;
      for (float v : logits) max = std::max(max, double(v));
      for (float v : logits) sum += std::exp(v - max);
      total += logits[S[i]] - max - std::log(sum);
    }
    return total;
  }

  std::filesystem::path dir_;
  Gpt2Config config_;
  std::unique_ptr<Gpt2Model> model_;
};

TEST_F(ScoreCliTest, MatchesTheDefinitionAcrossWindowsAndDocuments) {
  const std::string text =
      "A cat sat.<|endoftext|>Dogs bark at night, \xc3\xa9t\xc3\xa9 too.<|endoftext|>";
  write(dir_ / "text.txt", text);
  std::vector<std::int32_t> ids;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 13, "<|endoftext|>") == 0) {
      ids.push_back(kEndOfText);
      i += 13;
    } else {
      ids.push_back(static_cast<unsigned char>(text[i++]));
    }
  }
  ASSERT_GT(ids.size() + 1, 2u * config_.n_positions) << "the text must span 3 windows";

  auto r =
      run_cli({"score", "--model", dir_.string(), "--text-file", (dir_ / "text.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["tokens"].get<std::size_t>(), ids.size());
  const std::size_t bytes = text.size() - 2 * 13;
  EXPECT_EQ(json["bytes"].get<std::size_t>(), bytes);
  const double total = expected_total(ids);
  // Same float32 engine; only the batch shapes (and so GEMM summation order)
  // differ, over ~60 tokens: 1e-4 absolute is ample.
  EXPECT_NEAR(json["total_logprob"].get<double>(), total, 1e-4);
  EXPECT_NEAR(json["bits_per_byte"].get<double>(), -total / std::log(2.0) / bytes, 1e-6);
}

TEST_F(ScoreCliTest, EmptyTextIsAnError) {
  write(dir_ / "empty.txt", "");
  auto r =
      run_cli({"score", "--model", dir_.string(), "--text-file", (dir_ / "empty.txt").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("no bytes to score"), std::string::npos) << r.err;
}

TEST_F(ScoreCliTest, MissingInputsAreOneSentenceErrors) {
  auto no_file = run_cli({"score", "--model", dir_.string()});
  EXPECT_EQ(no_file.exit_code, 1);
  EXPECT_NE(no_file.err.find("--text-file is required"), std::string::npos) << no_file.err;

  write(dir_ / "t.txt", "hello");
  auto no_model = run_cli(
      {"score", "--model", (dir_ / "nowhere").string(), "--text-file", (dir_ / "t.txt").string()});
  EXPECT_EQ(no_model.exit_code, 1);
  EXPECT_NE(no_model.err.find("does not exist"), std::string::npos) << no_model.err;
  EXPECT_EQ(no_model.err.find('\n'), no_model.err.size() - 1) << "one line: " << no_model.err;

  std::filesystem::remove(dir_ / "config.json");
  auto not_model =
      run_cli({"score", "--model", dir_.string(), "--text-file", (dir_ / "t.txt").string()});
  EXPECT_NE(not_model.err.find("is not a model folder: config.json is missing."), std::string::npos)
      << not_model.err;
}

// The bundled model against the training engineer's PyTorch strategy_chain, on a
// copy of the folder (training rewrites it while it runs).
// Needs the tokenizer to treat <|endoftext|> as special when
// tokenizer_config.json names it (the bundled folder's case).
TEST(ScoreCliBundled, MatchesScoreReferencePy) {
  const std::filesystem::path bundled = bundled_model_dir();
  const std::string python = BEAMSCOPE_PYTHON;
  if (!std::filesystem::exists(bundled / "model.safetensors") ||
      !std::filesystem::exists(bundled / "score_reference.py")) {
    BEAMSCOPE_REFERENCE_MISSING("the bundled model (" << bundled.string() << ") is not there yet.");
  }
  if (const std::string lacks = test::python_lacks("torch"); !lacks.empty()) {
    BEAMSCOPE_REFERENCE_MISSING(lacks);
  }
  const auto copy = std::filesystem::temp_directory_path() /
                    ("beamscope-bundled-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(copy);
  for (const auto& entry : std::filesystem::directory_iterator(bundled)) {
    if (entry.is_regular_file())
      std::filesystem::copy_file(entry.path(), copy / entry.path().filename());
  }
  // ~3 KB of held-out documents: several windows, a few seconds in PyTorch.
  std::ifstream heldout(bundled / "heldout.txt", std::ios::binary);
  std::string text(3000, '\0');
  heldout.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(heldout.gcount()));
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xc0) == 0x80) text.pop_back();
  if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xc0) text.pop_back();
  write(copy / "sample.txt", text);

  auto r =
      run_cli({"score", "--model", copy.string(), "--text-file", (copy / "sample.txt").string()});
  const std::string command = python + " '" + (copy / "score_reference.py").string() +
                              "' --model '" + copy.string() + "' --text-file '" +
                              (copy / "sample.txt").string() + "' > '" +
                              (copy / "reference.json").string() + "'";
  const int rc = std::system(command.c_str());
  std::ifstream ref_in(copy / "reference.json");
  const std::string reference((std::istreambuf_iterator<char>(ref_in)), {});
  std::filesystem::remove_all(copy);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(rc, 0) << "score_reference.py failed";
  const auto ours = nlohmann::json::parse(r.out);
  const auto theirs = nlohmann::json::parse(reference);
  EXPECT_EQ(ours["tokens"], theirs["tokens"]);
  EXPECT_EQ(ours["bytes"], theirs["bytes"]);
  // float32 engine vs float64 reference: ~1e-5 per token over ~1000 tokens.
  EXPECT_NEAR(ours["total_logprob"].get<double>(), theirs["total_logprob"].get<double>(), 0.02);
  EXPECT_NEAR(ours["bits_per_byte"].get<double>(), theirs["bits_per_byte"].get<double>(), 1e-5);
}

}  // namespace
}  // namespace beamscope
