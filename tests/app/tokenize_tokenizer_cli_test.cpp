// `beamscope-cli tokenize --tokenizer PATH`: a tokenizer without a model, in
// every form load_tokenizer() reads, gives the same ids as the core, and the
// option's one-sentence errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/cli_test_util.h"
#include "common/require_reference.h"
#include "tokenizer/llama2c_tokenizer.h"
#include "tokenizer/load_tokenizer.h"

namespace beamscope {
namespace {

using nlohmann::json;
using test::run_cli;
using Ids = std::vector<std::int32_t>;

const std::filesystem::path kTok512 =
    std::filesystem::path(BEAMSCOPE_SHARED_DIR) / "data" / "llama2c-stories260K" / "tok512.bin";
const std::filesystem::path kGpt2Vocab =
    std::filesystem::path(BEAMSCOPE_FETCHED_DIR) / "gpt2-vocab";

json tokenize(const std::vector<std::string>& args) {
  const auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? json::parse(r.out) : json();
}

TEST(TokenizeTokenizerCli, Llama2cTokenizerBin) {
  if (!std::filesystem::is_regular_file(kTok512)) {
    GTEST_SKIP() << "Skipping: llama2.c tok512.bin missing at " << kTok512
                 << " (it lives in the project's shared folder, not in a clone)";
  }
  const std::string text = "Once upon a time, Lily saw a big \xE7\x8C\xAB.";
  const auto tok = load_llama2c_tokenizer(kTok512);
  // By default as llama2.c encodes a prompt: BOS first.
  const json out = tokenize({"tokenize", "--tokenizer", kTok512.string(), "--text", text});
  EXPECT_EQ(out["ids"].get<Ids>(), tok->encode(text, true));
  EXPECT_EQ(out["tokens"][0], "<s>");
  const json plain = tokenize(
      {"tokenize", "--tokenizer", kTok512.string(), "--text", text, "--no-special-tokens"});
  EXPECT_EQ(plain["ids"].get<Ids>(), tok->encode(text, false));
  EXPECT_EQ(plain["tokens"][0], "\xE2\x96\x81Once");  // ▁Once
  EXPECT_EQ(plain["texts"][0], " Once");
}

TEST(TokenizeTokenizerCli, AFolderGivesWhatModelGives) {
  if (!std::filesystem::is_regular_file(kGpt2Vocab / "vocab.json")) {
    BEAMSCOPE_REFERENCE_MISSING("GPT-2 vocabulary missing at " << kGpt2Vocab);
  }
  const std::string text = "Hello world <|endoftext|> again";
  const json by_tokenizer =
      tokenize({"tokenize", "--tokenizer", kGpt2Vocab.string(), "--text", text});
  const json by_model = tokenize({"tokenize", "--model", kGpt2Vocab.string(), "--text", text});
  EXPECT_EQ(by_tokenizer, by_model);
  EXPECT_EQ(by_tokenizer["ids"].get<Ids>(), load_tokenizer(kGpt2Vocab)->encode(text));
}

TEST(TokenizeTokenizerCli, OneSentenceErrors) {
  auto r = run_cli({"tokenize", "--tokenizer", "/nonexistent/tokenizer.model", "--text", "a"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/tokenizer.model does not exist"), std::string::npos) << r.err;
  r = run_cli({"tokenize", "--tokenizer", "x.model", "--model", "y", "--text", "a"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Give at most one of --model or --tokenizer."), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace beamscope
