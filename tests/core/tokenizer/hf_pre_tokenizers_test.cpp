// The tokenizer.json pre-tokenizers on small texts whose pieces follow from
// HF's definitions (SplitDelimiterBehavior folds, Metaspace's prepend_scheme).
#include <gtest/gtest.h>

#include "tokenizer/pre_tokenizer.h"

namespace beamscope::hf {
namespace {

using Pieces = std::vector<std::string>;

Pieces pieces(const json& part, const std::string& text, bool at_start = true) {
  std::vector<PreToken> list{{text, at_start}};
  read_pre_tokenizer(part, "test")->pre_tokenize(list);
  Pieces out;
  for (const auto& p : list) out.push_back(p.text);
  return out;
}

json split_on_space(const char* behavior) {
  return {
      {"type", "Split"}, {"pattern", {{"String", " "}}}, {"behavior", behavior}, {"invert", false}};
}

TEST(HfPreTokenizers, SplitBehaviors) {
  const std::string text = "a b  c";
  EXPECT_EQ(pieces(split_on_space("Removed"), text), (Pieces{"a", "b", "c"}));
  EXPECT_EQ(pieces(split_on_space("Isolated"), text), (Pieces{"a", " ", "b", " ", " ", "c"}));
  EXPECT_EQ(pieces(split_on_space("MergedWithPrevious"), text), (Pieces{"a ", "b ", " ", "c"}));
  EXPECT_EQ(pieces(split_on_space("MergedWithNext"), text), (Pieces{"a", " b", " ", " c"}));
  EXPECT_EQ(pieces(split_on_space("Contiguous"), text), (Pieces{"a", " ", "b", "  ", "c"}));
}

TEST(HfPreTokenizers, SplitRegexAndInvert) {
  json split = {{"type", "Split"},
                {"pattern", {{"Regex", "\\p{N}+"}}},
                {"behavior", "Removed"},
                {"invert", false}};
  EXPECT_EQ(pieces(split, "ab12cd345"), (Pieces{"ab", "cd"}));
  split["invert"] = true;  // the matches are kept, the gaps removed
  EXPECT_EQ(pieces(split, "ab12cd345"), (Pieces{"12", "345"}));
}

TEST(HfPreTokenizers, Llama3SplitRegex) {
  const json split = {{"type", "Split"},
                      {"pattern",
                       {{"Regex",
                         "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
                         "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}}},
                      {"behavior", "Isolated"},
                      {"invert", false}};
  EXPECT_EQ(pieces(split, "I'VE 12345 apples!!\n\n  ok"),
            (Pieces{"I", "'VE", " ", "123", "45", " apples", "!!\n\n", " ", " ok"}));
}

TEST(HfPreTokenizers, MetaspacePrependSchemes) {
  const std::string bar = "\xE2\x96\x81";
  json meta = {
      {"type", "Metaspace"}, {"replacement", bar}, {"prepend_scheme", "first"}, {"split", true}};
  EXPECT_EQ(pieces(meta, "hello world"), (Pieces{bar + "hello", bar + "world"}));
  EXPECT_EQ(pieces(meta, "hello world", /*at_start=*/false), (Pieces{"hello", bar + "world"}));
  meta["prepend_scheme"] = "always";
  EXPECT_EQ(pieces(meta, "hello world", false), (Pieces{bar + "hello", bar + "world"}));
  meta["prepend_scheme"] = "never";
  EXPECT_EQ(pieces(meta, "hello world"), (Pieces{"hello", bar + "world"}));
  meta["split"] = false;
  EXPECT_EQ(pieces(meta, "a  b"), (Pieces{"a" + bar + bar + "b"}));
  // Older files: add_prefix_space instead of prepend_scheme.
  const json legacy = {{"type", "Metaspace"}, {"replacement", bar}, {"add_prefix_space", true}};
  EXPECT_EQ(pieces(legacy, "x y", false), (Pieces{bar + "x", bar + "y"}));
}

TEST(HfPreTokenizers, Digits) {
  EXPECT_EQ(pieces({{"type", "Digits"}, {"individual_digits", true}}, "a123b"),
            (Pieces{"a", "1", "2", "3", "b"}));
  EXPECT_EQ(pieces({{"type", "Digits"}, {"individual_digits", false}}, "a123b4"),
            (Pieces{"a", "123", "b", "4"}));
}

TEST(HfPreTokenizers, PunctuationIsolatesEachMark) {
  EXPECT_EQ(pieces({{"type", "Punctuation"}}, "hi, there!?"),
            (Pieces{"hi", ",", " there", "!", "?"}));
  // U+3001 IDEOGRAPHIC COMMA is Unicode punctuation.
  EXPECT_EQ(pieces({{"type", "Punctuation"}},
                   "a\xE3\x80\x81"
                   "b"),
            (Pieces{"a", "\xE3\x80\x81", "b"}));
}

TEST(HfPreTokenizers, WhitespaceAndWhitespaceSplit) {
  EXPECT_EQ(pieces({{"type", "Whitespace"}}, "Hello, world!!  x_1"),
            (Pieces{"Hello", ",", "world", "!!", "x_1"}));
  EXPECT_EQ(pieces({{"type", "WhitespaceSplit"}}, " a  b,\tc\n"), (Pieces{"a", "b,", "c"}));
}

TEST(HfPreTokenizers, ByteLevelSpellsBytesAndSplitsLikeGpt2) {
  EXPECT_EQ(
      pieces({{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}}, "hi there"),
      (Pieces{"\xC4\xA0hi", "\xC4\xA0there"}));  // "Ġhi", "Ġthere"
  EXPECT_EQ(
      pieces({{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}, "a b\n"),
      (Pieces{"a\xC4\xA0"
              "b\xC4\x8A"}));  // "aĠbĊ"
}

TEST(HfPreTokenizers, SequenceAppliesEachToEveryPiece) {
  const json seq = {
      {"type", "Sequence"},
      {"pretokenizers", json::array({{{"type", "WhitespaceSplit"}},
                                     {{"type", "Digits"}, {"individual_digits", true}}})}};
  EXPECT_EQ(pieces(seq, "ab12 c3"), (Pieces{"ab", "1", "2", "c", "3"}));
}

}  // namespace
}  // namespace beamscope::hf
