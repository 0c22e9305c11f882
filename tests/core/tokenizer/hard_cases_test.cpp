// GPT-2's real vocabulary on hard text (emoji sequences, CJK, combining
// marks, RTL scripts, whitespace runs, odd contractions, Unicode digits,
// <|endoftext|> inside text), against ids from the independent Python
// reference tests/data/tokenizer/gpt2_reference_encode.py. Also a
// differential run of that reference on random mixed-script text.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/require_reference.h"
#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/utf8.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

const std::filesystem::path kReferenceScript =
    std::filesystem::path(BEAMSCOPE_TEST_DATA_DIR) / "tokenizer" / "gpt2_reference_encode.py";

TEST(Gpt2HardCases, MatchTheIndependentReference) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const auto json = nlohmann::json::parse(read_whole_file(
      std::filesystem::path(BEAMSCOPE_TEST_DATA_DIR) / "tokenizer" / "hard_cases.json"));
  const Tokenizer& tok = gpt2_tokenizer();
  ASSERT_GE(json["cases"].size(), 40u);
  for (const auto& c : json["cases"]) {
    const std::string text = c["text"];
    SCOPED_TRACE(c["name"].get<std::string>() + ": '" + text + "'");
    const auto ids = tok.encode(text);
    EXPECT_EQ(ids, c["ids"].get<std::vector<std::int32_t>>());
    EXPECT_EQ(tok.decode(ids), text);
  }
}

TEST(Gpt2HardCases, EndOfTextIsOneSpecialToken) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  EXPECT_EQ(tok.token_id("<|endoftext|>"), 50256);
  EXPECT_TRUE(tok.is_special(50256));
  EXPECT_FALSE(tok.is_special(318));
  EXPECT_EQ(tok.encode("<|endoftext|>"), std::vector<std::int32_t>{50256});
  EXPECT_EQ(tok.token_bytes(50256), "<|endoftext|>");
  EXPECT_EQ(tok.vocab_size(), 50257);
}

TEST(Gpt2HardCases, TokenSpellingAndBytes) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  EXPECT_EQ(tok.encode("The cat is"), (std::vector<std::int32_t>{464, 3797, 318}));
  EXPECT_EQ(tok.token_string(318), "Ġis");
  EXPECT_EQ(tok.token_bytes(318), " is");
  EXPECT_EQ(tok.token_string(198), "Ċ");
  EXPECT_EQ(tok.token_bytes(198), "\n");
  EXPECT_EQ(tok.token_id("Ġis"), 318);
  EXPECT_EQ(tok.token_id(" is"), std::nullopt);
}

TEST(Gpt2HardCases, OutOfRangeIdsAreErrors) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  const std::vector<std::int32_t> bad{50257};
  EXPECT_THROW(tok.decode(bad), Error);
  EXPECT_THROW(tok.token_bytes(-1), Error);
  EXPECT_THROW(tok.token_string(1 << 30), Error);
}

// Random text drawn from many scripts and separators, so the pre-tokenizer's
// Unicode classes get exercised beyond the hand-picked cases.
std::string random_mixed_text(std::mt19937& rng) {
  static const std::vector<std::u32string> alphabets = {
      U"abcXYZ",
      U"ÄöüßñçøåæœÿÉ",
      U"αβγΔΩПриветмир",
      U"我们今天北京東京タワー서울",
      U"مرحبابالعالم",
      U"שלוםעולם",
      U"0123456789",
      U"١٢٣٤٥٠१२३½①",
      U"😀🍕👍🏽‍🇩🇪❤️",
      U" ",
      U"  ",
      U"\n",
      U"\t",
      U"\r\n",
      U"'s",
      U"'T",
      U"'ll",
      U"'",
      U".,;:!?-()[]{}\"/\\#@&*",
      U"\u00a0\u2003\u3000\u0085\u180e\u001c\u2028",
      U"e\u0301a\u0308",
      U"\u200b\u200d\ufeff",
      U"<|endoftext|>"};
  std::u32string text;
  std::uniform_int_distribution<std::size_t> pick_alphabet(0, alphabets.size() - 1);
  std::uniform_int_distribution<int> run_length(1, 6);
  const int runs = std::uniform_int_distribution<int>(0, 30)(rng);
  for (int r = 0; r < runs; ++r) {
    const auto& alphabet = alphabets[pick_alphabet(rng)];
    if (alphabet == U"<|endoftext|>" || alphabet.size() <= 3) {
      text += alphabet;  // keep multi-character units whole
      continue;
    }
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    for (int n = run_length(rng); n > 0; --n) text += alphabet[pick(rng)];
  }
  std::string utf8_text;
  for (char32_t c : text) utf8::append_char(utf8_text, c);
  return utf8_text;
}

TEST(Gpt2HardCases, RandomMixedTextMatchesThePythonReference) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  if (std::system(BEAMSCOPE_PYTHON " -c 'import regex' 2>/dev/null") != 0) {
    BEAMSCOPE_REFERENCE_MISSING(BEAMSCOPE_PYTHON
                                << " lacks the regex module (Debian: python3-regex)");
  }
  std::mt19937 rng(20240611);
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) texts.push_back(random_mixed_text(rng));
  TempDir dir;
  write_file(dir / "texts.json", nlohmann::json(texts).dump());
  const std::string command = std::string(BEAMSCOPE_PYTHON) + " '" + kReferenceScript.string() +
                              "' '" + gpt2_vocab_dir().string() + "' --texts '" +
                              (dir / "texts.json").string() + "' > '" +
                              (dir / "ids.json").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const auto expected = nlohmann::json::parse(read_whole_file(dir / "ids.json"))["ids"];
  ASSERT_EQ(expected.size(), texts.size());
  const Tokenizer& tok = gpt2_tokenizer();
  int mismatches = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto ids = tok.encode(texts[i]);
    if (ids != expected[i].get<std::vector<std::int32_t>>()) {
      ADD_FAILURE() << "text " << i << ": '" << texts[i] << "'";
      if (++mismatches > 5) break;
    }
    EXPECT_EQ(tok.decode(ids), texts[i]);
  }
}

}  // namespace
}  // namespace beamscope::test
