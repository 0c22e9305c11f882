// The BPE model inside a whole tokenizer.json pipeline (Llama 2 style:
// normalizer, byte fallback, template post-processor, SentencePiece decoder),
// with ids worked out by hand from HF's algorithm.
#include <gtest/gtest.h>

#include "core/tokenizer/hf_test_support.h"

namespace beamscope::test {
namespace {

TEST(HfBpeModel, MergesLowestRankFirstAndAddsBos) {
  const auto tok = load_hf(llama2_style_json());
  // "ab ab" -> "▁ab▁ab": "▁ a" (rank 0) first, then "▁a b" (rank 1); "a b"
  // (rank 2) never gets its turn.
  EXPECT_EQ(tok->encode("ab ab"), (Ids{1, 263, 263}));
  EXPECT_EQ(tok->encode("ab ab", /*add_special_tokens=*/false), (Ids{263, 263}));
  EXPECT_EQ(tok->encode("", false), Ids{});
}

TEST(HfBpeModel, ByteFallbackForUnknownCharacters) {
  const auto tok = load_hf(llama2_style_json());
  // "é" is not a token: its UTF-8 bytes C3 A9 become <0xC3> <0xA9>.
  EXPECT_EQ(tok->encode("\xC3\xA9", false), (Ids{259, 3 + 0xC3, 3 + 0xA9}));
}

TEST(HfBpeModel, UnknownTokenFusedOrNot) {
  json tj = llama2_style_json();
  tj["model"]["byte_fallback"] = false;
  EXPECT_EQ(load_hf(tj)->encode("\xC3\xA9\xC3\xA9"
                                "a",
                                false),
            (Ids{259, 0, 260}));
  tj["model"]["fuse_unk"] = false;
  EXPECT_EQ(load_hf(tj)->encode("\xC3\xA9\xC3\xA9"
                                "a",
                                false),
            (Ids{259, 0, 0, 260}));
}

TEST(HfBpeModel, AddedTokensAreCutOutBeforeNormalizing) {
  const auto tok = load_hf(llama2_style_json());
  // "<s>" in the text is the special token; "ab" after it is normalized on
  // its own ("▁ab"), as HF does.
  EXPECT_EQ(tok->encode("<s>ab", false), (Ids{1, 263}));
  EXPECT_EQ(tok->encode("ab</s>", false), (Ids{263, 2}));
}

TEST(HfBpeModel, DecodeStripsTheFirstSpaceOnly) {
  const auto tok = load_hf(llama2_style_json());
  EXPECT_EQ(tok->decode(Ids{263, 263}), "ab ab");
  EXPECT_EQ(tok->decode(Ids{1, 263, 263}), "<s> ab ab");  // as HF: the space follows "<s>"
  EXPECT_EQ(tok->decode(Ids{259, 3 + 0xC3, 3 + 0xA9}), "\xC3\xA9");
  // A token's own contribution keeps its space and raw bytes.
  EXPECT_EQ(tok->token_bytes(263), " ab");
  EXPECT_EQ(tok->token_bytes(3 + 0xC3), "\xC3");
  EXPECT_EQ(tok->token_bytes(1), "<s>");
  EXPECT_EQ(tok->token_string(263), kBar + "ab");
  EXPECT_TRUE(tok->is_special(1));
  EXPECT_FALSE(tok->is_special(263));
  EXPECT_EQ(tok->vocab_size(), 265);
  EXPECT_EQ(tok->token_id(kBar + "ab"), 263);
  EXPECT_EQ(tok->token_id("</s>"), 2);
}

TEST(HfBpeModel, SubwordPrefixAndSuffix) {
  // WordPiece-like BPE: "##" marks a continuing piece, "</w>" a word's end.
  json vocab = {{"a", 0},       {"##b", 1},   {"##c</w>", 2}, {"ab", 3},
                {"abc</w>", 4}, {"[UNK]", 5}, {"c</w>", 6}};
  json tj = {{"model",
              {{"type", "BPE"},
               {"vocab", vocab},
               {"unk_token", "[UNK]"},
               {"continuing_subword_prefix", "##"},
               {"end_of_word_suffix", "</w>"},
               {"merges", json::array({"a ##b", "ab ##c</w>"})}}},
             {"pre_tokenizer", {{"type", "WhitespaceSplit"}}}};
  const auto tok = load_hf(tj);
  EXPECT_EQ(tok->encode("abc c ax"), (Ids{4, 6, 0, 5}));
}

TEST(HfBpeModel, IgnoreMergesTakesAWholePieceThatIsAToken) {
  json tj = llama2_style_json();
  tj["model"]["vocab"]
    ["\xE2\x96\x81"
     "b"] = 265;  // "▁b", unreachable by merges
  EXPECT_EQ(load_hf(tj)->encode("b", false), (Ids{259, 261}));
  tj["model"]["ignore_merges"] = true;
  EXPECT_EQ(load_hf(tj)->encode("b", false), (Ids{265}));
}

TEST(HfBpeModel, ConfigAddsBosWhereThereIsNoPostProcessor) {
  json tj = llama2_style_json();
  tj["post_processor"] = nullptr;
  EXPECT_EQ(load_hf(tj)->encode("a"), (Ids{262}));
  const json config = {{"add_bos_token", true},
                       {"add_eos_token", true},
                       {"bos_token", "<s>"},
                       {"eos_token", {{"content", "</s>"}}}};
  EXPECT_EQ(load_hf(tj, config)->encode("a"), (Ids{1, 262, 2}));
  EXPECT_EQ(load_hf(tj, config)->encode("a", false), (Ids{262}));
}

TEST(HfBpeModel, InvalidUtf8InputIsReplacedNotRejected) {
  const auto tok = load_hf(llama2_style_json());
  // A lone continuation byte becomes U+FFFD (EF BF BD), which falls back to bytes.
  EXPECT_EQ(tok->encode("a\x80", false), (Ids{262, 3 + 0xEF, 3 + 0xBF, 3 + 0xBD}));
}

}  // namespace
}  // namespace beamscope::test
