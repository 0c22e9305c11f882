// The byte <-> character table, UTF-8 checks and display_bytes.
#include <gtest/gtest.h>

#include <set>

#include "tokenizer/byte_unicode.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/utf8.h"

namespace beamscope {
namespace {

TEST(ByteUnicode, TableMatchesGpt2) {
  std::set<char32_t> seen;
  int shifted = 0;
  for (int b = 0; b < 256; ++b) {
    const char32_t c = byte_to_unicode(static_cast<std::uint8_t>(b));
    seen.insert(c);
    const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
    if (printable) {
      EXPECT_EQ(c, char32_t(b)) << b;
    } else {
      EXPECT_EQ(c, char32_t(0x100 + shifted)) << b;
      ++shifted;
    }
    EXPECT_EQ(unicode_to_byte(c), b);
  }
  EXPECT_EQ(shifted, 68);
  EXPECT_EQ(seen.size(), 256u);
  EXPECT_EQ(byte_to_unicode(' '), U'Ġ');
  EXPECT_EQ(byte_to_unicode('\n'), U'Ċ');
  EXPECT_EQ(byte_to_unicode(0), U'Ā');
  EXPECT_EQ(byte_to_unicode(0xAD), char32_t(0x143));  // soft hyphen is the last shifted byte
  EXPECT_EQ(unicode_to_byte(0x144), std::nullopt);
  EXPECT_EQ(unicode_to_byte(U' '), std::nullopt);
  EXPECT_EQ(unicode_to_byte(U'€'), std::nullopt);
}

TEST(ByteUnicode, SpellingRoundTrips) {
  EXPECT_EQ(bytes_to_vocab_string(" is\n"), "Ġis\xC4\x8A");
  EXPECT_EQ(vocab_string_to_bytes("Ġis"), " is");
  EXPECT_EQ(vocab_string_to_bytes("<|endoftext|>"), "<|endoftext|>");
  EXPECT_EQ(vocab_string_to_bytes("€"), std::nullopt);
  EXPECT_EQ(vocab_string_to_bytes("\xFF"), std::nullopt);  // not UTF-8
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  EXPECT_EQ(vocab_string_to_bytes(bytes_to_vocab_string(all)), all);
}

TEST(Utf8, ValidityFollowsTheUnicodeTable) {
  EXPECT_EQ(utf8::first_invalid_byte("plain ascii"), std::nullopt);
  EXPECT_EQ(utf8::first_invalid_byte("é€😀"), std::nullopt);
  EXPECT_EQ(utf8::first_invalid_byte("ab\x80"), 2u);            // stray continuation
  EXPECT_EQ(utf8::first_invalid_byte("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(utf8::first_invalid_byte("\xE0\x80\xAF"), 0u);      // overlong
  EXPECT_EQ(utf8::first_invalid_byte("x\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(utf8::first_invalid_byte("\xF4\x90\x80\x80"), 0u);  // > U+10FFFF
  EXPECT_EQ(utf8::first_invalid_byte("ok\xE2\x82"), 2u);        // truncated
  EXPECT_EQ(utf8::first_invalid_byte("\xF0\x9F\x98\x80"), std::nullopt);
}

TEST(DisplayBytes, KeepsCharactersAndEscapesBrokenOnes) {
  EXPECT_EQ(display_bytes("hello"), "hello");
  EXPECT_EQ(display_bytes(" is\n\t"), " is\n\t");  // the UI shows spaces itself
  EXPECT_EQ(display_bytes("é😀"), "é😀");
  // The first token of a split emoji, then the rest.
  EXPECT_EQ(display_bytes("\xF0\x9F"), "<0xF0><0x9F>");
  EXPECT_EQ(display_bytes("\x98\x80"), "<0x98><0x80>");
  EXPECT_EQ(display_bytes("a\xFF"
                          "b"),
            "a<0xFF>b");
  EXPECT_EQ(display_bytes(std::string("\0", 1)), std::string("\0", 1));
  EXPECT_EQ(display_bytes(""), "");
  // A character completed at the end of the bytes is shown whole.
  EXPECT_EQ(display_bytes("\xE2\x82\xAC!"), "€!");
}

}  // namespace
}  // namespace beamscope
