// SentencePiece tokenizer.model files: models trained in the test by
// python3-sentencepiece (BPE and unigram, with and without normalizing and
// byte fallback) against that library's own encode and decode, the hard
// cases included; loading through a path and a folder; hostile files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/require_reference.h"
#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/load_tokenizer.h"
#include "tokenizer/sentencepiece_tokenizer.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

using Ids = std::vector<std::int32_t>;

const std::filesystem::path kReferenceScript =
    std::filesystem::path(BEAMSCOPE_TEST_DATA_DIR) / "tokenizer" / "sentencepiece_reference.py";

std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// The hard cases of every tokenizer, plus what SentencePiece makes special:
// its own control / user-defined spellings inside text, bytes that are not
// UTF-8, whitespace runs its normalizer folds, and a 10 kB text.
std::vector<std::string> test_texts() {
  std::vector<std::string> texts;
  const auto cases = nlohmann::json::parse(read_whole_file(
      std::filesystem::path(BEAMSCOPE_TEST_DATA_DIR) / "tokenizer" / "hard_cases.json"))["cases"];
  for (const auto& c : cases) texts.push_back(c["text"].get<std::string>());
  texts.insert(texts.end(),
               {"", " ", "<s>hello</s> <sep>world<sep><unk>", "a\xFF\xFE b\x80", "\xF0\x9F\x98",
                "   leading, inner   and trailing   ", "tabs\t\tand\nnew\n\nlines\r\n",
                "\xEF\xBC\xA1\xEF\xBC\xA2 \xE2\x91\xA0"
                "\xEF\xAC\x81"});
  std::string long_text;
  while (long_text.size() < 10000) {
    long_text += "The cat sat on a mat. \xE6\x88\x91\xE4\xBB\xAC 1234567 int main() {}\n";
  }
  texts.push_back(long_text);
  return texts;
}

struct Reference {
  TempDir dir;
  std::vector<std::string> texts = test_texts();
  nlohmann::json models;
};

// Trains the models once for the whole program (about a second).
const Reference* reference() {
  static const std::unique_ptr<Reference> ref = [] {
    if (std::system(BEAMSCOPE_PYTHON " -c 'import sentencepiece' 2>/dev/null") != 0) {
      return std::unique_ptr<Reference>();
    }
    auto r = std::make_unique<Reference>();
    nlohmann::json hex = nlohmann::json::array();
    for (const auto& t : r->texts) hex.push_back(to_hex(t));
    write_file(r->dir / "texts.json", hex.dump());
    const std::string command = std::string(BEAMSCOPE_PYTHON) + " '" + kReferenceScript.string() +
                                "' '" + r->dir.path().string() + "' '" +
                                (r->dir / "texts.json").string() + "' > '" +
                                (r->dir / "reference.json").string() + "'";
    if (std::system(command.c_str()) != 0) {
      ADD_FAILURE() << "the SentencePiece reference failed: " << command;
      return std::unique_ptr<Reference>();
    }
    r->models = nlohmann::json::parse(read_whole_file(r->dir / "reference.json"));
    return r;
  }();
  return ref.get();
}

#define REQUIRE_REFERENCE()                                                              \
  const Reference* ref = reference();                                                    \
  if (ref == nullptr) {                                                                  \
    BEAMSCOPE_REFERENCE_MISSING(BEAMSCOPE_PYTHON                                         \
                                " lacks sentencepiece (Debian: python3-sentencepiece)"); \
    return;                                                                              \
  }

class SentencePieceModel : public testing::TestWithParam<std::string> {};

TEST_P(SentencePieceModel, EncodeAndDecodeMatchSentencePiece) {
  REQUIRE_REFERENCE();
  const auto& expected = ref->models.at(GetParam());
  const auto tok = load_tokenizer(ref->dir / (GetParam() + ".model"));
  int mismatches = 0;
  for (std::size_t i = 0; i < ref->texts.size() && mismatches < 5; ++i) {
    SCOPED_TRACE("text " + std::to_string(i) + ": '" + ref->texts[i].substr(0, 80) + "'");
    const Ids ids = tok->encode(ref->texts[i], false);
    const Ids want = expected["ids"][i].get<Ids>();
    EXPECT_EQ(ids, want);
    EXPECT_EQ(tok->encode(ref->texts[i], true), expected["ids_bos"][i].get<Ids>());
    EXPECT_EQ(to_hex(tok->decode(want)), expected["decoded"][i].get<std::string>());
    if (ids != want) ++mismatches;
  }
}

INSTANTIATE_TEST_SUITE_P(Trained, SentencePieceModel,
                         testing::Values("bpe_llama_like", "bpe_nfkc", "unigram_nfkc",
                                         "unigram_unk"));

TEST(SentencePieceTokenizer, PiecesAndTheirBytes) {
  REQUIRE_REFERENCE();
  const auto tok = load_tokenizer(ref->dir / "bpe_llama_like.model");
  EXPECT_EQ(tok->token_string(0), "<unk>");
  EXPECT_EQ(tok->token_string(1), "<s>");
  EXPECT_TRUE(tok->is_special(1));
  EXPECT_TRUE(tok->is_special(2));
  EXPECT_EQ(tok->token_bytes(1), "<s>");
  const auto e2 = tok->token_id("<0xE2>");
  ASSERT_TRUE(e2.has_value());
  EXPECT_EQ(tok->token_bytes(*e2), "\xE2");
  EXPECT_FALSE(tok->is_special(*e2));
  const auto the = tok->token_id("\xE2\x96\x81the");  // ▁the
  ASSERT_TRUE(the.has_value());
  EXPECT_EQ(tok->token_bytes(*the), " the");
  EXPECT_EQ(tok->token_id("no such piece"), std::nullopt);
  EXPECT_THROW(tok->token_bytes(tok->vocab_size()), Error);
  EXPECT_THROW(tok->decode(Ids{-1}), Error);
}

TEST(SentencePieceTokenizer, AFolderWithTokenizerModelLoadsIt) {
  REQUIRE_REFERENCE();
  TempDir dir;
  std::filesystem::copy_file(ref->dir / "unigram_nfkc.model", dir / "tokenizer.model");
  // Beside a GPT-2 pair, as Hugging Face's AutoTokenizer: the model wins.
  write_file(dir / "vocab.json", "{}");
  write_file(dir / "merges.txt", "");
  const auto tok = load_tokenizer(dir.path());
  const auto& expected = ref->models["unigram_nfkc"]["ids"];
  for (std::size_t i = 0; i < ref->texts.size(); ++i) {
    EXPECT_EQ(tok->encode(ref->texts[i], false), expected[i].get<Ids>()) << "text " << i;
  }
}

void expect_error(const std::filesystem::path& file, const std::string& phrase) {
  try {
    load_tokenizer(file);
    ADD_FAILURE() << file << " was accepted; expected: " << phrase;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(file.filename().string()), std::string::npos) << message;
    EXPECT_NE(message.find(phrase), std::string::npos) << message;
    EXPECT_EQ(message.back(), '.') << "one sentence: " << message;
  }
}

// A length-delimited protobuf field: key (number, wire type 2), length, bytes.
std::string field(int number, const std::string& payload) {
  std::string out(1, static_cast<char>(number << 3 | 2));
  for (std::size_t n = payload.size();; n >>= 7) {
    out += static_cast<char>((n & 0x7F) | (n > 0x7F ? 0x80 : 0));
    if (n <= 0x7F) break;
  }
  return out + payload;
}

std::string u32(std::uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); }

TEST(SentencePieceTokenizer, HostileFilesGiveOneSentence) {
  TempDir dir;
  const auto write_and_expect = [&](const std::string& name, const std::string& contents,
                                    const std::string& phrase) {
    write_file(dir / name, contents);
    expect_error(dir / name, phrase);
  };
  write_and_expect("text.model", "this is not a protocol buffer at all",
                   "is not a valid SentencePiece model");
  write_and_expect("empty.model", "", "it has no pieces");
  write_and_expect("json.model", "{\"model\": {}}", "is not a valid SentencePiece model");
  // darts-clone, under libsentencepiece, terminates the process on these.
  write_and_expect("empty_piece.model", field(1, field(1, "a")) + field(1, field(1, "")),
                   "pieces[1] is an empty piece");
  write_and_expect("nul_piece.model", field(1, field(1, std::string("a\0b", 3))),
                   "pieces[0] is a piece with a NUL byte");
  write_and_expect("no_text.model", field(1, ""), "pieces[0] has no piece text");
  write_and_expect("cut_piece.model", field(1, field(1, "abc")).substr(0, 4),
                   "it has a field longer than the data around it");
  // The normalizer's double array, which the library walks unchecked.
  const std::string piece = field(1, field(1, "a"));
  write_and_expect("charsmap_size.model", piece + field(3, field(2, u32(64) + u32(0))),
                   "precompiled_charsmap declares a trie of 64 bytes");
  std::string far_link = u32(4 * 256);
  for (int i = 0; i < 256; ++i) far_link += u32(i == 0 ? (1u << 10) * 4096 : 0);
  write_and_expect("charsmap_link.model", piece + field(3, field(2, far_link + "x")),
                   "has a trie link outside the trie");
  expect_error(dir / "missing.model", "does not exist");
  if (const Reference* ref = reference()) {
    // A real model cut short.
    const std::string whole = read_whole_file(ref->dir / "bpe_nfkc.model");
    write_and_expect("cut.model", whole.substr(0, whole.size() / 2),
                     "is not a valid SentencePiece model");
  }
}

TEST(LoadTokenizer, TellsTheFormatsApart) {
  TempDir dir;
  write_file(dir / "notes.txt", "hello");
  expect_error(dir / "notes.txt", "is not a tokenizer file Beamscope reads");
  write_file(dir / "vocab.json", "{}");
  expect_error(dir / "vocab.json", "give the folder that holds both");
  write_file(dir / "tokenizer.bin", "\x07");
  expect_error(dir / "tokenizer.bin", "is too short for a llama2.c tokenizer");
  write_file(dir / "tokenizer.json", "{");
  expect_error(dir / "tokenizer.json", "tokenizer.json");
}

}  // namespace
}  // namespace beamscope::test
