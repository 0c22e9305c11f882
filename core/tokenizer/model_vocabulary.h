#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace beamscope::hf {

// A model's token <-> id table, checked as hostile input while it is built:
// ids in range, no id or token twice, ids not absurdly sparse.
class ModelVocabulary {
 public:
  // `where` names the file and part for errors ("tokenizer.json: model.vocab").
  explicit ModelVocabulary(std::string where) : where_(std::move(where)) {}

  void reserve(std::size_t count);
  void add(std::string token, std::int64_t id);
  // Call once after the last add(): checks sparseness, sizes the id table.
  void finish();

  std::optional<std::int32_t> find(std::string_view token) const {
    auto it = ids_.find(token);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }
  // nullptr for an id no token has.
  const std::string* token(std::int32_t id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= tokens_.size()) return nullptr;
    const std::string* t = tokens_[static_cast<std::size_t>(id)];
    return t;
  }
  std::size_t id_limit() const { return tokens_.size(); }
  std::size_t size() const { return ids_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::string where_;
  std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> ids_;
  std::vector<const std::string*> tokens_;  // id -> key in ids_ (stable in a node map)
  std::int64_t max_id_ = -1;
};

// The ids of the 256 byte tokens "<0x00>".."<0xFF>" (SentencePiece's byte
// fallback), -1 for each the vocabulary lacks.
std::vector<std::int32_t> byte_fallback_ids(const ModelVocabulary& vocab);

}  // namespace beamscope::hf
