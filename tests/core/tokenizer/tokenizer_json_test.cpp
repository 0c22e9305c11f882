// tokenizer.json: the same GPT-2 tokenizer in HF's single-file format (both
// merges styles) gives identical ids; its options are honoured or refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/unicode_text.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

using nlohmann::json;
using Ids = std::vector<std::int32_t>;

// GPT-2's tokenizer.json as HF writes it, built from vocab.json + merges.txt.
json gpt2_tokenizer_json(bool merges_as_pairs) {
  json vocab = json::parse(read_whole_file(gpt2_vocab_dir() / "vocab.json"));
  json merges = json::array();
  std::istringstream lines(read_whole_file(gpt2_vocab_dir() / "merges.txt"));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.starts_with("#version")) continue;
    const auto space = line.find(' ');
    if (merges_as_pairs) {
      merges.push_back(json::array({line.substr(0, space), line.substr(space + 1)}));
    } else {
      merges.push_back(line);
    }
  }
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", json::array({{{"id", 50256},
                                         {"content", "<|endoftext|>"},
                                         {"single_word", false},
                                         {"lstrip", false},
                                         {"rstrip", false},
                                         {"normalized", true},
                                         {"special", true}}})},
          {"normalizer", nullptr},
          {"pre_tokenizer",
           {{"type", "ByteLevel"},
            {"add_prefix_space", false},
            {"trim_offsets", true},
            {"use_regex", true}}},
          {"post_processor",
           {{"type", "ByteLevel"},
            {"add_prefix_space", true},
            {"trim_offsets", false},
            {"use_regex", true}}},
          {"decoder",
           {{"type", "ByteLevel"},
            {"add_prefix_space", true},
            {"trim_offsets", true},
            {"use_regex", true}}},
          {"model",
           {{"type", "BPE"},
            {"dropout", nullptr},
            {"unk_token", nullptr},
            {"continuing_subword_prefix", ""},
            {"end_of_word_suffix", ""},
            {"fuse_unk", false},
            {"byte_fallback", false},
            {"vocab", vocab},
            {"merges", merges}}}};
}

std::vector<std::string> sample_texts() {
  const auto cases = json::parse(read_whole_file(std::filesystem::path(BEAMSCOPE_TEST_DATA_DIR) /
                                                 "tokenizer" / "hard_cases.json"))["cases"];
  std::vector<std::string> texts;
  for (const auto& c : cases) texts.push_back(c["text"]);
  texts.push_back("bad \xFF utf-8 \xE2\x82");
  return texts;
}

TEST(TokenizerJson, BothMergeStylesMatchVocabAndMerges) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  const Tokenizer& reference = gpt2_tokenizer();
  for (bool pairs : {false, true}) {
    SCOPED_TRACE(pairs ? "merges as pairs" : "merges as strings");
    TempDir dir;
    write_file(dir / "tokenizer.json", gpt2_tokenizer_json(pairs).dump());
    const auto tok = load_tokenizer_folder(dir.path());
    EXPECT_EQ(tok->vocab_size(), 50257);
    EXPECT_TRUE(tok->is_special(50256));
    for (const auto& text : sample_texts()) {
      // A tokenizer.json pipeline reads text, so ill-formed UTF-8 arrives as
      // U+FFFD (as in the reference implementations); vocab.json + merges.txt
      // keep GPT-2's byte-exact behaviour.
      EXPECT_EQ(tok->encode(text), reference.encode(unicode::to_valid_utf8(text))) << text;
    }
  }
}

TEST(TokenizerJson, WinsOverVocabJsonInTheSameFolder) {
  BEAMSCOPE_REQUIRE_GPT2_VOCAB();
  TempDir dir;
  std::filesystem::copy_file(gpt2_vocab_dir() / "vocab.json", dir / "vocab.json");
  std::filesystem::copy_file(gpt2_vocab_dir() / "merges.txt", dir / "merges.txt");
  json tj = gpt2_tokenizer_json(true);
  tj["pre_tokenizer"]["add_prefix_space"] = true;  // tell the two apart
  write_file(dir / "tokenizer.json", tj.dump());
  // "ĠHello" = 18435 only with the prefix space; "Hello" alone is 15496.
  EXPECT_EQ(load_tokenizer_folder(dir.path())->encode("Hello"), Ids{18435});
  std::filesystem::remove(dir / "tokenizer.json");
  EXPECT_EQ(load_tokenizer_folder(dir.path())->encode("Hello"), Ids{15496});
}

// A tiny byte-level tokenizer.json: the 256 byte tokens (id = byte) + extras.
json tiny_tokenizer_json(const std::vector<std::string>& extra, const json& merges) {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b) vocab[bytes_to_vocab_string(std::string(1, char(b)))] = b;
  for (std::size_t i = 0; i < extra.size(); ++i) vocab[extra[i]] = 256 + i;
  return {{"added_tokens", json::array()},
          {"normalizer", nullptr},
          {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
          {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
}

std::unique_ptr<Tokenizer> load_json(const json& tokenizer_json) {
  TempDir dir;
  write_file(dir / "tokenizer.json", tokenizer_json.dump());
  return load_tokenizer_folder(dir.path());
}

TEST(TokenizerJson, UseRegexFalseMergesAcrossSpaces) {
  json tj = tiny_tokenizer_json({"aĠ"}, json::array({"a Ġ"}));
  EXPECT_EQ(load_json(tj)->encode("a b"), (Ids{'a', ' ', 'b'}));
  tj["pre_tokenizer"]["use_regex"] = false;
  EXPECT_EQ(load_json(tj)->encode("a b"), (Ids{256, 'b'}));
}

TEST(TokenizerJson, SequenceOfOneByteLevelIsAccepted) {
  json tj = tiny_tokenizer_json({}, json::array());
  tj["pre_tokenizer"] = {
      {"type", "Sequence"},
      {"pretokenizers", json::array({{{"type", "ByteLevel"}, {"add_prefix_space", true}}})}};
  EXPECT_EQ(load_json(tj)->encode("a"), (Ids{' ', 'a'}));
}

TEST(TokenizerJson, IgnoreMergesTakesWholeTokens) {
  // "abc" has no merge path (only a+b), but is a token itself.
  json tj = tiny_tokenizer_json({"ab", "abc"}, json::array({json::array({"a", "b"})}));
  EXPECT_EQ(load_json(tj)->encode("abc"), (Ids{256, 'c'}));
  tj["model"]["ignore_merges"] = true;
  EXPECT_EQ(load_json(tj)->encode("abc"), (Ids{257}));
  // A piece that is not a token still goes through the merges.
  EXPECT_EQ(load_json(tj)->encode("abcab"), (Ids{256, 'c', 256}));
}

void expect_refused(const json& tokenizer_json, const std::string& phrase) {
  try {
    load_json(tokenizer_json);
    ADD_FAILURE() << "accepted; expected an error mentioning '" << phrase << "'";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("tokenizer.json"), std::string::npos) << message;
    EXPECT_NE(message.find(phrase), std::string::npos) << message;
  }
}

TEST(TokenizerJson, RefusesOnlyRandomness) {
  // The other parts of a pipeline (normalizers, Metaspace, Unigram, ...) are
  // read now (hf_*_test.cpp); BPE dropout alone would make ids random.
  json tj = tiny_tokenizer_json({"ab"}, json::array({"a b"}));
  tj["model"]["dropout"] = 0.1;
  expect_refused(tj, "dropout");
  tj["model"]["dropout"] = 0.0;
  EXPECT_EQ(load_json(tj)->encode("ab"), (Ids{256}));
}

TEST(TokenizerJson, RefusesMalformedParts) {
  const json base = tiny_tokenizer_json({"ab"}, json::array({"a b"}));
  json tj = base;
  tj.erase("model");
  expect_refused(tj, "no \"model\" object");
  tj = base;
  tj["model"]["vocab"] = json::array();
  expect_refused(tj, "model.vocab");
  tj = base;
  tj["model"]["vocab"]["ab"] = "256";
  expect_refused(tj, "model.vocab[\"ab\"] must be a token id");
  tj = base;
  tj["model"]["merges"] = json::array({"a b c"});
  expect_refused(tj, "model.merges[0] must be two tokens");
  tj = base;
  tj["model"]["merges"] = json::array({json::array({"a", "b", "c"})});
  expect_refused(tj, "model.merges[0] must be");
  tj = base;
  tj["model"]["merges"] = json::array({"a b", 7});
  expect_refused(tj, "model.merges[1]");
  tj = base;
  tj["model"]["merges"] = json::array({"a z"});
  tj["model"]["vocab"].erase("z");
  expect_refused(tj, "model.merges[0] uses \"z\", which is not in the vocabulary");
  tj = base;
  tj["model"]["merges"] = json::array({"b a"});
  expect_refused(tj, "model.merges[0] makes \"ba\", which is not in the vocabulary");
  tj = base;
  tj["added_tokens"] = json::array({{{"id", "7"}, {"content", "<x>"}}});
  expect_refused(tj, "added_tokens[0].id must be a token id");
  tj = base;
  tj["added_tokens"] = json::array({{{"id", 300}, {"special", true}}});
  expect_refused(tj, "added_tokens[0] has no \"content\"");
  tj = base;
  tj["added_tokens"] = json::array({{{"id", 257}, {"content", "<x>"}, {"special", "yes"}}});
  expect_refused(tj, "\"special\" must be true or false");
  tj = base;
  tj["added_tokens"] = json::array({{{"id", 256}, {"content", "<x>"}}});
  expect_refused(tj, "which the vocabulary gives to \"ab\"");
  tj = base;
  tj["added_tokens"] =
      json::array({{{"id", 257}, {"content", "<x>"}}, {{"id", 258}, {"content", "<x>"}}});
  expect_refused(tj, "listed twice");
  tj = base;
  tj["added_tokens"] =
      json::array({{{"id", 257}, {"content", "<x>"}}, {{"id", 257}, {"content", "<y>"}}});
  expect_refused(tj, "id 257 is given to both added tokens");
}

}  // namespace
}  // namespace beamscope::test
