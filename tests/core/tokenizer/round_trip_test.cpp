// encode() is total: any bytes (valid UTF-8 or not) encode without throwing,
// and decode(encode(x)) == x. Pathological inputs stay fast.
#include <gtest/gtest.h>

#include <thread>

#include "core/tokenizer/tokenizer_test_support.h"

namespace beamscope::test {
namespace {

std::string random_bytes(std::mt19937& rng, std::size_t max_length) {
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string s(length(rng), '\0');
  for (char& c : s) c = static_cast<char>(byte(rng));
  return s;
}

TEST(RoundTrip, RandomBytesIncludingInvalidUtf8) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const std::string text = random_bytes(rng, 64);
    std::vector<std::int32_t> ids;
    ASSERT_NO_THROW(ids = tok.encode(text));
    ASSERT_EQ(tok.decode(ids), text) << "case " << i;
  }
}

TEST(RoundTrip, RandomTextFromASmallAlphabet) {
  // Few distinct bytes -> many merges, whitespace runs and contractions.
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  const std::string alphabet = "ab 'sl\n\t9.\xC3\xA9\xE2\x80";
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int i = 0; i < 2000; ++i) {
    std::string text(i % 50, ' ');
    for (char& c : text) c = alphabet[pick(rng)];
    ASSERT_EQ(tok.decode(tok.encode(text)), text) << "case " << i;
  }
}

TEST(RoundTrip, InvalidUtf8BytesBecomeTheirOwnPieces) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  // A lone 0xFF is the byte token for 0xFF ("ÿ" spelled), never merged with
  // the letters around it.
  const auto ids = tok.encode(
      "ab\xFF"
      "cd");
  EXPECT_EQ(tok.decode(ids),
            "ab\xFF"
            "cd");
  EXPECT_EQ(ids, (std::vector<std::int32_t>{tok.encode("ab")[0], *tok.token_id("ÿ"),
                                            tok.encode("cd")[0]}));
  for (const std::string text :
       {std::string("\xC3"), std::string("\xE2\x82"), std::string("x\xF0\x9F\x98"),
        std::string("\xED\xA0\x80 surrogate"), std::string("\xC0\xAF overlong"),
        std::string("\xF4\x90\x80\x80 too big"), std::string("nul\0inside", 10),
        std::string("\x80\x80\x80"), std::string("  \xFE  \xFF\n")}) {
    EXPECT_EQ(tok.decode(tok.encode(text)), text);
  }
}

TEST(RoundTrip, PathologicalLongPiecesAreFast) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  const std::size_t n = 1 << 20;
  for (const std::string& text :
       {std::string(n, '7'), std::string(n, ' '), std::string(n, '!'), std::string(n, 'a'),
        std::string(n, '\xFF'), std::string(n, '\n')}) {
    // O(n log n) merging finishes in ~0.2 s; O(n^2) would take hours and
    // trip CTest's timeout. No wall-clock bound here: speed is measured in
    // bench/tokenizer_bench.cpp, and a busy machine must not fail a test.
    const auto ids = tok.encode(text);
    EXPECT_EQ(tok.decode(ids), text) << "1 MB of '" << text[0] << "'";
  }
}

// Pseudo-English: common words, capitals, punctuation and line breaks.
std::string english_text(std::size_t bytes) {
  static const char* words[] = {
      "the",       "of",        "and",         "to",           "in",         "is",
      "was",       "that",      "for",         "it",           "with",       "as",
      "his",       "on",        "be",          "at",           "by",         "I",
      "this",      "had",       "not",         "are",          "but",        "from",
      "or",        "have",      "an",          "they",         "which",      "one",
      "you",       "were",      "her",         "all",          "she",        "there",
      "would",     "their",     "we",          "him",          "been",       "has",
      "when",      "who",       "will",        "more",         "no",         "if",
      "out",       "so",        "said",        "what",         "up",         "its",
      "about",     "into",      "than",        "them",         "can",        "only",
      "language",  "model",     "token",       "probability",  "beam",       "search",
      "sampling",  "greedy",    "temperature", "distribution", "vocabulary", "sentence",
      "Wednesday", "Cambridge", "don't",       "it's",         "they're",    "1984",
      "3.5",       "teaching",  "lecture",     "students"};
  std::mt19937 rng(3);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(words) - 1);
  std::uniform_int_distribution<int> punct(0, 19);
  std::string text;
  text.reserve(bytes + 32);
  bool sentence_start = true;
  while (text.size() < bytes) {
    std::string word = words[pick(rng)];
    if (sentence_start) word[0] = static_cast<char>(std::toupper(word[0]));
    text += word;
    sentence_start = false;
    switch (punct(rng)) {
      case 0:
        text += ". ";
        sentence_start = true;
        break;
      case 1:
        text += ", ";
        break;
      case 2:
        text += ".\n\n";
        sentence_start = true;
        break;
      default:
        text += ' ';
    }
  }
  return text;
}

TEST(RoundTrip, AMegabyteOfEnglishRoundTrips) {
  // Its encode speed is measured in bench/tokenizer_bench.cpp.
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  const std::string text = english_text(1 << 20);
  const auto ids = tok.encode(text);
  EXPECT_EQ(tok.decode(ids), text);
  EXPECT_GT(ids.size(), text.size() / 8);
  EXPECT_LT(ids.size(), text.size() / 2);
}

TEST(RoundTrip, ConcurrentEncodingMatchesSequential) {
  // The word cache is shared; many distinct random words also make it fill
  // up and be cleared while other threads read it.
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& tok = gpt2_tokenizer();
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> letter('a', 'z'), length(1, 9);
  std::vector<std::string> texts(8);
  for (auto& text : texts) {
    for (int w = 0; w < 6000; ++w) {
      for (int n = length(rng); n > 0; --n) text += static_cast<char>(letter(rng));
      text += ' ';
    }
  }
  std::vector<std::vector<std::int32_t>> sequential;
  for (const auto& text : texts) sequential.push_back(tok.encode(text));
  std::vector<std::vector<std::int32_t>> concurrent(texts.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    threads.emplace_back([&, i] { concurrent[i] = tok.encode(texts[i]); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(concurrent, sequential);
}

}  // namespace
}  // namespace beamscope::test
