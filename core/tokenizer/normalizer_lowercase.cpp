#include "tokenizer/normalizer.h"
#include "tokenizer/unicode_text.h"

namespace beamscope::hf {

namespace {

class LowercaseNormalizer final : public Normalizer {
 public:
  void normalize(std::string& text) const override {
    // ASCII-only text (the common case) needs no trip through ICU.
    bool ascii = true;
    for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (!ascii) {
      text = unicode::lowercase(text);
      return;
    }
    for (char& c : text) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
};

}  // namespace

std::unique_ptr<Normalizer> read_lowercase_normalizer() {
  return std::make_unique<LowercaseNormalizer>();
}

}  // namespace beamscope::hf
