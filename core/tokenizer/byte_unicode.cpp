#include "tokenizer/byte_unicode.h"

#include <array>

#include "tokenizer/utf8.h"

namespace beamscope {

namespace {

bool is_printable_byte(int b) {
  return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

// byte -> code point, built once; the non-printable bytes take U+0100+n in
// the order they appear.
const std::array<char32_t, 256>& byte_table() {
  static const std::array<char32_t, 256> table = [] {
    std::array<char32_t, 256> t{};
    char32_t next = 0x100;
    for (int b = 0; b < 256; ++b) t[b] = is_printable_byte(b) ? char32_t(b) : next++;
    return t;
  }();
  return table;
}

}  // namespace

char32_t byte_to_unicode(std::uint8_t byte) { return byte_table()[byte]; }

std::optional<std::uint8_t> unicode_to_byte(char32_t cp) {
  // Printable bytes map to themselves; the rest occupy U+0100..U+0143.
  if (cp < 256) {
    if (is_printable_byte(static_cast<int>(cp))) return static_cast<std::uint8_t>(cp);
    return std::nullopt;
  }
  static const std::array<std::uint8_t, 68> shifted = [] {
    std::array<std::uint8_t, 68> s{};
    for (int b = 0; b < 256; ++b) {
      if (!is_printable_byte(b)) s[byte_table()[b] - 0x100] = static_cast<std::uint8_t>(b);
    }
    return s;
  }();
  if (cp >= 0x100 && cp < 0x100 + shifted.size()) return shifted[cp - 0x100];
  return std::nullopt;
}

std::string bytes_to_vocab_string(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) utf8::append_char(out, byte_to_unicode(static_cast<std::uint8_t>(c)));
  return out;
}

std::optional<std::string> vocab_string_to_bytes(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  std::size_t pos = 0;
  while (pos < token.size()) {
    const std::size_t length = utf8::valid_char_length(token, pos);
    if (length == 0) return std::nullopt;
    const auto byte = unicode_to_byte(utf8::decode_char(token, pos, length));
    if (!byte) return std::nullopt;
    out += static_cast<char>(*byte);
    pos += length;
  }
  return out;
}

}  // namespace beamscope
