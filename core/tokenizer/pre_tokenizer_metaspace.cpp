#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/utf8.h"
#include "util/error.h"

namespace beamscope::hf {

namespace {

// SentencePiece's view of spaces: ' ' becomes the replacement ("▁"), which
// is also put in front of the text (prepend_scheme), and optionally each
// "▁" starts a new piece.
class MetaspacePreTokenizer final : public PreTokenizer {
 public:
  enum class Prepend { always, first, never };
  MetaspacePreTokenizer(std::string replacement, Prepend prepend, bool split)
      : replacement_(std::move(replacement)), prepend_(prepend), split_(split) {}

  void pre_tokenize(std::vector<PreToken>& pieces) const override {
    std::vector<PreToken> out;
    out.reserve(pieces.size());
    std::vector<Segment> segments;
    for (PreToken& piece : pieces) {
      std::string text;
      text.reserve(piece.text.size() + replacement_.size());
      const bool prepend =
          prepend_ == Prepend::always || (prepend_ == Prepend::first && piece.at_start);
      for (char c : piece.text) {
        if (c == ' ') {
          text += replacement_;
        } else {
          text += c;
        }
      }
      if (prepend && !text.starts_with(replacement_)) text.insert(0, replacement_);
      PreToken replaced{std::move(text), piece.at_start};
      if (!split_) {
        if (!replaced.text.empty()) out.push_back(std::move(replaced));
        continue;
      }
      // MergedWithNext: each replacement starts the piece that follows it.
      std::size_t previous = 0;
      segments.clear();
      for (std::size_t pos = replaced.text.find(replacement_); pos != std::string::npos;
           pos = replaced.text.find(replacement_, pos + replacement_.size())) {
        if (pos > previous) segments.push_back({previous, pos, false});
        segments.push_back({pos, pos + replacement_.size(), true});
        previous = pos + replacement_.size();
      }
      if (previous < replaced.text.size()) {
        segments.push_back({previous, replaced.text.size(), false});
      }
      split_piece(replaced, segments, SplitBehavior::merged_with_next, out);
    }
    pieces = std::move(out);
  }

 private:
  std::string replacement_;
  Prepend prepend_;
  bool split_;
};

}  // namespace

std::unique_ptr<PreTokenizer> read_metaspace_pre_tokenizer(const json& part,
                                                           const std::string& where) {
  const std::string replacement = required_string(part, "replacement", where);
  if (replacement.empty() || utf8::valid_char_length(replacement, 0) != replacement.size()) {
    throw Error(where + ".replacement must be one character.");
  }
  using Prepend = MetaspacePreTokenizer::Prepend;
  // Older files have add_prefix_space instead of prepend_scheme.
  Prepend prepend =
      bool_member(part, "add_prefix_space", true, where) ? Prepend::always : Prepend::never;
  if (auto scheme = string_member(part, "prepend_scheme", where)) {
    if (*scheme == "always") {
      prepend = Prepend::always;
    } else if (*scheme == "first") {
      prepend = Prepend::first;
    } else if (*scheme == "never") {
      prepend = Prepend::never;
    } else {
      throw Error(where + ".prepend_scheme must be \"always\", \"first\" or \"never\".");
    }
  }
  return std::make_unique<MetaspacePreTokenizer>(replacement, prepend,
                                                 bool_member(part, "split", true, where));
}

}  // namespace beamscope::hf
