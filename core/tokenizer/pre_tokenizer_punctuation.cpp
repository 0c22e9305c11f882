#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/unicode_text.h"

namespace beamscope::hf {

namespace {

// Punctuation characters apart from the rest, by `behavior` (default Isolated).
class PunctuationPreTokenizer final : public PreTokenizer {
 public:
  explicit PunctuationPreTokenizer(SplitBehavior behavior) : behavior_(behavior) {}

  void pre_tokenize(std::vector<PreToken>& pieces) const override {
    std::vector<PreToken> out;
    out.reserve(pieces.size());
    std::vector<Segment> segments;
    for (const PreToken& piece : pieces) {
      char_segments(piece.text, unicode::is_punctuation, segments);
      split_piece(piece, segments, behavior_, out);
    }
    pieces = std::move(out);
  }

 private:
  SplitBehavior behavior_;
};

}  // namespace

std::unique_ptr<PreTokenizer> read_punctuation_pre_tokenizer(const json& part,
                                                             const std::string& where) {
  const auto behavior = part.contains("behavior") && !part["behavior"].is_null()
                            ? read_split_behavior(part, where)
                            : SplitBehavior::isolated;
  return std::make_unique<PunctuationPreTokenizer>(behavior);
}

}  // namespace beamscope::hf
