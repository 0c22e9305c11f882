#include "tokenizer/pre_tokenizer.h"

namespace beamscope::hf {

namespace {

// Splits at a string or regex (Llama 3's and Qwen's big split regexes).
class SplitPreTokenizer final : public PreTokenizer {
 public:
  SplitPreTokenizer(const json& part, const std::string& where)
      : pattern_(member(part, "pattern", where), where + ".pattern"),
        behavior_(read_split_behavior(part, where)),
        invert_(bool_member(part, "invert", false, where)) {}

  void pre_tokenize(std::vector<PreToken>& pieces) const override {
    std::vector<PreToken> out;
    out.reserve(pieces.size());
    std::vector<Segment> segments;
    for (const PreToken& piece : pieces) {
      pattern_.segments(piece.text, invert_, segments);
      split_piece(piece, segments, behavior_, out);
    }
    pieces = std::move(out);
  }

 private:
  Pattern pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

}  // namespace

std::unique_ptr<PreTokenizer> read_split_pre_tokenizer(const json& part, const std::string& where) {
  return std::make_unique<SplitPreTokenizer>(part, where);
}

}  // namespace beamscope::hf
