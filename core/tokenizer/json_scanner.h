#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace beamscope {

// A strict reader that walks JSON text without building a document: it reads
// strings and small non-negative integers and skips any other value. It is
// for the bulk of large files (a 262k-token vocabulary with half a million
// merges), where a DOM parse costs seconds. It never reports errors itself:
// every method returns false on text it does not accept (anything RFC 8259
// forbids, and anything it does not bother with), and the caller then hands
// the whole file to the full parser, which words the error for the user.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : text_(text) {}

  std::size_t pos() const { return pos_; }
  // True when only whitespace is left.
  bool at_end();
  void skip_space();
  // Skips whitespace; true (and consumes it) when the next byte is `c`.
  bool consume(char c);
  // Skips whitespace; true when the next byte is `c` (not consumed).
  bool next_is(char c);

  // Reads a string (the opening quote is next, after whitespace), decoding
  // escapes, into `out` (replaced). Refuses control characters, malformed
  // UTF-8, bad escapes and unpaired surrogates, as the full parser does.
  bool read_string(std::string& out);
  // The same, appending to `out`.
  bool append_string(std::string& out);
  // Reads an integer written as plain digits (no sign, fraction or exponent;
  // no leading zero) of value at most `max`.
  bool read_uint(std::uint64_t max, std::uint64_t& out);
  // Skips any one value, nested at most kMaxDepth deep.
  bool skip_value();

  static constexpr int kMaxDepth = 256;

 private:
  bool skip_string();
  bool skip_number();
  bool skip_literal(std::string_view word);
  // Appends the character of a \uXXXX escape (and its low surrogate).
  bool read_unicode_escape(std::string& out);
  bool read_hex4(std::uint32_t& out);

  std::string_view text_;
  std::size_t pos_ = 0;
};

// A value's bytes [begin, end) in a text, and what stands in for it.
struct JsonValueRange {
  std::size_t begin = 0, end = 0;
  std::string_view placeholder;  // "{}", "[]" or "null": at most end - begin bytes
};

// `text` with each range (in order, disjoint) replaced by its placeholder,
// padded with the newlines and spaces that keep every later byte on its line
// and column, so a parse error in the rest is reported where it is in the file.
std::string replace_json_values(std::string_view text, const std::vector<JsonValueRange>& ranges);

// Where the value of top-level member `name` of the JSON object `text` is,
// when `text` is an object the scanner accepts with that member once.
std::optional<JsonValueRange> top_level_member(std::string_view text, std::string_view name,
                                               std::string_view placeholder);

}  // namespace beamscope
