#include "tokenizer/metaspace_cuts.h"

#include <algorithm>

#include "tokenizer/utf8.h"

namespace beamscope::hf {

namespace {

constexpr std::string_view kMarker = "\xE2\x96\x81";  // U+2581 "▁"

// The character that ends just before byte `end` of `text` (which is valid
// UTF-8 up to there), and where it starts.
std::size_t char_start_before(std::string_view text, std::size_t end) {
  std::size_t start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return start;
}

}  // namespace

MetaspaceCuts::MetaspaceCuts(const ModelVocabulary& vocab) : vocab_(&vocab) {
  enabled_ = vocab.find(kMarker).has_value();
  if (!enabled_) return;
  for (std::size_t id = 0; id < vocab.id_limit(); ++id) {
    const std::string* token = vocab.token(static_cast<std::int32_t>(id));
    if (token == nullptr) continue;
    const std::string_view t = *token;
    for (std::size_t at = t.find(kMarker, 1); at != std::string_view::npos;
         at = t.find(kMarker, at + 1)) {
      const std::size_t start = char_start_before(t, at);
      const std::size_t length = utf8::valid_char_length(t, start);
      // A token that is not valid UTF-8 there: no cut after any character.
      if (length != at - start) {
        enabled_ = false;
        return;
      }
      const char32_t c = utf8::decode_char(t, start, length);
      if (std::find(before_marker_.begin(), before_marker_.end(), c) == before_marker_.end()) {
        before_marker_.push_back(c);
      }
    }
  }
}

bool MetaspaceCuts::cut_after(char32_t c) const {
  return std::find(before_marker_.begin(), before_marker_.end(), c) == before_marker_.end();
}

void MetaspaceCuts::split(std::string_view piece, std::vector<std::string_view>& parts) const {
  parts.clear();
  std::size_t part_start = 0;
  if (enabled_) {
    for (std::size_t at = piece.find(kMarker, 1); at != std::string_view::npos;
         at = piece.find(kMarker, at + kMarker.size())) {
      const std::size_t start = char_start_before(piece, at);
      const std::size_t length = utf8::valid_char_length(piece, start);
      if (length != at - start || start < part_start) continue;
      const std::string_view before = piece.substr(start, length);
      if (!cut_after(utf8::decode_char(piece, start, length)) || !vocab_->find(before)) continue;
      parts.push_back(piece.substr(part_start, at - part_start));
      part_start = at;
    }
  }
  parts.push_back(piece.substr(part_start));
}

}  // namespace beamscope::hf
