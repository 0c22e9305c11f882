#include "tokenizer/normalizer.h"
#include "tokenizer/unicode_text.h"

namespace beamscope::hf {

namespace {

// Removes whitespace (Unicode White_Space) from either end.
class StripNormalizer final : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void normalize(std::string& text) const override {
    std::size_t begin = 0, end = 0;
    bool seen_other = false;
    unicode::for_each_char(text, [&](std::size_t pos, std::size_t length, char32_t c) {
      if (unicode::is_whitespace(c)) return;
      if (!seen_other) begin = pos;
      seen_other = true;
      end = pos + length;
    });
    if (!seen_other) {
      if (left_ || right_) text.clear();
      return;
    }
    if (!right_) end = text.size();
    if (!left_) begin = 0;
    text = text.substr(begin, end - begin);
  }

 private:
  bool left_, right_;
};

}  // namespace

std::unique_ptr<Normalizer> read_strip_normalizer(const json& part, const std::string& where) {
  return std::make_unique<StripNormalizer>(bool_member(part, "strip_left", true, where),
                                           bool_member(part, "strip_right", true, where));
}

}  // namespace beamscope::hf
