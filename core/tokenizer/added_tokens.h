#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace beamscope {

// A token matched literally in the text before pre-tokenizing (HF "added
// token"), e.g. GPT-2's "<|endoftext|>". Flags follow tokenizer.json.
struct AddedToken {
  std::int32_t id = 0;
  std::string content;
  bool special = false;
  bool single_word = false;  // only where not touching word characters
  bool lstrip = false;       // also swallows the whitespace before it
  bool rstrip = false;       // also swallows the whitespace after it
  bool normalized = false;   // matched in a second pass, after non-normalized ones
};

// Splits text at added tokens the way HF's AddedVocabulary does: first the
// tokens with normalized=false, then (inside the remaining text) the others;
// each pass takes the leftmost match, the longest one on ties, scanning left
// to right without overlaps. A single_word match that touches a word
// character is dropped, and scanning resumes after it.
class AddedTokenMatcher {
 public:
  explicit AddedTokenMatcher(std::vector<AddedToken> tokens);
  ~AddedTokenMatcher();
  AddedTokenMatcher(const AddedTokenMatcher&) = delete;
  AddedTokenMatcher& operator=(const AddedTokenMatcher&) = delete;

  bool empty() const { return tokens_.empty(); }

  // Calls `plain` for each stretch of ordinary text and `token` for each
  // match, in order. Plain stretches are never empty.
  void split(std::string_view text, const std::function<void(std::string_view)>& plain,
             const std::function<void(std::int32_t)>& token) const;

  // split()'s two passes one at a time, for a pipeline that normalizes the
  // text between them (HF matches normalized=true tokens in normalized text).
  void split_unnormalized(std::string_view text, const std::function<void(std::string_view)>& plain,
                          const std::function<void(std::int32_t)>& token) const {
    split_pass(0, text, plain, token);
  }
  void split_normalized(std::string_view text, const std::function<void(std::string_view)>& plain,
                        const std::function<void(std::int32_t)>& token) const {
    split_pass(1, text, plain, token);
  }

 private:
  struct Pass;
  void split_pass(std::size_t pass, std::string_view text,
                  const std::function<void(std::string_view)>& plain,
                  const std::function<void(std::int32_t)>& token) const;
  bool touches_word(std::string_view text, std::size_t start, std::size_t end) const;

  std::vector<AddedToken> tokens_;
  std::vector<std::unique_ptr<Pass>> passes_;
  struct WordClass;
  std::unique_ptr<WordClass> word_class_;
};

}  // namespace beamscope
