// Unigram (Viterbi over scores) and WordLevel inside whole pipelines, with
// ids worked out by hand.
#include <gtest/gtest.h>

#include "core/tokenizer/hf_test_support.h"

namespace beamscope::test {
namespace {

json unigram_json(const json& vocab, bool byte_fallback = false) {
  return {
      {"model",
       {{"type", "Unigram"}, {"unk_id", 0}, {"vocab", vocab}, {"byte_fallback", byte_fallback}}},
      {"pre_tokenizer",
       {{"type", "Metaspace"},
        {"replacement", kBar},
        {"prepend_scheme", "always"},
        {"split", true}}},
      {"decoder", {{"type", "Metaspace"}, {"replacement", kBar}, {"prepend_scheme", "always"}}}};
}

TEST(HfUnigramModel, ViterbiPicksTheHighestTotalScore) {
  const json vocab =
      json::array({json::array({"<unk>", 0.0}), json::array({kBar, -1.0}), json::array({"a", -1.0}),
                   json::array({"b", -2.0}), json::array({"ab", -2.5}), json::array({"c", -3.0}),
                   json::array({kBar + "a", -1.5})});
  const auto tok = load_hf(unigram_json(vocab));
  // "▁ab": ▁a+b = -3.5, ▁+ab = -3.5 (tie: the earlier-starting last token,
  // "ab", wins as in HF's lattice), ▁+a+b = -4.
  EXPECT_EQ(tok->encode("ab"), (Ids{1, 4}));
  EXPECT_EQ(tok->encode("abc"), (Ids{1, 4, 5}));
  // Unknown characters fuse into one <unk>.
  EXPECT_EQ(tok->encode("axyb"), (Ids{6, 0, 3}));
  EXPECT_EQ(tok->decode(Ids{1, 4, 1, 2}), "ab a");
  EXPECT_EQ(tok->token_bytes(6), " a");
}

TEST(HfUnigramModel, ByteFallbackSpellsUnknownTextInBytes) {
  json vocab = json::array(
      {json::array({"<unk>", 0.0}), json::array({kBar, -1.0}), json::array({"a", -1.0})});
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    vocab.push_back(json::array({name, -100.0}));
  }
  json tj = unigram_json(vocab, /*byte_fallback=*/true);
  tj["decoder"] = {
      {"type", "Sequence"},
      {"decoders",
       json::array({{{"type", "Metaspace"}, {"replacement", kBar}, {"prepend_scheme", "always"}},
                    {{"type", "ByteFallback"}},
                    {{"type", "Fuse"}}})}};
  const auto tok = load_hf(tj);
  // "▁aé": é (C3 A9) has no token: bytes 0xC3 -> id 3 + 0xC3, 0xA9 -> 3 + 0xA9.
  EXPECT_EQ(tok->encode("a\xC3\xA9"), (Ids{1, 2, 3 + 0xC3, 3 + 0xA9}));
  EXPECT_EQ(tok->decode(tok->encode("a\xC3\xA9")), "a\xC3\xA9");
  EXPECT_EQ(tok->token_bytes(3 + 0xC3), "\xC3");
}

TEST(HfWordLevelModel, WholeWordsOrUnknown) {
  const json tj = {{"model",
                    {{"type", "WordLevel"},
                     {"vocab", {{"hello", 0}, {"[UNK]", 1}, {"world", 2}}},
                     {"unk_token", "[UNK]"}}},
                   {"pre_tokenizer", {{"type", "WhitespaceSplit"}}},
                   {"normalizer", {{"type", "Lowercase"}}}};
  const auto tok = load_hf(tj);
  EXPECT_EQ(tok->encode("Hello there WORLD"), (Ids{0, 1, 2}));
  // No decoder: HF joins the tokens with spaces.
  EXPECT_EQ(tok->decode(Ids{0, 2}), "hello world");
}

TEST(HfPostProcessors, TemplateRobertaBertAndSequence) {
  json tj = {{"model",
              {{"type", "WordLevel"},
               {"vocab", {{"[CLS]", 0}, {"[SEP]", 1}, {"x", 2}, {"[UNK]", 3}}},
               {"unk_token", "[UNK]"}}},
             {"pre_tokenizer", {{"type", "WhitespaceSplit"}}}};
  tj["post_processor"] = {
      {"type", "TemplateProcessing"},
      {"single", "[CLS]:0 $A:0 [SEP]:0"},
      {"special_tokens",
       {{"[CLS]", {{"id", "[CLS]"}, {"ids", {0}}}}, {"[SEP]", {{"id", "[SEP]"}, {"ids", {1}}}}}}};
  EXPECT_EQ(load_hf(tj)->encode("x x"), (Ids{0, 2, 2, 1}));
  tj["post_processor"] = {{"type", "BertProcessing"}, {"cls", {"[CLS]", 0}}, {"sep", {"[SEP]", 1}}};
  EXPECT_EQ(load_hf(tj)->encode("x"), (Ids{0, 2, 1}));
  tj["post_processor"] = {
      {"type", "Sequence"},
      {"processors",
       json::array(
           {{{"type", "ByteLevel"}, {"trim_offsets", true}},
            {{"type", "RobertaProcessing"}, {"cls", {"[CLS]", 0}}, {"sep", {"[SEP]", 1}}}})}};
  EXPECT_EQ(load_hf(tj)->encode("x"), (Ids{0, 2, 1}));
  EXPECT_EQ(load_hf(tj)->encode("x", false), (Ids{2}));
}

TEST(HfDecoders, StripBeforeFuseCutsEveryToken) {
  json tj = {
      {"model", {{"type", "WordLevel"}, {"vocab", {{"_a_", 0}, {"_b_", 1}}}, {"unk_token", "_a_"}}},
      {"pre_tokenizer", {{"type", "WhitespaceSplit"}}},
      {"decoder", {{"type", "Strip"}, {"content", "_"}, {"start", 1}, {"stop", 1}}}};
  const auto tok = load_hf(tj);
  EXPECT_EQ(tok->decode(Ids{0, 1}), "ab");
  EXPECT_EQ(tok->token_bytes(1), "b");
}

TEST(HfDecoders, CleanUpTokenizationSpacesFromTheConfig) {
  json tj = {
      {"model",
       {{"type", "WordLevel"}, {"vocab", {{"a", 0}, {".", 1}, {"'s", 2}}}, {"unk_token", "a"}}},
      {"pre_tokenizer", {{"type", "WhitespaceSplit"}}}};
  EXPECT_EQ(load_hf(tj)->decode(Ids{0, 2, 1}), "a 's .");
  EXPECT_EQ(load_hf(tj, {{"clean_up_tokenization_spaces", true}})->decode(Ids{0, 2, 1}), "a's.");
}

}  // namespace
}  // namespace beamscope::test
