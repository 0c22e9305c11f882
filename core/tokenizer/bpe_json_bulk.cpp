#include "tokenizer/bpe_json_bulk.h"

#include "tokenizer/hf_json.h"
#include "tokenizer/json_scanner.h"

namespace beamscope::hf {

namespace {

BpeBulkParts::Span append_to_arena(std::string& arena, std::size_t from) {
  return {static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(arena.size() - from)};
}

bool read_vocab(JsonScanner& s, BpeBulkParts& parts) {
  if (!s.consume('{')) return false;
  if (s.consume('}')) return true;
  do {
    const std::size_t from = parts.arena.size();
    if (!s.append_string(parts.arena) || !s.consume(':')) return false;
    std::uint64_t id;
    if (!s.read_uint(std::uint64_t(kMaxTokenId), id)) return false;
    parts.vocab.push_back({append_to_arena(parts.arena, from), static_cast<std::int32_t>(id)});
  } while (s.consume(','));
  return s.consume('}');
}

// One merge in either form; the "left right" form is split as the DOM path
// splits it, and anything that path would refuse is left to it.
bool read_merge(JsonScanner& s, BpeBulkParts& parts, std::string& scratch) {
  BpeBulkParts::Merge merge;
  if (s.next_is('"')) {
    if (!s.read_string(scratch)) return false;
    const std::size_t space = scratch.find(' ');
    if (space == 0 || space == std::string::npos || space + 1 == scratch.size() ||
        scratch.find(' ', space + 1) != std::string::npos) {
      return false;
    }
    const std::size_t from = parts.arena.size();
    parts.arena.append(scratch, 0, space);
    merge.left = append_to_arena(parts.arena, from);
    const std::size_t right_from = parts.arena.size();
    parts.arena.append(scratch, space + 1);
    merge.right = append_to_arena(parts.arena, right_from);
  } else {
    if (!s.consume('[')) return false;
    const std::size_t from = parts.arena.size();
    if (!s.append_string(parts.arena)) return false;
    merge.left = append_to_arena(parts.arena, from);
    const std::size_t right_from = parts.arena.size();
    if (!s.consume(',') || !s.append_string(parts.arena)) return false;
    merge.right = append_to_arena(parts.arena, right_from);
    if (!s.consume(']')) return false;
  }
  parts.merges.push_back(merge);
  return true;
}

bool read_merges(JsonScanner& s, BpeBulkParts& parts) {
  if (!s.consume('[')) return false;
  if (s.consume(']')) return true;
  std::string scratch;
  do {
    if (!read_merge(s, parts, scratch)) return false;
  } while (s.consume(','));
  return s.consume(']');
}

// The "model" object: notes where vocab and merges are and reads them.
bool scan_model(JsonScanner& s, BpeBulkParts& parts, JsonValueRange& vocab,
                JsonValueRange& merges) {
  if (!s.consume('{')) return false;
  std::string key, type;
  bool has_type = false;
  if (!s.consume('}')) {
    do {
      if (!s.read_string(key) || !s.consume(':')) return false;
      if (key == "type") {
        if (has_type || !s.next_is('"') || !s.read_string(type)) return false;
        has_type = true;
      } else if (key == "vocab" || key == "merges") {
        const bool is_vocab = key == "vocab";
        bool& seen = is_vocab ? parts.has_vocab : parts.has_merges;
        if (seen) return false;
        seen = true;
        JsonValueRange& range = is_vocab ? vocab : merges;
        if (!s.next_is(is_vocab ? '{' : '[')) return false;
        range.begin = s.pos();
        if (!(is_vocab ? read_vocab(s, parts) : read_merges(s, parts))) return false;
        range.end = s.pos();
      } else if (!s.skip_value()) {
        return false;
      }
    } while (s.consume(','));
    if (!s.consume('}')) return false;
  }
  return has_type && type == "BPE" && parts.has_vocab;
}

bool scan(std::string_view text, BpeBulkParts& parts, JsonValueRange& vocab,
          JsonValueRange& merges) {
  JsonScanner s(text);
  if (!s.consume('{')) return false;
  bool seen_model = false;
  if (!s.consume('}')) {
    std::string key;
    do {
      if (!s.read_string(key) || !s.consume(':')) return false;
      if (key == "model") {
        if (seen_model || !s.next_is('{')) return false;
        seen_model = true;
        if (!scan_model(s, parts, vocab, merges)) return false;
      } else if (!s.skip_value()) {
        return false;
      }
    } while (s.consume(','));
    if (!s.consume('}')) return false;
  }
  return seen_model && s.at_end();
}

}  // namespace

bool read_bpe_bulk_parts(std::string_view text, BpeBulkParts& parts) {
  parts = BpeBulkParts{};
  JsonValueRange vocab{0, 0, "{}"}, merges{0, 0, "[]"};
  if (!scan(text, parts, vocab, merges)) {
    parts = BpeBulkParts{};
    return false;
  }
  // In file order, as replace_json_values() wants them.
  parts.ranges.push_back(vocab);
  if (parts.has_merges) {
    parts.ranges.insert(merges.begin < vocab.begin ? parts.ranges.begin() : parts.ranges.end(),
                        merges);
  }
  return true;
}

}  // namespace beamscope::hf
