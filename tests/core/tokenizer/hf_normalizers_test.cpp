// The tokenizer.json normalizers, each on text whose expected form follows
// from the Unicode standard (ICU does the work; these check the wiring).
#include <gtest/gtest.h>

#include "tokenizer/normalizer.h"

namespace beamscope::hf {
namespace {

std::string normalized(const json& part, std::string text) {
  read_normalizer(part, "test")->normalize(text);
  return text;
}

TEST(HfNormalizers, UnicodeForms) {
  const std::string decomposed = "e\xCC\x81";  // e + COMBINING ACUTE
  const std::string composed = "\xC3\xA9";     // é
  EXPECT_EQ(normalized({{"type", "NFC"}}, decomposed), composed);
  EXPECT_EQ(normalized({{"type", "NFD"}}, composed), decomposed);
  // Compatibility forms: the "ﬁ" ligature becomes "fi", full-width A becomes A.
  EXPECT_EQ(normalized({{"type", "NFKC"}}, "\xEF\xAC\x81 \xEF\xBC\xA1"), "fi A");
  EXPECT_EQ(normalized({{"type", "NFKD"}}, "\xEF\xAC\x81" + composed), "fi" + decomposed);
  EXPECT_EQ(normalized({{"type", "NFC"}}, "plain ascii"), "plain ascii");
}

TEST(HfNormalizers, StripAccentsRemovesCombiningMarks) {
  const json nfd_then_strip = {
      {"type", "Sequence"},
      {"normalizers", json::array({{{"type", "NFD"}}, {{"type", "StripAccents"}}})}};
  EXPECT_EQ(normalized(nfd_then_strip, "caf\xC3\xA9 na\xC3\xAFve"), "cafe naive");
}

TEST(HfNormalizers, LowercaseIsFullUnicode) {
  EXPECT_EQ(normalized({{"type", "Lowercase"}}, "HeLLo"), "hello");
  // À -> à; İ (U+0130) -> i + COMBINING DOT ABOVE (SpecialCasing, as Rust).
  EXPECT_EQ(normalized({{"type", "Lowercase"}}, "\xC3\x80 \xC4\xB0"), "\xC3\xA0 i\xCC\x87");
  // Final sigma: ΟΔΟΣ -> οδος (the last Σ becomes ς).
  EXPECT_EQ(normalized({{"type", "Lowercase"}}, "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3"),
            "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82");
}

TEST(HfNormalizers, StripTakesUnicodeWhitespaceFromTheChosenEnds) {
  const std::string text = " \t\xE3\x80\x80 a b \n";  // includes U+3000
  EXPECT_EQ(normalized({{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}}, text),
            "a b");
  EXPECT_EQ(normalized({{"type", "Strip"}, {"strip_left", false}, {"strip_right", true}}, text),
            " \t\xE3\x80\x80 a b");
  EXPECT_EQ(normalized({{"type", "Strip"}, {"strip_left", true}, {"strip_right", false}}, text),
            "a b \n");
  EXPECT_EQ(normalized({{"type", "Strip"}}, "   "), "");
}

TEST(HfNormalizers, PrependOnlyToNonEmptyText) {
  const json prepend = {{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}};
  EXPECT_EQ(normalized(prepend, "hi"), "\xE2\x96\x81hi");
  EXPECT_EQ(normalized(prepend, ""), "");
}

TEST(HfNormalizers, ReplaceStringAndRegex) {
  EXPECT_EQ(
      normalized({{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "_"}}, "a b  c"),
      "a_b__c");
  EXPECT_EQ(normalized({{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", " "}},
                       "a b    c"),
            "a b c");
  EXPECT_EQ(normalized({{"type", "Replace"}, {"pattern", {{"Regex", "\\p{N}"}}}, {"content", "#"}},
                       "x\xD9\xA3y7"),  // ARABIC-INDIC DIGIT THREE is \p{N}
            "x#y#");
}

TEST(HfNormalizers, SequenceRunsInOrder) {
  const json llama2 = {
      {"type", "Sequence"},
      {"normalizers",
       json::array(
           {{{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}},
            {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\xE2\x96\x81"}}})}};
  EXPECT_EQ(normalized(llama2, "Hello world"), "\xE2\x96\x81Hello\xE2\x96\x81world");
}

}  // namespace
}  // namespace beamscope::hf
