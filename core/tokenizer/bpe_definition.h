#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/added_tokens.h"

namespace beamscope {

// Everything a byte-level BPE tokenizer is built from, as read from its files
// but not yet checked against itself (ids, merges, byte alphabet): the
// tokenizer does that and names `source` in its errors.
struct BpeDefinition {
  struct Merge {
    std::string left;
    std::string right;
    std::string where;  // e.g. "line 12", for error messages
  };

  std::string source;                                       // file(s) it came from
  std::vector<std::pair<std::string, std::int64_t>> vocab;  // spelling -> id
  std::string merges_source;                                // file the merges came from
  std::vector<Merge> merges;                                // in rank order
  std::vector<AddedToken> added_tokens;
  // HF ByteLevel / BPE options that change encoding.
  bool add_prefix_space = false;  // prepend ' ' to text that does not start with one
  bool use_regex = true;          // false: no GPT-2 pre-tokenizer split
  bool ignore_merges = false;     // a piece that is itself a token is not merged
};

}  // namespace beamscope
