#include "tokenizer/json_scanner.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "tokenizer/utf8.h"

namespace beamscope {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void JsonScanner::skip_space() {
  while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
}

bool JsonScanner::at_end() {
  skip_space();
  return pos_ == text_.size();
}

bool JsonScanner::consume(char c) {
  skip_space();
  if (pos_ < text_.size() && text_[pos_] == c) {
    ++pos_;
    return true;
  }
  return false;
}

bool JsonScanner::next_is(char c) {
  skip_space();
  return pos_ < text_.size() && text_[pos_] == c;
}

bool JsonScanner::read_hex4(std::uint32_t& out) {
  if (text_.size() - pos_ < 4) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = text_[pos_++];
    std::uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = std::uint32_t(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = std::uint32_t(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = std::uint32_t(c - 'A' + 10);
    } else {
      return false;
    }
    out = out * 16 + digit;
  }
  return true;
}

bool JsonScanner::read_unicode_escape(std::string& out) {
  std::uint32_t code;
  if (!read_hex4(code)) return false;
  if (code >= 0xDC00 && code <= 0xDFFF) return false;  // a low surrogate first
  if (code >= 0xD800 && code <= 0xDBFF) {
    // A high surrogate must be followed by "\u" and a low one.
    if (text_.size() - pos_ < 2 || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') return false;
    pos_ += 2;
    std::uint32_t low;
    if (!read_hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
  }
  utf8::append_char(out, static_cast<char32_t>(code));
  return true;
}

bool JsonScanner::read_string(std::string& out) {
  out.clear();
  return append_string(out);
}

bool JsonScanner::append_string(std::string& out) {
  if (!consume('"')) return false;
  while (pos_ < text_.size()) {
    // Copy the run of plain bytes up to the next quote, backslash or byte
    // that needs a closer look, in one append.
    std::size_t run = pos_;
    while (run < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[run]);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++run;
    }
    out.append(text_.data() + pos_, run - pos_);
    pos_ = run;
    if (pos_ == text_.size()) return false;
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c < 0x20) return false;  // control characters must be escaped
    if (c >= 0x80) {
      const std::size_t length = utf8::valid_char_length(text_, pos_);
      if (length == 0) return false;
      out.append(text_.data() + pos_, length);
      pos_ += length;
      continue;
    }
    // A backslash.
    if (++pos_ == text_.size()) return false;
    const char e = text_[pos_++];
    switch (e) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u':
        if (!read_unicode_escape(out)) return false;
        break;
      default:
        return false;
    }
  }
  return false;
}

bool JsonScanner::skip_string() {
  // Validation is the same work as reading; strings skipped here are few.
  std::string ignored;
  return read_string(ignored);
}

bool JsonScanner::read_uint(std::uint64_t max, std::uint64_t& out) {
  skip_space();
  const std::size_t start = pos_;
  out = 0;
  while (pos_ < text_.size() && is_digit(text_[pos_])) {
    const auto digit = std::uint64_t(text_[pos_] - '0');
    if (out > (max - digit) / 10) return false;  // would exceed max
    out = out * 10 + digit;
    ++pos_;
  }
  const std::size_t digits = pos_ - start;
  if (digits == 0 || (digits > 1 && text_[start] == '0')) return false;
  // A fraction or exponent makes it a number this reader does not take.
  return pos_ == text_.size() || (text_[pos_] != '.' && text_[pos_] != 'e' && text_[pos_] != 'E');
}

bool JsonScanner::skip_number() {
  const std::size_t number_start = pos_;
  if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
  const std::size_t start = pos_;
  while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
  const std::size_t digits = pos_ - start;
  if (digits == 0 || (digits > 1 && text_[start] == '0')) return false;
  if (pos_ < text_.size() && text_[pos_] == '.') {
    const std::size_t fraction = ++pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    if (pos_ == fraction) return false;
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    const std::size_t exponent = pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    if (pos_ == exponent) return false;
  }
  // The full parser refuses a number whose value overflows a double (1e999,
  // or a long enough run of digits with a fraction); not taking it here
  // means the file goes to the full parser, so the error is not hidden by a
  // member this scanner skips. Integers that fit 64 bits never overflow.
  if (pos_ - start > 18 ||
      text_.substr(start, pos_ - start).find_first_of(".eE") != std::string_view::npos) {
    const std::string number(text_.substr(number_start, pos_ - number_start));
    if (std::isinf(std::strtod(number.c_str(), nullptr))) return false;
  }
  return true;
}

bool JsonScanner::skip_literal(std::string_view word) {
  if (text_.substr(pos_, word.size()) != word) return false;
  pos_ += word.size();
  return true;
}

bool JsonScanner::skip_value() {
  // Iterative, with an explicit stack of open containers ('{' or '['), so
  // hostile nesting cannot overflow the call stack.
  std::vector<char> open;
  for (;;) {
    skip_space();
    if (pos_ == text_.size()) return false;
    const char c = text_[pos_];
    if (c == '{' || c == '[') {
      if (open.size() >= std::size_t(kMaxDepth)) return false;
      ++pos_;
      open.push_back(c);
      if (consume(c == '{' ? '}' : ']')) {
        open.pop_back();  // empty: a value that has ended
      } else if (c == '{') {
        if (!skip_string() || !consume(':')) return false;
        continue;  // now the member's value
      } else {
        continue;  // now the first element
      }
    } else if (c == '"') {
      if (!skip_string()) return false;
    } else if (c == 't') {
      if (!skip_literal("true")) return false;
    } else if (c == 'f') {
      if (!skip_literal("false")) return false;
    } else if (c == 'n') {
      if (!skip_literal("null")) return false;
    } else if (c == '-' || is_digit(c)) {
      if (!skip_number()) return false;
    } else {
      return false;
    }
    // A value ended: close containers or go on to the next member/element.
    for (;;) {
      if (open.empty()) return true;
      const bool in_object = open.back() == '{';
      if (consume(',')) {
        if (in_object && (!skip_string() || !consume(':'))) return false;
        break;
      }
      if (!consume(in_object ? '}' : ']')) return false;
      open.pop_back();
    }
  }
}

std::string replace_json_values(std::string_view text, const std::vector<JsonValueRange>& ranges) {
  std::string out;
  out.reserve(text.size() / 8);
  std::size_t done = 0;
  for (const JsonValueRange& range : ranges) {
    // A value shorter than its placeholder stays (it is small anyway).
    if (range.end - range.begin < range.placeholder.size()) continue;
    out.append(text, done, range.begin - done);
    out.append(range.placeholder);
    const std::string_view value = text.substr(range.begin, range.end - range.begin);
    const std::size_t last_newline = value.rfind('\n');
    if (last_newline == std::string_view::npos) {
      out.append(value.size() - range.placeholder.size(), ' ');
    } else {
      out.append(static_cast<std::size_t>(std::count(value.begin(), value.end(), '\n')), '\n');
      out.append(value.size() - last_newline - 1, ' ');
    }
    done = range.end;
  }
  out.append(text, done);
  return out;
}

std::optional<JsonValueRange> top_level_member(std::string_view text, std::string_view name,
                                               std::string_view placeholder) {
  JsonScanner s(text);
  if (!s.consume('{')) return std::nullopt;
  std::optional<JsonValueRange> found;
  if (!s.consume('}')) {
    std::string key;
    do {
      if (!s.read_string(key) || !s.consume(':')) return std::nullopt;
      s.skip_space();
      const std::size_t begin = s.pos();
      if (!s.skip_value()) return std::nullopt;
      if (key == name) {
        if (found) return std::nullopt;  // twice: left to the full parser
        found = JsonValueRange{begin, s.pos(), placeholder};
      }
    } while (s.consume(','));
    if (!s.consume('}')) return std::nullopt;
  }
  if (!s.at_end()) return std::nullopt;
  return found;
}

}  // namespace beamscope
