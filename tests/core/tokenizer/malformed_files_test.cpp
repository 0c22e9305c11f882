// vocab.json + merges.txt (+ tokenizer_config.json) folders treated as hostile
// input: every problem is a beamscope::Error naming the file and what is
// wrong, never a crash.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/tokenizer/tokenizer_test_support.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

using nlohmann::json;
using Ids = std::vector<std::int32_t>;

json byte_vocab_json(const std::vector<std::string>& extra = {}) {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b) vocab[bytes_to_vocab_string(std::string(1, char(b)))] = b;
  for (std::size_t i = 0; i < extra.size(); ++i) vocab[extra[i]] = 256 + i;
  return vocab;
}

// A folder with the given vocab.json and merges.txt texts.
struct Folder {
  TempDir dir;
  Folder(const std::string& vocab, const std::string& merges) {
    write_file(dir / "vocab.json", vocab);
    write_file(dir / "merges.txt", merges);
  }
};

// Loading fails with an Error whose message names `file` and contains `phrase`.
void expect_error(const std::filesystem::path& dir, const std::string& file,
                  const std::string& phrase) {
  try {
    load_tokenizer_folder(dir);
    ADD_FAILURE() << "accepted; expected an error about " << file << ": " << phrase;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(file), std::string::npos) << message;
    EXPECT_NE(message.find(phrase), std::string::npos) << message;
    EXPECT_EQ(message.back(), '.') << "one sentence: " << message;
  }
}

const std::string kGoodMerges = "#version: 0.2\na b\n";

TEST(MalformedFiles, AGoodSmallFolderLoads) {
  Folder f(byte_vocab_json({"ab"}).dump(), "#version: 0.2\r\na b\r\n\r\n\n");
  const auto tok = load_tokenizer_folder(f.dir.path());
  EXPECT_EQ(tok->encode("ab"), Ids{256});
  // No "#version" line is fine too.
  Folder g(byte_vocab_json({"ab"}).dump(), "a b");
  EXPECT_EQ(load_tokenizer_folder(g.dir.path())->encode("abab"), (Ids{256, 256}));
}

TEST(MalformedFiles, MissingFilesAndFolders) {
  TempDir dir;
  expect_error(dir / "nope", "nope", "does not exist");
  write_file(dir / "plain.txt", "x");
  expect_error(dir / "plain.txt", "plain.txt", "is not a folder");
  expect_error(dir.path(), dir.path().string(), "has no tokenizer");
  write_file(dir / "vocab.json", byte_vocab_json().dump());
  expect_error(dir.path(), dir.path().string(), "has vocab.json but no merges.txt");
  std::filesystem::remove(dir / "vocab.json");
  write_file(dir / "merges.txt", kGoodMerges);
  expect_error(dir.path(), dir.path().string(), "has merges.txt but no vocab.json");
}

TEST(MalformedFiles, VocabJsonProblems) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"a\": 1,", "is not valid JSON"},
      {"", "is not valid JSON"},
      {R"({"a": 1e999})", "is not valid JSON (number overflow"},
      {"[1, 2, 3]", "must be a JSON object"},
      {"{}", "the vocabulary is empty"},
      {R"({"a": "1"})", "the id of token 'a' is not an integer (string)"},
      {R"({"a": 1.5})", "the id of token 'a' is not an integer (number)"},
      {R"({"a": null})", "is not an integer (null)"},
      {R"({"a": 18446744073709551615})", "out of range"},
  };
  for (const auto& [vocab, phrase] : cases) {
    SCOPED_TRACE(vocab);
    Folder f(vocab, kGoodMerges);
    expect_error(f.dir.path(), "vocab.json", phrase);
  }
}

TEST(MalformedFiles, VocabIdsThatDoNotFit) {
  json vocab = byte_vocab_json({"ab"});
  vocab["ab"] = -3;
  expect_error(Folder(vocab.dump(), kGoodMerges).dir.path(), "vocab.json",
               "token 'ab' has id -3, outside");
  vocab["ab"] = 1LL << 40;
  expect_error(Folder(vocab.dump(), kGoodMerges).dir.path(), "vocab.json", "outside 0..16777215");
  vocab["ab"] = 10'000'000;
  expect_error(Folder(vocab.dump(), kGoodMerges).dir.path(), "vocab.json", "too sparse");
  vocab["ab"] = 97;  // 'a'
  expect_error(Folder(vocab.dump(), kGoodMerges).dir.path(), "vocab.json",
               "id 97 is given to both");
  vocab["ab"] = 256;
  vocab[""] = 257;
  expect_error(Folder(vocab.dump(), kGoodMerges).dir.path(), "vocab.json", "an empty token");
  vocab.erase("");
  vocab.erase("Ġ");
  expect_error(Folder(vocab.dump(), kGoodMerges).dir.path(), "vocab.json",
               "no token 'Ġ' for byte 0x20");
}

TEST(MalformedFiles, MergesTxtProblemsNameTheLine) {
  const std::string vocab = byte_vocab_json({"ab"}).dump();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"#version: 0.2\na b\nab\n", "line 3: expected two tokens separated by one space, got 'ab'"},
      {"a b c\n", "line 1: expected two tokens"},
      {"a  b\n", "line 1: expected two tokens"},
      {" a\n", "line 1: expected two tokens"},
      {"a \n", "line 1: expected two tokens"},
      {"a b\nq zz\n", "line 2: the merge 'q zz' uses 'zz', which is not in the vocabulary"},
      {"\n\nb a\n", "line 3: the merge 'b a' makes 'ba', which is not in the vocabulary"},
  };
  for (const auto& [merges, phrase] : cases) {
    SCOPED_TRACE(merges);
    Folder f(vocab, merges);
    expect_error(f.dir.path(), "merges.txt", phrase);
  }
}

TEST(MalformedFiles, HugeFilesAreRefusedBeforeReading) {
  Folder f(byte_vocab_json().dump(), kGoodMerges);
  // Sparse: takes no disk space.
  std::filesystem::resize_file(f.dir / "merges.txt", (512ull << 20) + 1);
  expect_error(f.dir.path(), "merges.txt", "too large for a tokenizer file");
}

TEST(MalformedFiles, DeeplyNestedJsonIsAnErrorNotACrash) {
  Folder f(std::string(200000, '[') + std::string(200000, ']'), kGoodMerges);
  expect_error(f.dir.path(), "vocab.json", "must be a JSON object");
  Folder g(std::string(200000, '['), kGoodMerges);
  expect_error(g.dir.path(), "vocab.json", "is not valid JSON");
}

TEST(MalformedFiles, EndOfTextIsSpecialWhenInTheVocabulary) {
  json vocab = byte_vocab_json({"ab", "<|endoftext|>"});
  Folder f(vocab.dump(), kGoodMerges);
  const auto tok = load_tokenizer_folder(f.dir.path());
  EXPECT_EQ(tok->encode("ab<|endoftext|>"), (Ids{256, 257}));
  EXPECT_TRUE(tok->is_special(257));
}

TEST(MalformedFiles, TokenizerConfigAddedTokensAreUsed) {
  Folder f(byte_vocab_json({"ab"}).dump(), kGoodMerges);
  write_file(f.dir / "tokenizer_config.json",
             R"({"added_tokens_decoder": {"257": {"content": "<pad>", "special": true},
                                          "258": {"content": "<x>", "special": false}}})");
  const auto tok = load_tokenizer_folder(f.dir.path());
  EXPECT_EQ(tok->encode("<pad>ab<x>"), (Ids{257, 256, 258}));
  EXPECT_TRUE(tok->is_special(257));
  EXPECT_FALSE(tok->is_special(258));
  EXPECT_EQ(tok->vocab_size(), 259);

  write_file(f.dir / "tokenizer_config.json", R"({"added_tokens_decoder": {"x": {}}})");
  expect_error(f.dir.path(), "tokenizer_config.json", "key 'x' is not a token id");
  write_file(f.dir / "tokenizer_config.json",
             R"({"added_tokens_decoder": {"300": {"special": 1}}})");
  expect_error(f.dir.path(), "tokenizer_config.json", "has no \"content\" string");
  write_file(f.dir / "tokenizer_config.json", "{oops");
  expect_error(f.dir.path(), "tokenizer_config.json", "is not valid JSON");
  write_file(f.dir / "tokenizer_config.json", R"({"eos_token": 5})");
  expect_error(f.dir.path(), "tokenizer_config.json", "\"eos_token\" must be a string");
  write_file(f.dir / "tokenizer_config.json", R"({"additional_special_tokens": "<x>"})");
  expect_error(f.dir.path(), "tokenizer_config.json", "must be an array");
}

TEST(MalformedFiles, SpecialTokensNamedInTokenizerConfig) {
  // Like the bundled model: GPT2Tokenizer's config names <|endoftext|> as
  // eos but has no added_tokens_decoder.
  Folder f(byte_vocab_json({"ab", "<|endoftext|>", "<pad>", "<sep>"}).dump(), kGoodMerges);
  write_file(f.dir / "tokenizer_config.json",
             R"({"tokenizer_class": "GPT2Tokenizer", "eos_token": "<|endoftext|>",
                 "pad_token": {"__type": "AddedToken", "content": "<pad>"},
                 "additional_special_tokens": ["<sep>", "<not-in-vocab>"]})");
  const auto tok = load_tokenizer_folder(f.dir.path());
  // A name missing from the vocabulary is plain text: 14 bytes, "ab" in "vocab" merged.
  EXPECT_EQ(tok->encode("<not-in-vocab>").size(), 13u);
  EXPECT_EQ(tok->encode("<|endoftext|>ab<pad><sep>"), (Ids{257, 256, 258, 259}));
  EXPECT_TRUE(tok->is_special(257));
  EXPECT_TRUE(tok->is_special(258));
  EXPECT_TRUE(tok->is_special(259));
  EXPECT_EQ(tok->vocab_size(), 260);
}

}  // namespace
}  // namespace beamscope::test
