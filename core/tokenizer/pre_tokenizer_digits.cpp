#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/unicode_text.h"

namespace beamscope::hf {

namespace {

// Numeric characters apart from the rest: each alone (individual_digits) or
// in runs.
class DigitsPreTokenizer final : public PreTokenizer {
 public:
  explicit DigitsPreTokenizer(bool individual) : individual_(individual) {}

  void pre_tokenize(std::vector<PreToken>& pieces) const override {
    std::vector<PreToken> out;
    out.reserve(pieces.size());
    std::vector<Segment> segments;
    for (const PreToken& piece : pieces) {
      char_segments(piece.text, unicode::is_numeric, segments);
      split_piece(piece, segments,
                  individual_ ? SplitBehavior::isolated : SplitBehavior::contiguous, out);
    }
    pieces = std::move(out);
  }

 private:
  bool individual_;
};

}  // namespace

std::unique_ptr<PreTokenizer> read_digits_pre_tokenizer(const json& part,
                                                        const std::string& where) {
  return std::make_unique<DigitsPreTokenizer>(bool_member(part, "individual_digits", false, where));
}

}  // namespace beamscope::hf
