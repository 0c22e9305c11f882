// `beamscope-cli tokenize`: the JSON contract, with GPT-2's real vocabulary
// in a temporary model folder (ids checked against HF's, from the shared
// GPT-2 test vectors and tests/data/tokenizer/hard_cases.json), and its
// one-sentence errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "app/cli_test_util.h"
#include "common/require_reference.h"

namespace beamscope {
namespace {

using nlohmann::json;
using test::run_cli;

const std::filesystem::path kGpt2Vocab =
    std::filesystem::path(BEAMSCOPE_FETCHED_DIR) / "gpt2-vocab";

// A model folder holding only GPT-2's tokenizer files.
class Gpt2Folder {
 public:
  Gpt2Folder() {
    std::random_device seed;
    dir_ = std::filesystem::temp_directory_path() /
           ("beamscope-tokcli-" + std::to_string(seed()) + std::to_string(seed()));
    std::filesystem::create_directories(dir_);
    std::filesystem::copy_file(kGpt2Vocab / "vocab.json", dir_ / "vocab.json");
    std::filesystem::copy_file(kGpt2Vocab / "merges.txt", dir_ / "merges.txt");
  }
  ~Gpt2Folder() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path() const { return dir_.string(); }
  std::filesystem::path operator/(const std::string& name) const { return dir_ / name; }

 private:
  std::filesystem::path dir_;
};

#define REQUIRE_GPT2_VOCAB()                                                                     \
  if (!std::filesystem::is_regular_file(kGpt2Vocab / "vocab.json") ||                            \
      !std::filesystem::is_regular_file(kGpt2Vocab / "merges.txt")) {                            \
    BEAMSCOPE_REFERENCE_MISSING("GPT-2 vocabulary missing at "                                   \
                                << kGpt2Vocab                                                    \
                                << " (run tests/fetch-test-data.sh " BEAMSCOPE_FETCHED_DIR ")"); \
  }

void expect_one_sentence_error(const test::CliResult& r, const std::string& phrase) {
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find(phrase), std::string::npos) << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(TokenizeCli, IdsTokensAndTexts) {
  REQUIRE_GPT2_VOCAB();
  Gpt2Folder model;
  const auto r = run_cli({"tokenize", "--model", model.path(), "--text", "The cat is\nhere 😀"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty());
  const json out = json::parse(r.out);
  // From tests/data/tokenizer/gpt2_reference_encode.py.
  EXPECT_EQ(out["ids"], json::parse("[464, 3797, 318, 198, 1456, 30325, 222]"));
  EXPECT_EQ(out["tokens"], json::parse(R"(["The", "Ġcat", "Ġis", "Ċ", "here", "ĠðŁĺ", "Ģ"])"));
  // The emoji is split across two tokens: its bytes show as escapes.
  EXPECT_EQ(
      out["texts"],
      json::parse(R"(["The", " cat", " is", "\n", "here", " <0xF0><0x9F><0x98>", "<0x80>"])"));
}

TEST(TokenizeCli, MatchesTheReferenceIdsOnHardCases) {
  REQUIRE_GPT2_VOCAB();
  Gpt2Folder model;
  const json cases = json::parse(std::ifstream(std::filesystem::path(BEAMSCOPE_TEST_DATA_DIR) /
                                               "tokenizer" / "hard_cases.json"))["cases"];
  int checked = 0;
  for (const auto& c : cases) {
    const std::string text = c["text"];
    if (text.find('\0') != std::string::npos) continue;  // cannot be an argv string
    SCOPED_TRACE(c["name"].get<std::string>());
    const auto r = run_cli({"tokenize", "--model", model.path(), "--text", text});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["ids"], c["ids"]);
    ++checked;
  }
  EXPECT_GE(checked, 40);
}

TEST(TokenizeCli, TextFileIsReadByteExact) {
  REQUIRE_GPT2_VOCAB();
  Gpt2Folder model;
  const std::string text = std::string("nul\0inside<|endoftext|>  tail \n", 31);
  std::ofstream(model / "in.txt", std::ios::binary) << text;
  const auto r =
      run_cli({"tokenize", "--model", model.path(), "--text-file", (model / "in.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  // From tests/data/tokenizer/gpt2_reference_encode.py.
  EXPECT_EQ(out["ids"], json::parse("[77, 377, 188, 48787, 50256, 220, 7894, 220, 198]"));
  std::string decoded;
  for (const auto& t : out["texts"]) decoded += t.get<std::string>();
  EXPECT_EQ(decoded, text);
  EXPECT_EQ(out["tokens"][4], "<|endoftext|>");
}

TEST(TokenizeCli, EmptyTextGivesEmptyLists) {
  REQUIRE_GPT2_VOCAB();
  Gpt2Folder model;
  const auto r = run_cli({"tokenize", "--model", model.path(), "--text", ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), json::parse(R"({"ids": [], "tokens": [], "texts": []})"));
}

TEST(TokenizeCli, RefusesNonUtf8TextNamingTheOffset) {
  REQUIRE_GPT2_VOCAB();
  Gpt2Folder model;
  expect_one_sentence_error(run_cli({"tokenize", "--model", model.path(), "--text", "abc\xFFz"}),
                            "not valid UTF-8 (the first bad byte is at offset 3)");
  std::ofstream(model / "bad.txt", std::ios::binary) << "ok \xE2\x82";
  expect_one_sentence_error(
      run_cli({"tokenize", "--model", model.path(), "--text-file", (model / "bad.txt").string()}),
      "bad.txt is not valid UTF-8 (the first bad byte is at offset 3)");
}

TEST(TokenizeCli, UsageErrors) {
  REQUIRE_GPT2_VOCAB();
  Gpt2Folder model;
  expect_one_sentence_error(run_cli({"tokenize", "--model", model.path()}),
                            "Give exactly one of --text or --text-file.");
  expect_one_sentence_error(
      run_cli({"tokenize", "--model", model.path(), "--text", "a", "--text-file", "x"}),
      "Give exactly one of --text or --text-file.");
  expect_one_sentence_error(run_cli({"tokenize", "--model", model.path(), "--txt", "a"}),
                            "Unknown option --txt");
  expect_one_sentence_error(run_cli({"tokenize", "--model", model.path(), "--text-file",
                                     (model / "missing.txt").string()}),
                            "missing.txt");
}

TEST(TokenizeCli, BadModelFoldersAreOneSentence) {
  const auto missing = std::filesystem::temp_directory_path() / "beamscope-no-such-model-folder";
  expect_one_sentence_error(run_cli({"tokenize", "--model", missing.string(), "--text", "a"}),
                            "does not exist");
  REQUIRE_GPT2_VOCAB();
  Gpt2Folder model;
  std::ofstream(model / "merges.txt", std::ios::trunc) << "#version: 0.2\nĠ t\nbroken\n";
  expect_one_sentence_error(run_cli({"tokenize", "--model", model.path(), "--text", "a"}),
                            "merges.txt, line 3: expected two tokens");
}

}  // namespace
}  // namespace beamscope
