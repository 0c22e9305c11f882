#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tokenizer/hf_json.h"
#include "tokenizer/hf_pattern.h"
#include "tokenizer/utf8.h"

namespace beamscope::hf {

// One piece of text on its way to the model. `at_start`: the piece begins
// where the original text began (Metaspace's prepend_scheme "first" needs it).
struct PreToken {
  std::string text;
  bool at_start = false;
};

// A tokenizer.json "pre_tokenizer": splits (and may rewrite) pieces.
class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Replaces `pieces` by the result of splitting each; never yields empty ones.
  virtual void pre_tokenize(std::vector<PreToken>& pieces) const = 0;
};

// HF's SplitDelimiterBehavior: what happens to the matched stretches.
enum class SplitBehavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };
SplitBehavior read_split_behavior(const json& part, const std::string& where);

// Appends to `out` the pieces `segments` of `piece` make under `behavior`
// (HF's NormalizedString::split), skipping empty ones.
void split_piece(const PreToken& piece, const std::vector<Segment>& segments,
                 SplitBehavior behavior, std::vector<PreToken>& out);

// Segments where every character for which `is_delimiter` holds is a match
// of its own (HF's char-predicate patterns).
template <typename Predicate>
void char_segments(std::string_view text, Predicate is_delimiter, std::vector<Segment>& out);

// Reads any supported pre-tokenizer; `where` is e.g. "tokenizer.json: pre_tokenizer".
std::unique_ptr<PreTokenizer> read_pre_tokenizer(const json& part, const std::string& where);

// One reader per type (each in the file named after it).
std::unique_ptr<PreTokenizer> read_byte_level_pre_tokenizer(const json& part,
                                                            const std::string& where);
std::unique_ptr<PreTokenizer> read_split_pre_tokenizer(const json& part, const std::string& where);
std::unique_ptr<PreTokenizer> read_metaspace_pre_tokenizer(const json& part,
                                                           const std::string& where);
std::unique_ptr<PreTokenizer> read_digits_pre_tokenizer(const json& part, const std::string& where);
std::unique_ptr<PreTokenizer> read_punctuation_pre_tokenizer(const json& part,
                                                             const std::string& where);
std::unique_ptr<PreTokenizer> read_whitespace_pre_tokenizer();        // Whitespace
std::unique_ptr<PreTokenizer> read_whitespace_split_pre_tokenizer();  // WhitespaceSplit
std::unique_ptr<PreTokenizer> read_sequence_pre_tokenizer(const json& part,
                                                          const std::string& where);

// Template definition: the char-predicate segments.
template <typename Predicate>
void char_segments(std::string_view text, Predicate is_delimiter, std::vector<Segment>& out) {
  out.clear();
  std::size_t previous = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t length = utf8::valid_char_length(text, pos);
    if (length == 0) length = 1;
    if (is_delimiter(utf8::decode_char(text, pos, length))) {
      if (pos > previous) out.push_back({previous, pos, false});
      out.push_back({pos, pos + length, true});
      previous = pos + length;
    }
    pos += length;
  }
  if (previous < text.size()) out.push_back({previous, text.size(), false});
}

}  // namespace beamscope::hf
