// llama2.c's tokenizer.bin: the real stories260K vocabulary (tok512.bin)
// against llama2.c's own output and an independent Python encoder, small
// vocabularies written here to check the merge order by hand, and hostile
// files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/require_reference.h"
#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/llama2c_tokenizer.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

using Ids = std::vector<std::int32_t>;

const std::filesystem::path kStories =
    std::filesystem::path(BEAMSCOPE_SHARED_DIR) / "data" / "llama2c-stories260K";
const std::filesystem::path kReferenceScript =
    std::filesystem::path(BEAMSCOPE_TEST_DATA_DIR) / "tokenizer" / "llama2c_reference_encode.py";

#define REQUIRE_STORIES()                                                           \
  do {                                                                              \
    if (!std::filesystem::is_regular_file(kStories / "tok512.bin")) {               \
      GTEST_SKIP() << "Skipping: llama2.c stories260K data missing at " << kStories \
                   << " (it lives in the project's shared folder, not in a clone)"; \
    }                                                                               \
  } while (0)

// A tokenizer.bin in llama2.c's layout.
struct Piece {
  std::string bytes;
  float score = 0;
};
std::string llama2c_file(const std::vector<Piece>& pieces,
                         std::optional<std::int32_t> declared_max = std::nullopt) {
  std::string out;
  const auto put = [&](const void* p, std::size_t n) {
    out.append(static_cast<const char*>(p), n);
  };
  std::int32_t max_length = 1;
  for (const auto& p : pieces) max_length = std::max<std::int32_t>(max_length, p.bytes.size());
  if (declared_max) max_length = *declared_max;
  put(&max_length, 4);
  for (const auto& p : pieces) {
    const auto length = static_cast<std::int32_t>(p.bytes.size());
    put(&p.score, 4);
    put(&length, 4);
    out += p.bytes;
  }
  return out;
}

// <unk>, BOS, EOS, the 256 byte pieces (ids 3..258), then `extra` from 259.
std::vector<Piece> base_pieces(const std::vector<Piece>& extra = {}) {
  std::vector<Piece> pieces = {{"<unk>"}, {"\n<s>\n"}, {"\n</s>\n"}};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    pieces.push_back({name});
  }
  pieces.insert(pieces.end(), extra.begin(), extra.end());
  return pieces;
}

std::unique_ptr<Tokenizer> load_pieces(const TempDir& dir, const std::vector<Piece>& pieces) {
  write_file(dir / "tokenizer.bin", llama2c_file(pieces));
  return load_llama2c_tokenizer(dir / "tokenizer.bin");
}

TEST(Llama2cTokenizer, HighestScoreMergesFirstLeftmostOnTies) {
  TempDir dir;
  // 259 " ", 260 "a", 261 "b", 262 "ab", 263 "ba", 264 "aa", 265 " a"
  const auto tok = load_pieces(
      dir,
      base_pieces({{" ", 0}, {"a", 0}, {"b", 0}, {"ab", -3}, {"ba", -1}, {"aa", -2}, {" a", -5}}));
  EXPECT_EQ(tok->encode("", false), Ids{});
  // " " a b a: "ba" (-1) beats "ab" (-3) and " a" (-5).
  EXPECT_EQ(tok->encode("aba", false), (Ids{265, 263}));
  // " " a a a: " a" would be -5, "aa" -2 twice: the leftmost "aa" wins.
  EXPECT_EQ(tok->encode("aaa", false), (Ids{259, 264, 260}));
  EXPECT_EQ(tok->decode(tok->encode("aaa", false)), "aaa");  // the dummy prefix goes again
  EXPECT_EQ(tok->decode(Ids{265, 265}), "a a");
  // Characters without a piece fall back to their bytes: é = C3 A9.
  EXPECT_EQ(tok->encode("é", false), (Ids{259, 3 + 0xC3, 3 + 0xA9}));
  EXPECT_EQ(tok->decode(Ids{1, 259, 3 + 0xC3, 3 + 0xA9}), "<s>é");
  EXPECT_EQ(tok->token_bytes(3 + 0x0A), "\n");
  EXPECT_EQ(tok->token_string(265),
            "\xE2\x96\x81"
            "a");  // ▁a
  EXPECT_EQ(tok->token_id("\xE2\x96\x81"
                          "a"),
            265);
  EXPECT_EQ(tok->token_string(1), "<s>");
  EXPECT_TRUE(tok->is_special(1));
  EXPECT_TRUE(tok->is_special(2));
  EXPECT_FALSE(tok->is_special(260));
  EXPECT_EQ(tok->vocab_size(), 266);
  EXPECT_THROW(tok->decode(Ids{266}), Error);
  EXPECT_THROW(tok->token_bytes(-1), Error);
}

TEST(Llama2cTokenizer, GroupsBytesAsLlama2cDoes) {
  TempDir dir;
  // 259 "€" (E2 82 AC), 260 "a\x80" is never formed: a stray continuation
  // byte joins the character before it, and the group is not a piece.
  const auto tok = load_pieces(dir, base_pieces({{"\xE2\x82\xAC", 0}, {"a", 0}}));
  EXPECT_EQ(tok->encode("\xE2\x82\xAC", false), (Ids{3 + ' ', 259}));  // no " " piece: its byte
  EXPECT_EQ(tok->encode("a\x80", false), (Ids{3 + ' ', 3 + 'a', 3 + 0x80}));
  // A lead byte and four continuation bytes: the group stops at 4 bytes.
  EXPECT_EQ(tok->encode("\xE2\x82\xAC\x80\x80", false),
            (Ids{3 + ' ', 3 + 0xE2, 3 + 0x82, 3 + 0xAC, 3 + 0x80, 3 + 0x80}));
  EXPECT_EQ(tok->encode(std::string("\0a", 2), false), (Ids{3 + ' ', 3, 260}));
}

TEST(Llama2cTokenizer, Stories260KDecodesLlama2csOwnOutput) {
  REQUIRE_STORIES();
  const auto tok = load_llama2c_tokenizer(kStories / "tok512.bin");
  ASSERT_EQ(tok->vocab_size(), 512);
  Ids ids =
      nlohmann::json::parse(read_whole_file(kStories / "stories260K.expected_t0_n200.ids.txt"))
          .get<Ids>();
  ASSERT_EQ(ids.size(), 200u);
  const std::string expected = read_whole_file(kStories / "stories260K.expected_t0_n200.txt");
  EXPECT_EQ(tok->decode(ids), expected);  // the generated ids alone
  ids.insert(ids.begin(), 1);             // generation started from BOS
  EXPECT_EQ(tok->decode(ids), "<s>" + expected);
  // llama2.c's prompt encoding: BOS, then the text; decoding gives it back.
  const Ids with_bos = tok->encode(expected);
  ASSERT_FALSE(with_bos.empty());
  EXPECT_EQ(with_bos[0], 1);
  EXPECT_EQ(tok->decode(with_bos), "<s>" + expected);
  EXPECT_EQ(tok->encode("", true), Ids{1});
  EXPECT_EQ(tok->encode("", false), Ids{});
}

std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

TEST(Llama2cTokenizer, Stories260KMatchesThePythonReference) {
  REQUIRE_STORIES();
  if (std::system(BEAMSCOPE_PYTHON " -c 'import json' 2>/dev/null") != 0) {
    BEAMSCOPE_REFERENCE_MISSING(BEAMSCOPE_PYTHON " is not available");
    return;
  }
  std::vector<std::string> texts;
  const auto cases = nlohmann::json::parse(read_whole_file(
      std::filesystem::path(BEAMSCOPE_TEST_DATA_DIR) / "tokenizer" / "hard_cases.json"))["cases"];
  for (const auto& c : cases) texts.push_back(c["text"].get<std::string>());
  texts.push_back(read_whole_file(kStories / "stories260K.expected_t0_n200.txt"));
  texts.push_back("\xF0\x9F\x98");                 // a cut-off emoji
  texts.push_back("\x80\x80 a\xC3\x28 \xFF\xFE");  // bytes that are not UTF-8
  texts.push_back("  leading and trailing  \t\n\n ");
  std::string long_text;
  while (long_text.size() < 10000) long_text += "Lily saw a big dog. \xE7\x8C\xAB 12345\n";
  texts.push_back(long_text);

  TempDir dir;
  nlohmann::json hex = nlohmann::json::array();
  for (const auto& t : texts) hex.push_back(to_hex(t));
  write_file(dir / "texts.json", hex.dump());
  const std::string command = std::string(BEAMSCOPE_PYTHON) + " '" + kReferenceScript.string() +
                              "' '" + (kStories / "tok512.bin").string() + "' '" +
                              (dir / "texts.json").string() + "' > '" +
                              (dir / "ids.json").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const auto expected = nlohmann::json::parse(read_whole_file(dir / "ids.json"))["ids"];
  ASSERT_EQ(expected.size(), texts.size());
  const auto tok = load_llama2c_tokenizer(kStories / "tok512.bin");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    SCOPED_TRACE("text " + std::to_string(i) + ": '" + texts[i].substr(0, 80) + "'");
    const Ids ids = tok->encode(texts[i], false);
    EXPECT_EQ(ids, expected[i].get<Ids>());
    Ids with_bos = ids;
    with_bos.insert(with_bos.begin(), 1);
    EXPECT_EQ(tok->encode(texts[i], true), with_bos);
    // Byte fallback loses nothing: both round trips give the text back.
    EXPECT_EQ(tok->decode(with_bos), "<s>" + texts[i]);
    EXPECT_EQ(tok->decode(ids), texts[i]);
  }
}

void expect_error(const std::string& contents, const std::string& phrase) {
  TempDir dir;
  write_file(dir / "tok.bin", contents);
  try {
    load_llama2c_tokenizer(dir / "tok.bin");
    ADD_FAILURE() << "accepted; expected an error containing: " << phrase;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("tok.bin"), std::string::npos) << message;
    EXPECT_NE(message.find(phrase), std::string::npos) << message;
    EXPECT_EQ(message.back(), '.') << "one sentence: " << message;
  }
}

TEST(Llama2cTokenizer, HostileFilesGiveOneSentence) {
  const std::string good = llama2c_file(base_pieces());
  expect_error("", "is too short");
  expect_error("\x01\x00", "is too short");
  expect_error(llama2c_file(base_pieces(), 0), "declares a longest token of 0");
  expect_error(llama2c_file(base_pieces(), -7), "declares a longest token of -7");
  expect_error(good.substr(0, good.size() - 3), "is cut off: it needs 6 bytes");
  expect_error(good + "\x01\x02\x03", "token 259 is cut off inside its score");
  std::string nan_score = good;
  const float nan = std::nanf("");
  std::memcpy(nan_score.data() + 4, &nan, 4);
  expect_error(nan_score, "token 0 has a score that is not a finite number");
  std::string negative = good;
  const std::int32_t minus_one = -1;
  std::memcpy(negative.data() + 8, &minus_one, 4);
  expect_error(negative, "token 0 has a length of -1 bytes");
  expect_error(llama2c_file(base_pieces({{"longer than six"}}), 6),
               "token 259 has a length of 15 bytes");
  auto no_ff = base_pieces();
  no_ff[3 + 0xFF].bytes = "xyz";
  expect_error(llama2c_file(no_ff), "has no <0xFF> piece");
  expect_error(llama2c_file({{"<unk>"}, {"<s>"}}), "has 2 tokens");
  try {
    load_llama2c_tokenizer("/nonexistent/tok.bin");
    ADD_FAILURE() << "a missing file was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace beamscope::test
