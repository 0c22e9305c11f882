#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tokenizer/utf8.h"

namespace beamscope::unicode {

// Unicode operations a tokenizer.json pipeline needs, from ICU (never our
// own tables). Text is UTF-8 throughout.

// Text with every ill-formed sequence replaced by U+FFFD, one per maximal
// ill-formed subpart (as the WHATWG TextDecoder and Rust's from_utf8_lossy do):
// the pipeline's regexes and normalizers need valid UTF-8, and the reference
// implementations only ever see such text.
std::string to_valid_utf8(std::string_view bytes);

enum class NormalForm { nfc, nfd, nfkc, nfkd };
std::string normalize(std::string_view text, NormalForm form);

// Full Unicode lowercase (SpecialCasing, final sigma), as Rust's
// str::to_lowercase that HF's Lowercase normalizer calls.
std::string lowercase(std::string_view text);

// Rust's char::is_whitespace (White_Space), char::is_numeric (Nd, Nl, No),
// and HF's punctuation test (ASCII punctuation or any P* category).
bool is_whitespace(char32_t c);
bool is_numeric(char32_t c);
bool is_punctuation(char32_t c);

// Calls fn(offset, length, code_point) for each character of valid UTF-8.
template <typename Fn>
void for_each_char(std::string_view text, Fn&& fn) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t length = utf8::valid_char_length(text, pos);
    if (length == 0) length = 1;  // callers pass valid text; never loop forever
    fn(pos, length, utf8::decode_char(text, pos, length));
    pos += length;
  }
}

}  // namespace beamscope::unicode
