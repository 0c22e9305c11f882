// What a token adds to the text, on the real Llama 2 / Llama 3 / Qwen 3 /
// Gemma 3 tokenizer.json files (fetched by tests/fetch-test-data.sh; their
// ids are checked against @lenml/tokenizers in real_tokenizers_test.cpp):
// after the first token, decode(prefix) + token_bytes(next) is exactly
// decode(prefix + next), so the tree's per-node text and the sequence text
// the tokenizer's decoder writes agree.
#include <gtest/gtest.h>

#include "common/require_reference.h"
#include "core/tokenizer/hf_test_support.h"

namespace beamscope::test {
namespace {

class HfRealTokenizer : public ::testing::TestWithParam<std::string> {};

TEST_P(HfRealTokenizer, TokenBytesAddUpToTheDecodedText) {
  const std::string name = GetParam();
  const auto file = std::filesystem::path(BEAMSCOPE_FETCHED_DIR) / name / "tokenizer.json";
  if (!std::filesystem::exists(file)) {
    BEAMSCOPE_REFERENCE_MISSING(
        "no " << file << " (run tests/fetch-test-data.sh " BEAMSCOPE_FETCHED_DIR ")");
    return;
  }
  const auto tok = load_tokenizer_json(file);
  // Words with and without spaces, digits, a character split into byte
  // pieces by some vocabularies (CJK, emoji).
  const std::string text =
      "Once upon a time, in 2024, caf\xC3\xA9s served \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x99\x82.";
  const Ids ids = tok->encode(text);
  ASSERT_GT(ids.size(), 10u);
  for (std::size_t n = 2; n <= ids.size(); ++n) {
    const std::span<const std::int32_t> prefix(ids.data(), n - 1), whole(ids.data(), n);
    EXPECT_EQ(tok->decode(prefix) + tok->token_bytes(ids[n - 1]), tok->decode(whole))
        << name << ", token " << n - 1 << " (" << ids[n - 1] << ")";
  }
  EXPECT_EQ(tok->decode(tok->encode(text, false)), text) << name;
}

INSTANTIATE_TEST_SUITE_P(Npm, HfRealTokenizer,
                         ::testing::Values("llama2", "llama3", "qwen3", "gemma3"));

}  // namespace
}  // namespace beamscope::test
