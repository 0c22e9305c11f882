// NFC / NFD / NFKC / NFKD, and StripAccents (which removes the combining
// marks that NFD leaves): Unicode's own tables, through ICU.
#include <unicode/uchar.h>

#include "tokenizer/normalizer.h"
#include "tokenizer/unicode_text.h"

namespace beamscope::hf {

namespace {

class UnicodeFormNormalizer final : public Normalizer {
 public:
  explicit UnicodeFormNormalizer(unicode::NormalForm form) : form_(form) {}
  void normalize(std::string& text) const override { text = unicode::normalize(text, form_); }

 private:
  unicode::NormalForm form_;
};

class StripAccentsNormalizer final : public Normalizer {
 public:
  void normalize(std::string& text) const override {
    std::string out;
    out.reserve(text.size());
    unicode::for_each_char(text, [&](std::size_t pos, std::size_t length, char32_t c) {
      if (u_charType(UChar32(c)) != U_NON_SPACING_MARK) out.append(text, pos, length);
    });
    text = std::move(out);
  }
};

}  // namespace

std::unique_ptr<Normalizer> read_unicode_form_normalizer(const std::string& type) {
  using unicode::NormalForm;
  const NormalForm form = type == "NFC"    ? NormalForm::nfc
                          : type == "NFD"  ? NormalForm::nfd
                          : type == "NFKC" ? NormalForm::nfkc
                                           : NormalForm::nfkd;
  return std::make_unique<UnicodeFormNormalizer>(form);
}

std::unique_ptr<Normalizer> read_strip_accents_normalizer() {
  return std::make_unique<StripAccentsNormalizer>();
}

}  // namespace beamscope::hf
