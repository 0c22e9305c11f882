#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/model_vocabulary.h"

namespace beamscope::hf {

// Where a long BPE piece can be cut without changing its tokens. Tokenizers
// with no pre-tokenizer (Gemma 3, Llama 2's tokenizer.json) hand the BPE
// model the whole text as one piece, and merging a megabyte as one sequence
// is slow and never hits the piece cache. A cut between two characters a|b
// is exact when no token contains "ab" and both a and b are tokens: every
// symbol is then a run of single-character tokens whose spelling is the
// concatenation of theirs, so a symbol spanning the cut would be a token
// containing "ab". The merges on each side are then independent of the other
// side, and applying them lowest rank first (leftmost on ties) on each side
// gives what they give on the whole. We cut only before "▁" (SentencePiece's
// word marker), after a character that never stands before "▁" inside a
// token — in Gemma 3's 262k tokens only "▁" and ">" do.
//
// Valid for BPE without a continuing-subword prefix or end-of-word suffix
// (which change spellings) and without ignore_merges (which looks a whole
// piece up first); the model checks that before using it.
class MetaspaceCuts {
 public:
  explicit MetaspaceCuts(const ModelVocabulary& vocab);

  // The parts of `piece` between the cuts, in order (one part when there is
  // no cut).
  void split(std::string_view piece, std::vector<std::string_view>& parts) const;

 private:
  bool cut_after(char32_t c) const;

  const ModelVocabulary* vocab_;
  bool enabled_ = false;                 // "▁" is a token
  std::vector<char32_t> before_marker_;  // characters seen before "▁" inside a token
};

}  // namespace beamscope::hf
