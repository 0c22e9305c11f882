#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace beamscope::utf8 {

// Length (1..4) of the well-formed UTF-8 character that starts at `pos`, or 0
// when the bytes there are not one: a stray continuation byte, an overlong
// form, a surrogate, a code point above U+10FFFF or a truncated sequence.
std::size_t valid_char_length(std::string_view text, std::size_t pos);

// Offset of the first byte that does not belong to a well-formed character;
// nullopt when the whole text is valid UTF-8.
std::optional<std::size_t> first_invalid_byte(std::string_view text);

// Decodes the well-formed character of `length` bytes at `pos` (as reported by
// valid_char_length).
char32_t decode_char(std::string_view text, std::size_t pos, std::size_t length);

// Appends the UTF-8 encoding of a valid code point.
void append_char(std::string& out, char32_t code_point);

}  // namespace beamscope::utf8
