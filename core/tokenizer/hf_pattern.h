#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/hf_json.h"

namespace beamscope::hf {

// A stretch of a piece of text: [start, end) bytes, and whether the pattern
// matched it (gaps between matches are stretches too, so they tile the text).
struct Segment {
  std::size_t start;
  std::size_t end;
  bool is_match;
};

// The "pattern" of a Split pre-tokenizer or a Replace normalizer/decoder:
// {"String": "..."} (literal) or {"Regex": "..."} (compiled with PCRE2 in
// Unicode mode, \p{..} properties included). Thread-safe: match data is per
// call.
class Pattern {
 public:
  // Reads {"String"|"Regex": ...}; errors name `where`.
  Pattern(const json& pattern, const std::string& where);
  ~Pattern();
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  // The matches and the gaps between them, in order, as HF's find_matches:
  // an empty literal matches nothing; `invert` swaps matches and gaps.
  void segments(std::string_view text, bool invert, std::vector<Segment>& out) const;

  // Every match replaced by `content` (HF's NormalizedString::replace).
  std::string replace_all(std::string_view text, std::string_view content) const;

 private:
  // Calls on_match(start, end) for each non-overlapping match, left to right.
  template <typename Fn>
  void for_each_match(std::string_view text, Fn&& on_match) const;

  std::string literal_;  // for {"String"}
  struct Regex;
  std::unique_ptr<Regex> regex_;  // for {"Regex"}
  std::string where_;
};

}  // namespace beamscope::hf
