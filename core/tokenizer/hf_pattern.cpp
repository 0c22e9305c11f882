#include "tokenizer/hf_pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "tokenizer/utf8.h"
#include "util/error.h"

namespace beamscope::hf {

namespace {

// Oniguruma (HF's regex engine) and JavaScript take \s as Unicode
// White_Space; PCRE2's \s also counts U+180E, which Unicode dropped from it
// in 6.3. Spelling \s as the property makes every engine split alike.
std::string with_unicode_white_space(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 32);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '\\' || i + 1 == pattern.size()) {
      out += pattern[i];
      continue;
    }
    const char next = pattern[++i];  // an escape pair is copied whole ("\\s" stays)
    if (next == 's') {
      out += "\\p{White_Space}";
    } else if (next == 'S') {
      out += "\\P{White_Space}";
    } else {
      out += '\\';
      out += next;
    }
  }
  return out;
}

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(code, buffer, sizeof buffer);
  return reinterpret_cast<const char*>(buffer);
}

}  // namespace

struct Pattern::Regex {
  pcre2_code* code = nullptr;
  pcre2_match_context* limits = nullptr;
  bool jit = false;
  ~Regex() {
    pcre2_match_context_free(limits);
    pcre2_code_free(code);
  }
};

namespace {

// A hostile file's regex may backtrack exponentially; real tokenizer
// patterns need a few dozen steps per match, so this bound is never reached
// by them and turns a would-be hang into an error.
constexpr std::uint32_t kMatchLimit = 1'000'000;

}  // namespace

Pattern::Pattern(const json& pattern, const std::string& where) : where_(where) {
  if (!pattern.is_object() || pattern.size() != 1) {
    throw Error(where + " must be {\"String\": ...} or {\"Regex\": ...}.");
  }
  const auto first = pattern.begin();  // an object iterator: key() and value()
  const std::string& kind = first.key();
  const json& value = first.value();
  if (!value.is_string()) throw Error(where + "." + kind + " must be a string.");
  const std::string text = value.get<std::string>();
  if (utf8::first_invalid_byte(text)) throw Error(where + "." + kind + " is not valid UTF-8.");
  if (kind == "String") {
    literal_ = text;
    return;
  }
  if (kind != "Regex") {
    throw Error(where + " must be {\"String\": ...} or {\"Regex\": ...}, not \"" +
                kind.substr(0, 40) + "\".");
  }
  regex_ = std::make_unique<Regex>();
  int error = 0;
  PCRE2_SIZE offset = 0;
  const std::string pcre2_pattern = with_unicode_white_space(text);
  regex_->code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pcre2_pattern.data()), pcre2_pattern.size(),
                    PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
  if (regex_->code == nullptr) {
    throw Error(where + ".Regex does not compile (at offset " + std::to_string(offset) + ": " +
                pcre2_message(error) + ").");
  }
  regex_->jit = pcre2_jit_compile(regex_->code, PCRE2_JIT_COMPLETE) == 0;
  regex_->limits = pcre2_match_context_create(nullptr);
  if (regex_->limits == nullptr) throw std::bad_alloc();
  pcre2_set_match_limit(regex_->limits, kMatchLimit);
}

Pattern::~Pattern() = default;

template <typename Fn>
void Pattern::for_each_match(std::string_view text, Fn&& on_match) const {
  if (!regex_) {
    if (literal_.empty()) return;
    for (std::size_t pos = text.find(literal_); pos != std::string_view::npos;
         pos = text.find(literal_, pos + literal_.size())) {
      on_match(pos, pos + literal_.size());
    }
    return;
  }
  pcre2_match_data* match = pcre2_match_data_create_from_pattern(regex_->code, nullptr);
  if (match == nullptr) throw std::bad_alloc();
  struct Release {
    pcre2_match_data* m;
    ~Release() { pcre2_match_data_free(m); }
  } release{match};
  const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t pos = 0;
  while (pos <= text.size()) {
    // The text was made valid UTF-8 before the pipeline, so PCRE2's own
    // check (linear in the text, per call) is skipped.
    const int rc = regex_->jit ? pcre2_jit_match(regex_->code, subject, text.size(), pos,
                                                 PCRE2_NO_UTF_CHECK, match, regex_->limits)
                               : pcre2_match(regex_->code, subject, text.size(), pos,
                                             PCRE2_NO_UTF_CHECK, match, regex_->limits);
    if (rc == PCRE2_ERROR_NOMATCH) return;
    if (rc < 0) {
      throw Error(where_ + ": the pattern failed on this text (" + pcre2_message(rc) + ").");
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
    const std::size_t start = ovector[0], end = ovector[1];
    on_match(start, end);
    if (end > pos) {
      pos = end;
    } else {  // an empty match: step over one character so the scan advances
      if (end >= text.size()) return;
      const std::size_t length = utf8::valid_char_length(text, end);
      pos = end + (length > 0 ? length : 1);
    }
  }
}

void Pattern::segments(std::string_view text, bool invert, std::vector<Segment>& out) const {
  out.clear();
  std::size_t previous = 0;
  for_each_match(text, [&](std::size_t start, std::size_t end) {
    if (start > previous) out.push_back({previous, start, invert});
    out.push_back({start, end, !invert});
    previous = end;
  });
  if (previous < text.size()) out.push_back({previous, text.size(), invert});
}

std::string Pattern::replace_all(std::string_view text, std::string_view content) const {
  std::string out;
  out.reserve(text.size());
  std::size_t previous = 0;
  for_each_match(text, [&](std::size_t start, std::size_t end) {
    out.append(text.substr(previous, start - previous)).append(content);
    previous = end;
  });
  out.append(text.substr(previous));
  return out;
}

}  // namespace beamscope::hf
