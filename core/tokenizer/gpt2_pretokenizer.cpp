#include "tokenizer/gpt2_pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <string>

#include "util/error.h"

namespace beamscope {

namespace {

// GPT-2's pattern with \s as Unicode White_Space, as in Python's `regex` and
// HF's Oniguruma. PCRE2's UCP \s differs (it includes U+180E, a format
// character since Unicode 6.3), so the class is spelled out.
std::string gpt2_pattern() {
  const std::string space =
      R"(\t-\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})";
  return R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^)" + space + R"(\p{L}\p{N}]+)" +  //
         "|[" + space + "]+(?![^" + space + "])" +  // \s+(?!\S)
         "|[" + space + "]+";                       // \s+
}

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(code, buffer, sizeof buffer);
  return reinterpret_cast<const char*>(buffer);
}

}  // namespace

struct Gpt2PreTokenizer::Compiled {
  pcre2_code* code = nullptr;
  bool jit = false;
  ~Compiled() { pcre2_code_free(code); }
};

Gpt2PreTokenizer::Gpt2PreTokenizer() : compiled_(std::make_unique<Compiled>()) {
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  // MATCH_INVALID_UTF: invalid sequences are never part of a match (instead of
  // making every match call fail), which is what lets split() stay total.
  const std::string pattern = gpt2_pattern();
  compiled_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                  PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &error,
                                  &error_offset, nullptr);
  if (compiled_->code == nullptr) {
    throw Error("Internal error: the GPT-2 pre-tokenizer pattern does not compile (" +
                pcre2_message(error) + ").");
  }
  compiled_->jit = pcre2_jit_compile(compiled_->code, PCRE2_JIT_COMPLETE) == 0;
}

Gpt2PreTokenizer::~Gpt2PreTokenizer() = default;

void Gpt2PreTokenizer::split(std::string_view text,
                             const std::function<void(std::string_view)>& piece) const {
  if (text.empty()) return;
  pcre2_match_data* match = pcre2_match_data_create_from_pattern(compiled_->code, nullptr);
  if (match == nullptr) throw std::bad_alloc();
  struct Release {
    pcre2_match_data* m;
    ~Release() { pcre2_match_data_free(m); }
  } release{match};

  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const int rc =
        compiled_->jit
            ? pcre2_jit_match(compiled_->code, subject, text.size(), pos, 0, match, nullptr)
            : pcre2_match(compiled_->code, subject, text.size(), pos, 0, match, nullptr);
    std::size_t start = text.size(), end = text.size();
    if (rc >= 0) {
      const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
      start = ovector[0];
      end = ovector[1];
    } else if (rc != PCRE2_ERROR_NOMATCH) {
      throw Error("Internal error while pre-tokenizing text (" + pcre2_message(rc) + ").");
    }
    // Whatever the pattern skipped is bytes that are not UTF-8 characters.
    if (start > pos) piece(text.substr(pos, start - pos));
    if (end > start) piece(text.substr(start, end - start));
    // Every alternative consumes at least one character, so this advances.
    pos = end > pos ? end : pos + 1;
  }
}

}  // namespace beamscope
