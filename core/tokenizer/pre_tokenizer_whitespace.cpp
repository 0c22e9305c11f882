// Whitespace (words and runs of other non-space characters) and
// WhitespaceSplit (split at whitespace only).
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/unicode_text.h"

namespace beamscope::hf {

namespace {

class WhitespacePreTokenizer final : public PreTokenizer {
 public:
  WhitespacePreTokenizer() : pattern_(json{{"Regex", R"(\w+|[^\w\s]+)"}}, "Whitespace") {}

  void pre_tokenize(std::vector<PreToken>& pieces) const override {
    std::vector<PreToken> out;
    out.reserve(pieces.size());
    std::vector<Segment> segments;
    for (const PreToken& piece : pieces) {
      // HF keeps the matches: the pattern inverted, gaps removed.
      pattern_.segments(piece.text, /*invert=*/true, segments);
      split_piece(piece, segments, SplitBehavior::removed, out);
    }
    pieces = std::move(out);
  }

 private:
  Pattern pattern_;
};

class WhitespaceSplitPreTokenizer final : public PreTokenizer {
 public:
  void pre_tokenize(std::vector<PreToken>& pieces) const override {
    std::vector<PreToken> out;
    out.reserve(pieces.size());
    std::vector<Segment> segments;
    for (const PreToken& piece : pieces) {
      char_segments(piece.text, unicode::is_whitespace, segments);
      split_piece(piece, segments, SplitBehavior::removed, out);
    }
    pieces = std::move(out);
  }
};

}  // namespace

std::unique_ptr<PreTokenizer> read_whitespace_pre_tokenizer() {
  return std::make_unique<WhitespacePreTokenizer>();
}

std::unique_ptr<PreTokenizer> read_whitespace_split_pre_tokenizer() {
  return std::make_unique<WhitespaceSplitPreTokenizer>();
}

}  // namespace beamscope::hf
