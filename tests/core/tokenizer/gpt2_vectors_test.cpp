// GPT-2's real vocabulary against the 46 test strings of llama.cpp's GPT-2
// vocabulary test, whose expected ids were produced by Hugging Face's GPT-2
// tokenizer. Exact match required.
#include <gtest/gtest.h>

#include <sstream>

#include "core/tokenizer/tokenizer_test_support.h"

namespace beamscope::test {
namespace {

const std::filesystem::path kVectors =
    std::filesystem::path(BEAMSCOPE_SHARED_DIR) / "data" / "gpt2-tokenizer-vectors";

std::vector<std::string> split_cases(const std::string& text) {
  const std::string separator = "\n__ggml_vocab_test__\n";
  std::vector<std::string> cases;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find(separator, start)) != std::string::npos;) {
    cases.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
  return cases;  // what follows the last separator is not a case
}

std::vector<std::vector<std::int32_t>> read_expected(const std::string& text) {
  std::vector<std::vector<std::int32_t>> expected;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream numbers(line);
    std::vector<std::int32_t> ids;
    for (std::int32_t id; numbers >> id;) ids.push_back(id);
    expected.push_back(ids);
  }
  return expected;
}

TEST(Gpt2Vectors, AllCasesMatchHuggingFace) {
  if (!std::filesystem::is_regular_file(kVectors / "cases.inp")) {
    GTEST_SKIP() << "GPT-2 tokenizer vectors missing at " << kVectors
                 << " (they live in the project's shared folder, not in a clone)";
  }
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const auto cases = split_cases(read_whole_file(kVectors / "cases.inp"));
  const auto expected = read_expected(read_whole_file(kVectors / "cases.out"));
  ASSERT_EQ(cases.size(), 46u);
  ASSERT_GE(expected.size(), cases.size());
  const Tokenizer& tok = gpt2_tokenizer();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i) + ": '" + cases[i] + "'");
    const auto ids = tok.encode(cases[i]);
    EXPECT_EQ(ids, expected[i]);
    EXPECT_EQ(tok.decode(ids), cases[i]);
  }
}

}  // namespace
}  // namespace beamscope::test
