// Randomly damaged tokenizer files: loading either works or throws
// beamscope::Error; never another exception, never a crash. (Run the test
// program under -DBEAMSCOPE_SANITIZE=ON to have memory errors caught too.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/byte_level_bpe_tokenizer.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

// A small but complete byte-level tokenizer.json: bytes, a few merges,
// added tokens with flags.
std::string small_tokenizer_json() {
  nlohmann::json vocab = nlohmann::json::object();
  for (int b = 0; b < 256; ++b) vocab[bytes_to_vocab_string(std::string(1, char(b)))] = b;
  vocab["ab"] = 256;
  vocab["Ġa"] = 257;
  vocab["Ġab"] = 258;
  return nlohmann::json{
      {"added_tokens",
       {{{"id", 259}, {"content", "<|endoftext|>"}, {"special", true}},
        {{"id", 260}, {"content", "<mask>"}, {"lstrip", true}, {"special", true}}}},
      {"normalizer", nullptr},
      {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", {"Ġ a", "Ġa b", "a b"}}}}}
      .dump();
}

std::string mutate(std::string text, std::mt19937& rng) {
  const std::string_view json_chars = "{}[]\":,0123456789 \\";
  std::uniform_int_distribution<int> edits(1, 8), kind(0, 3), byte(0, 255);
  for (int e = edits(rng); e > 0 && !text.empty(); --e) {
    std::uniform_int_distribution<std::size_t> at(0, text.size() - 1);
    const std::size_t pos = at(rng);
    switch (kind(rng)) {
      case 0:
        text[pos] = static_cast<char>(byte(rng));
        break;
      case 1:
        text.erase(pos, 1 + rng() % 16);
        break;
      case 2:
        text.insert(pos, 1, json_chars[rng() % json_chars.size()]);
        break;
      default:
        text.insert(pos, text.substr(at(rng), 1 + rng() % 32));
        break;
    }
  }
  return text;
}

TEST(MutatedFiles, TokenizerJsonLoadsOrFailsCleanly) {
  const std::string original = small_tokenizer_json();
  {
    TempDir dir;
    write_file(dir / "tokenizer.json", original);
    const auto tok = load_tokenizer_folder(dir.path());
    EXPECT_EQ(tok->encode(" ab  <mask>"), (std::vector<std::int32_t>{258, 260}));
  }
  std::mt19937 rng(99);
  int loaded = 0, refused = 0;
  TempDir dir;
  for (int i = 0; i < 400; ++i) {
    write_file(dir / "tokenizer.json", mutate(original, rng));
    try {
      const auto tok = load_tokenizer_folder(dir.path());
      const std::string text = "ab <mask> x\xFF<|endoftext|>";
      EXPECT_EQ(tok->decode(tok->encode(text)).size() > 0, true);
      ++loaded;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("tokenizer.json"), std::string::npos) << e.what();
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);
  RecordProperty("loaded", loaded);
}

TEST(MutatedFiles, VocabAndMergesLoadOrFailCleanly) {
  nlohmann::json vocab = nlohmann::json::object();
  for (int b = 0; b < 256; ++b) vocab[bytes_to_vocab_string(std::string(1, char(b)))] = b;
  vocab["ab"] = 256;
  vocab["<|endoftext|>"] = 257;
  const std::string vocab_text = vocab.dump(), merges_text = "#version: 0.2\na b\n";
  std::mt19937 rng(100);
  TempDir dir;
  for (int i = 0; i < 400; ++i) {
    const bool damage_vocab = i % 2 == 0;
    write_file(dir / "vocab.json", damage_vocab ? mutate(vocab_text, rng) : vocab_text);
    write_file(dir / "merges.txt", damage_vocab ? merges_text : mutate(merges_text, rng));
    try {
      const auto tok = load_tokenizer_folder(dir.path());
      const std::string text = "abab <|endoftext|>\xC3";
      EXPECT_EQ(tok->decode(tok->encode(text)), text);
    } catch (const Error& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(damage_vocab ? "vocab.json" : "merges.txt"), std::string::npos)
          << message;
    }
  }
}

TEST(MutatedFiles, UnusedIdsBetweenTokensAreErrorsOnUse) {
  BpeDefinition def = byte_vocabulary();
  def.vocab.emplace_back("ab", 300);  // ids 256..299 are unused
  def.merges.push_back({"a", "b", "line 1"});
  const auto tok = ByteLevelBpeTokenizer(std::move(def));
  EXPECT_EQ(tok.vocab_size(), 301);
  EXPECT_EQ(tok.encode("ab"), std::vector<std::int32_t>{300});
  EXPECT_THROW(tok.token_bytes(280), Error);
  EXPECT_THROW(tok.decode(std::vector<std::int32_t>{97, 299}), Error);
}

}  // namespace
}  // namespace beamscope::test
