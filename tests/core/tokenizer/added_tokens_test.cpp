// Added/special tokens: matched before pre-tokenizing, longest first, with
// HF's lstrip / rstrip / single_word / normalized rules.
#include <gtest/gtest.h>

#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/byte_level_bpe_tokenizer.h"

namespace beamscope::test {
namespace {

using Ids = std::vector<std::int32_t>;

AddedToken added(std::int32_t id, std::string content, bool special = true) {
  AddedToken t;
  t.id = id;
  t.content = std::move(content);
  t.special = special;
  t.normalized = !special;
  return t;
}

ByteLevelBpeTokenizer make(std::vector<AddedToken> tokens) {
  BpeDefinition def = byte_vocabulary();
  def.added_tokens = std::move(tokens);
  return ByteLevelBpeTokenizer(std::move(def));
}

TEST(AddedTokens, MatchedBeforePreTokenizingAndDecodedLiterally) {
  auto tok = make({added(256, "<|endoftext|>")});
  EXPECT_EQ(tok.encode("a<|endoftext|>b"), (Ids{'a', 256, 'b'}));
  EXPECT_EQ(tok.encode("<|endoftext|><|endoftext|>"), (Ids{256, 256}));
  EXPECT_EQ(tok.encode("<|endoftext|"),
            (Ids{'<', '|', 'e', 'n', 'd', 'o', 'f', 't', 'e', 'x', 't', '|'}));
  EXPECT_EQ(tok.decode(Ids{'a', 256}), "a<|endoftext|>");
  EXPECT_TRUE(tok.is_special(256));
  EXPECT_EQ(tok.token_string(256), "<|endoftext|>");
  EXPECT_EQ(tok.vocab_size(), 257);
}

TEST(AddedTokens, LongestMatchFirst) {
  auto tok = make({added(256, "<a>"), added(257, "<a><b>"), added(258, "<b>")});
  EXPECT_EQ(tok.encode("<a><b><a>"), (Ids{257, 256}));
  EXPECT_EQ(tok.encode("<a> <b>"), (Ids{256, ' ', 258}));
}

TEST(AddedTokens, LeftmostMatchBeatsALongerLaterOne) {
  auto tok = make({added(256, "xy"), added(257, "yzzz")});
  EXPECT_EQ(tok.encode("xyzzz"), (Ids{256, 'z', 'z', 'z'}));
}

TEST(AddedTokens, LstripAndRstripSwallowWhitespace) {
  AddedToken mask = added(256, "<mask>");
  mask.lstrip = true;
  AddedToken sep = added(257, "<sep>");
  sep.rstrip = true;
  auto tok = make({mask, sep});
  EXPECT_EQ(tok.encode("a  <mask> b"), (Ids{'a', 256, ' ', 'b'}));
  EXPECT_EQ(tok.encode("a <sep> \n b"), (Ids{'a', ' ', 257, 'b'}));
  // Whitespace already taken by the previous match is not taken twice.
  EXPECT_EQ(tok.encode("<sep>  <mask>"), (Ids{257, 256}));
}

TEST(AddedTokens, SingleWordOnlyBetweenNonWordCharacters) {
  AddedToken word = added(256, "yes", false);
  word.single_word = true;
  auto tok = make({word});
  EXPECT_EQ(tok.encode("yes"), (Ids{256}));
  EXPECT_EQ(tok.encode("say yes!"), (Ids{'s', 'a', 'y', ' ', 256, '!'}));
  EXPECT_EQ(tok.encode("eyes"), (Ids{'e', 'y', 'e', 's'}));
  // 'é' is a word character too (Unicode, not just ASCII).
  EXPECT_EQ(tok.encode("yes\xC3\xA9"), (Ids{'y', 'e', 's', 0xC3, 0xA9}));
}

TEST(AddedTokens, NonNormalizedTokensAreFoundFirst) {
  // HF splits on normalized=false tokens over the whole text before looking
  // for normalized ones, so "bc" wins here although "ab" starts earlier.
  auto tok = make({added(256, "ab", false), added(257, "bc", true)});
  EXPECT_EQ(tok.encode("abc"), (Ids{'a', 257}));
  EXPECT_EQ(tok.encode("abd"), (Ids{256, 'd'}));
}

}  // namespace
}  // namespace beamscope::test
