// Broken tokenizer.json files: one sentence naming the file and the part,
// never a crash.
#include <gtest/gtest.h>

#include "core/tokenizer/hf_test_support.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

void expect_refused(const json& tokenizer_json, const std::string& phrase) {
  try {
    load_hf(tokenizer_json);
    ADD_FAILURE() << "accepted; expected an error mentioning '" << phrase << "'";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("tokenizer.json"), std::string::npos) << message;
    EXPECT_NE(message.find(phrase), std::string::npos) << message;
    EXPECT_EQ(message.back(), '.') << "one sentence: " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(HfBadFiles, UnsupportedTypesAreNamedWithTheirPlace) {
  json tj = llama2_style_json();
  tj["pre_tokenizer"] = {{"type", "Sequence"},
                         {"pretokenizers", json::array({{{"type", "Digits"}}, {{"type", "Foo"}}})}};
  expect_refused(tj, "pre_tokenizer.pretokenizers[1].type \"Foo\" is not supported.");
  tj = llama2_style_json();
  tj["normalizer"]["normalizers"][0] = {{"type", "Precompiled"}};
  expect_refused(tj, "normalizer.normalizers[0].type \"Precompiled\" is not supported.");
  tj = llama2_style_json();
  tj["decoder"] = {{"type", "CTC"}};
  expect_refused(tj, "decoder.type \"CTC\" is not supported.");
  tj = llama2_style_json();
  tj["model"]["type"] = "WordPiece";
  expect_refused(tj, "model.type \"WordPiece\" is not supported.");
  tj = llama2_style_json();
  tj["post_processor"] = {{"type", 7}};
  expect_refused(tj, "post_processor has no \"type\" string.");
}

TEST(HfBadFiles, BadOptionsAndPatterns) {
  json tj = llama2_style_json();
  tj["pre_tokenizer"] = {
      {"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}};
  expect_refused(tj, "pre_tokenizer.pattern.Regex does not compile");
  tj["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Glob", "*"}}}, {"behavior", "Isolated"}};
  expect_refused(tj, "pre_tokenizer.pattern must be");
  tj["pre_tokenizer"] = {
      {"type", "Split"}, {"pattern", {{"String", " "}}}, {"behavior", "Sideways"}};
  expect_refused(tj, "pre_tokenizer.behavior \"Sideways\" is not supported.");
  tj["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "ab"}};
  expect_refused(tj, "pre_tokenizer.replacement must be one character.");
  tj = llama2_style_json();
  tj["model"]["dropout"] = 0.1;
  expect_refused(tj, "model.dropout makes tokenization random");
  tj = llama2_style_json();
  tj["model"]["unk_token"] = "<nope>";
  expect_refused(tj, "model.unk_token \"<nope>\" is not in the vocabulary.");
  tj = llama2_style_json();
  tj["model"]["merges"][1] = "a zz";
  expect_refused(tj, "model.merges[1] uses \"zz\", which is not in the vocabulary.");
  tj = llama2_style_json();
  tj["model"]["vocab"]["x"] = -3;
  expect_refused(tj, "must be a token id from 0");
  tj = llama2_style_json();
  tj["post_processor"]["special_tokens"]["<s>"]["ids"] = {9999};
  expect_refused(tj, "the post-processor adds token id 9999");
  tj = llama2_style_json();
  tj["post_processor"]["single"] = json::array({{{"SpecialToken", {{"id", "<x>"}}}}});
  expect_refused(tj, "post_processor.single uses \"<x>\", which special_tokens does not define.");
  tj = llama2_style_json();
  tj["model"]["vocab"] = json::array({json::array({"a", "not a score"})});
  tj["model"]["type"] = "Unigram";
  expect_refused(tj, "model.vocab[0] must be a [token, score] pair");
}

TEST(HfBadFiles, DeeplyNestedSequencesAreRefused) {
  json part = {{"type", "Lowercase"}};
  for (int i = 0; i < 200; ++i) {
    part = {{"type", "Sequence"}, {"normalizers", json::array({part})}};
  }
  json tj = llama2_style_json();
  tj["normalizer"] = part;
  expect_refused(tj, "is nested too deeply.");
}

}  // namespace
}  // namespace beamscope::test
