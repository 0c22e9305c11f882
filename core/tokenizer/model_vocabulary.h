#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/aligned_buffer.h"

namespace beamscope::hf {

// A model's token <-> id table, checked as hostile input while it is built:
// ids in range, no id or token twice, ids not absurdly sparse.
//
// Tokens are stored by id (most fit std::string's inline buffer, so a 262k
// vocabulary costs few allocations) and found through an open-addressing
// table of ids: loading Gemma 3 looks up 1.5 million merge parts, and a
// node-based map made that a third of the load.
class ModelVocabulary {
 public:
  // `where` names the file and part for errors ("tokenizer.json: model.vocab").
  explicit ModelVocabulary(std::string where) : where_(std::move(where)) {}

  void reserve(std::size_t count) { pending_.reserve(count); }
  void add(std::string token, std::int64_t id);
  // Call once after the last add() and before find(): checks sparseness and
  // duplicates, builds the tables.
  void finish();

  std::optional<std::int32_t> find(std::string_view token) const {
    if (slots_.empty()) return std::nullopt;
    const std::int32_t id = find_hashed(token, hash(token));
    return id < 0 ? std::nullopt : std::optional<std::int32_t>(id);
  }
  // The ids of many tokens at once (-1 for each not in the vocabulary): the
  // same as find() one by one, but with the memory of a group of lookups
  // prefetched together, since a large table makes each lookup a cache miss
  // (Gemma 3's 514k merges look up 1.5 million parts when loading).
  void find_many(std::span<const std::string_view> tokens, std::span<std::int32_t> ids) const;
  // nullptr for an id no token has.
  const std::string* token(std::int32_t id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= tokens_.size()) return nullptr;
    return present_[static_cast<std::size_t>(id)] ? &tokens_[static_cast<std::size_t>(id)]
                                                  : nullptr;
  }
  std::size_t id_limit() const { return tokens_.size(); }
  std::size_t size() const { return count_; }

 private:
  struct Pending {
    std::string token;
    std::int32_t id;
  };
  static std::size_t hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  std::int32_t find_hashed(std::string_view token, std::size_t h) const;

  std::string where_;
  // The large tables in huge pages (CacheLineAllocator): faulting in fresh
  // 4 KiB pages was a large part of loading a 262k vocabulary.
  template <typename T>
  using Table = std::vector<T, CacheLineAllocator<T>>;
  Table<Pending> pending_;     // between add() and finish()
  Table<std::string> tokens_;  // by id
  std::vector<bool> present_;  // by id: does a token have it
  // Open addressing (size a power of two, at most half full). A slot keeps
  // the hash's upper half beside the id, so a probe compares tokens only
  // when those match: each token compared is a cache miss.
  struct Slot {
    std::uint32_t tag;
    std::int32_t id;  // -1: empty
  };
  Table<Slot> slots_;
  std::size_t count_ = 0;
  std::int64_t max_id_ = -1;
};

// The ids of the 256 byte tokens "<0x00>".."<0xFF>" (SentencePiece's byte
// fallback), -1 for each the vocabulary lacks.
std::vector<std::int32_t> byte_fallback_ids(const ModelVocabulary& vocab);

}  // namespace beamscope::hf
