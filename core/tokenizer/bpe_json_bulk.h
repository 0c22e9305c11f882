#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/aligned_buffer.h"
#include "tokenizer/json_scanner.h"

namespace beamscope::hf {

// The two big members of a BPE tokenizer.json's "model" — "vocab" (token ->
// id) and "merges" — read by a JsonScanner instead of the DOM parser. They
// are 97% of Gemma 3's 33 MB file; reading them directly makes its load
// about ten times faster. Strings are kept in one arena, not one allocation
// each.
struct BpeBulkParts {
  struct Span {
    std::uint32_t offset = 0, length = 0;
  };
  struct VocabEntry {
    Span token;
    std::int32_t id = 0;
  };
  struct Merge {
    Span left, right;
  };

  bool has_vocab = false, has_merges = false;
  std::string arena;
  // In huge pages where large (see CacheLineAllocator).
  std::vector<VocabEntry, CacheLineAllocator<VocabEntry>> vocab;  // in file order
  std::vector<Merge, CacheLineAllocator<Merge>> merges;  // in file order, either form split in two

  // Where they stand in the file, for replace_json_values().
  std::vector<JsonValueRange> ranges;

  std::string_view text(Span span) const { return {arena.data() + span.offset, span.length}; }
};

// Looks for a top-level "model" object with "type": "BPE" whose "vocab" is an
// object of plain integer ids (at most kMaxTokenId) and whose "merges" is an
// array of "left right" strings (one inner space) or of ["left", "right"]
// pairs. When it finds both (or the vocab alone), it reads them into `parts`
// with their ranges, so that the DOM parser can read only the rest
// (replace_json_values). Returns false, `parts` empty, when the file has
// another shape or anything in those members (or around them) is not
// accepted: the full parser then reads the whole file and reports any error
// exactly as before. A duplicated key where it matters counts as another
// shape.
bool read_bpe_bulk_parts(std::string_view text, BpeBulkParts& parts);

}  // namespace beamscope::hf
